using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// The switch's voicemail: opens a mailbox leg for a call that goes to voicemail, and keeps count of the deposits
/// still being written so a stop (or a test) can wait for them.
/// </summary>
internal sealed class Mailboxes(MailboxStore store, PromptLibrary prompts, Func<DeviceDirectory> directory, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];

    public MailboxStore Store { get; } = store;

    public PromptLibrary Prompts { get; } = prompts;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    /// <summary>
    /// The mailbox of <paramref name="owner"/> for <paramref name="call"/>, answering the caller with
    /// <paramref name="callerMedia"/> on <paramref name="socket"/> (its own pair, or the bridge's unstarted side A).
    /// </summary>
    public MailboxLeg Open(Call call, DirectoryExtension owner, GreetingKind greeting, RelaySocketPair socket, bool ownsSocket, NegotiationResult callerMedia)
    {
        var callerName = directory().TryFindExtension(call.TenantId, call.Caller.Party, out var caller) ? caller.DisplayName : null;
        return new MailboxLeg(owner, greeting, callerName, socket, ownsSocket, callerMedia, this);
    }

    /// <summary>Completes once every deposit running now has stored (or dropped) its message.</summary>
    public Task IdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll([.. _running]);
        }
    }

    public Task Track(Task session)
    {
        lock (_gate)
        {
            _running.Add(session);
        }

        _ = session.ContinueWith(
            static (done, s) =>
            {
                var self = (Mailboxes)s!;
                lock (self._gate)
                {
                    self._running.Remove(done);
                }
            },
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return session;
    }
}
