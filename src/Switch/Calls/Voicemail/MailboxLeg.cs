using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// The mailbox of one extension as a callee inside the switch (issue 9 item 1): it answers over SRTP at once, plays
/// the greeting (the one the user recorded, or the default that says the extension's number) and a tone, then records
/// the caller until the caller hangs up, presses #, the tenant's longest message is reached, or the disk is full (the
/// message then ends at its last whole second). A full mailbox plays
/// its prompt and takes nothing. The message's row is inserted when recording starts and completed at its end; a
/// message of silence under two seconds is dropped.
/// </summary>
internal sealed class MailboxLeg : ApplicationLeg, IDigitReceiver, IDisposable
{
    private static readonly TimeSpan s_shortest = TimeSpan.FromSeconds(2);

    private readonly DirectoryExtension _owner;
    private readonly GreetingKind _greetingKind;
    private readonly string? _callerName;
    private readonly NegotiationResult _media;
    private readonly Mailboxes _mailboxes;
    private readonly ApplicationMedia _endpoint;
    private readonly TaskCompletionSource<MailboxEnding> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _recording = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _greeting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MailboxLeg(
        DirectoryExtension owner, GreetingKind greeting, string? callerName, RelaySocketPair socket, bool ownsSocket, NegotiationResult media, Mailboxes mailboxes)
        : base(owner.Number)
    {
        _owner = owner;
        _greetingKind = greeting;
        _callerName = callerName;
        _media = media;
        _mailboxes = mailboxes;
        _endpoint = new ApplicationMedia(socket, ownsSocket, media.Media!, mailboxes.Time, OnDigit, mailboxes.Drops);
    }

    /// <summary>Completes when the message is stored (or dropped) and the leg has let go of everything.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Completes when the greeting and tone are queued to play, with their length in samples (0 when none are).</summary>
    public Task<int> Greeting => _greeting.Task;

    /// <summary>Completes once the caller's audio goes into the message (after the greeting and tone), or the leg is done.</summary>
    public Task Recording => _recording.Task;

    /// <summary>Answers at once (the caller's answer is its media); the call connects it.</summary>
    public override void Invite(SdesOffer? offer)
    {
        Take();
        Call!.OnCalleeAnswered(this);
    }

    /// <summary>Marks the leg answered without telling the call, for a call that connects it in its own decision.</summary>
    public void Take()
    {
        Answer(_media);
    }

    public override void OnConnected()
    {
        SwitchLog.MailboxAnswered(_mailboxes.Logger, Call!.CallId, _owner.Number, _greetingKind.ToString());
        _endpoint.Start();
        Completion = _mailboxes.Track(RunAsync());
    }

    /// <summary>A digit from the caller (RFC 4733, or SIP INFO): # ends the message.</summary>
    public void OnDigit(char digit)
    {
        if (digit == '#')
        {
            _ended.TrySetResult(MailboxEnding.Hash);
        }
    }

    /// <summary>The mailbox is part of the switch: no signalling leaves it, and the audio is stored encrypted at rest.</summary>
    public override CallLegRecord? Describe(CallRecord record, int position) => new()
    {
        CallRecordId = record.Id,
        TenantId = record.TenantId,
        Position = position,
        Kind = HostedPbx.Data.Entities.LegKind.Voicemail,
        Party = _owner.Number,
        Transport = SignallingTransport.Internal,
        MediaProtection = MediaProtection.None,
    };

    public void Dispose()
    {
        Stop();
        _endpoint.Dispose();
    }

    protected override void Stop()
    {
        _ended.TrySetResult(MailboxEnding.CallerHungUp);
        _endpoint.StopPlaying();
    }

    private async Task RunAsync()
    {
        var call = Call!;
        var ending = MailboxEnding.CallerHungUp;
        try
        {
            var settings = await _mailboxes.Store.SettingsAsync(call.TenantId, _owner.Id, _greetingKind, CancellationToken.None);
            if (settings.IsFull)
            {
                SwitchLog.MailboxFull(_mailboxes.Logger, call.CallId, _owner.Number);
                var full = MailboxPrompts.Join(_mailboxes.Prompts, [MailboxPrompts.Full]);
                var playing = Play(full);
                _greeting.TrySetResult(full.Length);
                await playing;
                ending = _ended.Task.IsCompleted ? MailboxEnding.CallerHungUp : MailboxEnding.Full;
                return;
            }

            // The greeting and the tone as one, so no gap comes between them.
            short[] greeting = [.. settings.Greeting ?? MailboxPrompts.Greeting(_mailboxes.Prompts, _owner.Number, _greetingKind), .. MailboxPrompts.Tone];
            var greetingPlays = Play(greeting);
            _greeting.TrySetResult(greeting.Length);
            await greetingPlays;
            if (_ended.Task.IsCompleted)
            {
                return;
            }

            ending = await RecordAsync(call, settings.MaxMessage);
        }
        catch (Exception ex)
        {
            SwitchLog.MailboxFailed(_mailboxes.Logger, call.CallId, ex);
        }
        finally
        {
            _recording.TrySetResult();
            _greeting.TrySetResult(0);
            _endpoint.Dispose();

            // The caller did not hang up: the switch does (RFC 3261 §15.1.1), once the message is safe.
            if (ending != MailboxEnding.CallerHungUp)
            {
                call.OnApplicationDone(this);
            }
        }
    }

    private async Task<MailboxEnding> RecordAsync(Call call, TimeSpan maxMessage)
    {
        var message = await _mailboxes.Store.BeginAsync(call.TenantId, _owner.Id, call.Id, call.Caller.Party, _callerName, CancellationToken.None);
        try
        {
            MessageRecorder recorder;
            try
            {
                recorder = new MessageRecorder(message, _mailboxes.Logger);
            }
            catch (IOException ex)
            {
                // A disk already full: no row may stay behind without its file, and the caller must not talk into nothing.
                SwitchLog.MessageNotStarted(_mailboxes.Logger, message.Id, ex.Message);
                await _mailboxes.Store.DropAsync(message, CancellationToken.None);
                return MailboxEnding.StorageFull;
            }

            _endpoint.Sink = recorder;
            _recording.TrySetResult();
            using (_mailboxes.Time.CreateTimer(static s => ((TaskCompletionSource<MailboxEnding>)s!).TrySetResult(MailboxEnding.MaxLength), _ended, maxMessage, Timeout.InfiniteTimeSpan))
            {
                await Task.WhenAny(_ended.Task, recorder.Failed);
            }

            // The disk filled up: the message ends at its last whole second and the switch hangs up.
            _ended.TrySetResult(MailboxEnding.StorageFull);

            _endpoint.Sink = null;
            var summary = await recorder.FinishAsync();
            if (summary.Duration < s_shortest && recorder.IsSilent)
            {
                await _mailboxes.Store.DropAsync(message, CancellationToken.None);
            }
            else
            {
                await _mailboxes.Store.CompleteAsync(message.Id, call.Id, summary, CancellationToken.None);
            }

            return await _ended.Task;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(message.DataKey);
        }
    }

    // A prompt is cut short when the caller hangs up.
    private Task Play(short[] samples) => _ended.Task.IsCompleted ? Task.CompletedTask : Task.WhenAny(_endpoint.PlayAsync(samples), _ended.Task);
}
