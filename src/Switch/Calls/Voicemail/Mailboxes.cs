using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// The switch's voicemail: opens a mailbox leg for a call that goes to voicemail, or a retrieval leg for a call to the
/// access number, and keeps count of the sessions still running so a stop (or a test) can wait for them.
/// </summary>
internal sealed class Mailboxes(MailboxStore store, PromptLibrary prompts, Func<DeviceDirectory> directory, TimeProvider time, ILogger logger, SwitchAudit audit, ApplicationDrops drops)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];

    public MailboxStore Store { get; } = store;

    public PromptLibrary Prompts { get; } = prompts;

    public TimeProvider Time { get; } = time;

    /// <summary>What the mailbox and retrieval legs dropped of what callers sent.</summary>
    public ApplicationDrops Drops { get; } = drops;

    public ILogger Logger { get; } = logger;

    /// <summary>Where a locked mailbox is audited, with the reason.</summary>
    public SwitchAudit Audit { get; } = audit;

    /// <summary>
    /// The mailbox of <paramref name="owner"/> for <paramref name="call"/>, answering the caller with
    /// <paramref name="callerMedia"/> on <paramref name="socket"/> (its own pair, or the bridge's unstarted side A).
    /// </summary>
    public MailboxLeg Open(Call call, DirectoryExtension owner, GreetingKind greeting, RelaySocketPair socket, bool ownsSocket, NegotiationResult callerMedia)
    {
        var callerName = directory().TryFindExtension(call.TenantId, call.Caller.Party, out var caller) ? caller.DisplayName : null;
        return new MailboxLeg(owner, greeting, callerName, socket, ownsSocket, callerMedia, this);
    }

    /// <summary>
    /// The caller's own mailbox, for a call to the tenant's access number: <paramref name="owner"/> is the caller's
    /// extension (null when the directory has none), answered with <paramref name="callerMedia"/> on its own <paramref name="socket"/>.
    /// </summary>
    public RetrievalLeg OpenRetrieval(DirectoryExtension? owner, MailboxCaller caller, RelaySocketPair socket, NegotiationResult callerMedia) =>
        new(owner, caller, socket, callerMedia, this);

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
