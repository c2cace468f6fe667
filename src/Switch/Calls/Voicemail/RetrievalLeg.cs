using System.Text;
using System.Threading.Channels;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Data.Voicemail;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// The caller's own mailbox, opened by the tenant's access number (issue 9 item 4): a callee inside the switch that
/// answers over SRTP at once, asks for the PIN (unless the tenant lets the extension's own handset in without one),
/// and runs the menu by DTMF (RFC 4733 or SIP INFO): 1 new messages, 2 saved ones, 5 record greetings (the greetings
/// part of this leg), 8 change the PIN, * hang up; while a message plays, 4 repeats it, 7 deletes it, 9 saves it and #
/// goes to the next. Any digit cuts the prompt playing
/// short, and digits typed ahead are kept. Five wrong PINs in a row lock the mailbox for 15 minutes, in the
/// extension's row, with an audit event that says so.
/// </summary>
internal sealed partial class RetrievalLeg : ApplicationLeg, IDigitReceiver, IDisposable
{
    /// <summary>What a wait for a digit gives when none came in time.</summary>
    private const char NoDigit = '\0';

    /// <summary>Menus asked this many times without an answer end the call.</summary>
    private const int SilentPrompts = 3;

    /// <summary>Digits the menu queues before it takes them; more are a flood.</summary>
    private const int DigitsWaiting = 32;

    private static readonly TimeSpan s_menuWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_digitWait = TimeSpan.FromSeconds(5);

    private readonly DirectoryExtension? _owner;
    private readonly MailboxCaller _caller;
    private readonly NegotiationResult _media;
    private readonly Mailboxes _mailboxes;
    private readonly ApplicationMedia _endpoint;

    // A flood of digits is dropped beyond what anyone types ahead, never queued without bound.
    private readonly Channel<char> _digits = Channel.CreateBounded<char>(new BoundedChannelOptions(DigitsWaiting) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<(string Name, int Samples)> _played = Channel.CreateBounded<(string, int)>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    public RetrievalLeg(DirectoryExtension? owner, MailboxCaller caller, RelaySocketPair socket, NegotiationResult media, Mailboxes mailboxes)
        : base(owner?.Number ?? caller.Number)
    {
        _owner = owner;
        _caller = caller;
        _media = media;
        _mailboxes = mailboxes;
        _endpoint = new ApplicationMedia(socket, ownsSocket: true, media.Media!, mailboxes.Time, OnDigit, mailboxes.Drops);
    }

    /// <summary>Completes when the session is over and the leg has let go of everything.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// What the leg queued to play, in order, with its length in samples (a message is named <c>message:{id}</c>, a
    /// greeting played back <c>greeting:{kind}</c>), and <c>record:{kind}</c> when the caller's audio starts going into a
    /// greeting; the last 64 are kept.
    /// </summary>
    public ChannelReader<(string Name, int Samples)> Played => _played.Reader;

    public override void Invite(SdesOffer? offer)
    {
        Answer(_media);
        Call!.OnCalleeAnswered(this);
    }

    public override void OnConnected()
    {
        SwitchLog.MailboxOpened(_mailboxes.Logger, Call!.CallId, Party);
        _endpoint.Start();
        Completion = _mailboxes.Track(RunAsync());
    }

    /// <summary>
    /// A digit from the caller: it cuts short what is playing and waits for the menu to take it. At most 32 wait; a
    /// flood beyond that is dropped and counted, so the menu never runs away with digits nobody meant.
    /// </summary>
    public void OnDigit(char digit)
    {
        lock (_gate)
        {
            if (_digits.Reader.Count >= DigitsWaiting)
            {
                _mailboxes.Drops.OnDigitOverflow();
            }

            _digits.Writer.TryWrite(digit);
            _endpoint.StopPlaying();
        }
    }

    /// <summary>The mailbox is part of the switch: no signalling leaves it; the audio is decrypted there and stored encrypted.</summary>
    public override CallLegRecord? Describe(CallRecord record, int position) => new()
    {
        CallRecordId = record.Id,
        TenantId = record.TenantId,
        Position = position,
        Kind = HostedPbx.Data.Entities.LegKind.Voicemail,
        Party = Party,
        Transport = SignallingTransport.Internal,
        MediaProtection = MediaProtection.None,
    };

    public void Dispose()
    {
        Stop();
        _endpoint.Dispose();
    }

    private bool Ended => _ended.Task.IsCompleted;

    protected override void Stop()
    {
        _ended.TrySetResult();
        _endpoint.StopPlaying();
    }

    private async Task RunAsync()
    {
        var call = Call!;
        try
        {
            var access = _owner is null ? null : await _mailboxes.Store.AccessAsync(call.TenantId, _owner.Id, CancellationToken.None);
            if (_owner is null || access is not { Enabled: true })
            {
                SwitchLog.MailboxRefused(_mailboxes.Logger, call.CallId, Party, "the extension has no mailbox");
                await SayAsync(MailboxPrompts.NoMailbox);
                return;
            }

            if (access.LockedUntil is { } until && until > _mailboxes.Time.GetUtcNow())
            {
                Deny(call, _owner, $"the mailbox of {_owner.Number} is locked until {until:O} after wrong PINs");
                await SayAsync(MailboxPrompts.Locked);
                return;
            }

            if (!access.Pinless && !await CheckPinAsync(call, _owner, access.PinHash))
            {
                return;
            }

            await MenuAsync(_owner);
        }
        catch (Exception ex)
        {
            SwitchLog.MailboxFailed(_mailboxes.Logger, call.CallId, ex);
        }
        finally
        {
            _played.Writer.TryComplete();
            _endpoint.Dispose();

            // The caller did not hang up: the switch does (RFC 3261 §15.1.1), once its last prompt is out.
            if (!Ended)
            {
                call.OnApplicationDone(this);
            }
        }
    }

    // True once the PIN is right; false when the caller hung up, gave up, or locked the mailbox.
    private async Task<bool> CheckPinAsync(Call call, DirectoryExtension owner, string? pinHash)
    {
        if (pinHash is null)
        {
            SwitchLog.MailboxRefused(_mailboxes.Logger, call.CallId, owner.Number, "no PIN is set");
            await SayAsync(MailboxPrompts.NoPin);
            return false;
        }

        for (var silent = 0; silent < SilentPrompts;)
        {
            var pin = await CollectAsync(MailboxPrompts.EnterPin);
            if (pin is null)
            {
                return false;
            }

            if (pin.Length == 0)
            {
                silent++;
                continue;
            }

            if (VoicemailPin.Verify(pin, pinHash))
            {
                await _mailboxes.Store.PinAcceptedAsync(owner.Id, CancellationToken.None);
                return true;
            }

            if (await _mailboxes.Store.PinFailedAsync(owner.Id, CancellationToken.None) is { } until)
            {
                Deny(call, owner, $"{MailboxStore.PinAttempts} wrong PINs in a row: the mailbox of {owner.Number} is locked until {until:O}");
                await SayAsync(MailboxPrompts.Locked);
                return false;
            }

            SwitchLog.MailboxRefused(_mailboxes.Logger, call.CallId, owner.Number, "wrong PIN");
            await SayAsync(MailboxPrompts.WrongPin);
        }

        await SayAsync(MailboxPrompts.Goodbye);
        return false;
    }

    private async Task MenuAsync(DirectoryExtension owner)
    {
        var announce = true;
        for (var silent = 0; silent < SilentPrompts;)
        {
            char? digit;
            if (announce)
            {
                var counts = await _mailboxes.Store.CountAsync(owner.Id, CancellationToken.None);
                digit = await PromptAsync("vm-counts", [.. MailboxPrompts.Counts(_mailboxes.Prompts, counts.New, counts.Old), .. Prompt(MailboxPrompts.Menu)], s_menuWait);
            }
            else
            {
                digit = await PromptAsync(MailboxPrompts.Menu, Prompt(MailboxPrompts.Menu), s_menuWait);
            }

            announce = false;
            silent = digit == NoDigit ? silent + 1 : 0;
            switch (digit)
            {
                case null:
                    return;
                case NoDigit:
                    break;
                case '1' or '2':
                    if (!await PlayMessagesAsync(owner, digit == '1' ? VoicemailStatus.New : VoicemailStatus.Saved))
                    {
                        return;
                    }

                    announce = true;
                    break;
                case '5':
                    if (!await GreetingsAsync(owner))
                    {
                        return;
                    }

                    break;
                case '8':
                    if (!await ChangePinAsync(owner))
                    {
                        return;
                    }

                    break;
                case '*':
                    await SayAsync(MailboxPrompts.Goodbye);
                    return;
                default:
                    await SayAsync(MailboxPrompts.Invalid);
                    break;
            }
        }

        await SayAsync(MailboxPrompts.Goodbye);
    }

    // Plays the messages of one kind, oldest first; false when the caller hung up.
    private async Task<bool> PlayMessagesAsync(DirectoryExtension owner, VoicemailStatus status)
    {
        var messages = await _mailboxes.Store.ListAsync(owner.Id, status, CancellationToken.None);
        if (messages.Count == 0)
        {
            await SayAsync(MailboxPrompts.NoMessages);
            return !Ended;
        }

        foreach (var message in messages)
        {
            // Only audio that authenticates and matches its row's SHA-256 is played; anything else is skipped, said so.
            var audio = _mailboxes.Store.ReadMessage(message);
            if (audio is null)
            {
                await SayAsync(MailboxPrompts.Unplayable);
                if (Ended)
                {
                    return false;
                }

                continue;
            }

            if (message.Status == VoicemailStatus.New)
            {
                await _mailboxes.Store.MarkHeardAsync(message.Id, CancellationToken.None);
            }

            var withAudio = true;
            while (true)
            {
                var digit = withAudio
                    ? await PromptAsync($"message:{message.Id}", [.. audio, .. Prompt(MailboxPrompts.MessageMenu)], s_menuWait)
                    : await PromptAsync(MailboxPrompts.MessageMenu, Prompt(MailboxPrompts.MessageMenu), s_menuWait);
                withAudio = digit == '4';
                if (digit is null)
                {
                    return false;
                }

                if (digit == '7')
                {
                    await _mailboxes.Store.DeleteAsync(message, CancellationToken.None);
                    SwitchLog.MessageChangedByPhone(_mailboxes.Logger, message.Id, "deleted");
                    await SayAsync(MailboxPrompts.Deleted);
                    break;
                }

                if (digit == '9')
                {
                    // Heard is saved (old): nothing more to change.
                    await SayAsync(MailboxPrompts.Saved);
                    break;
                }

                if (digit is '#' or NoDigit)
                {
                    break;
                }

                if (digit != '4')
                {
                    await SayAsync(MailboxPrompts.Invalid);
                }
            }
        }

        await SayAsync(MailboxPrompts.NoMore);
        return !Ended;
    }

    // The new PIN twice, checked by the one PIN rule; false when the caller hung up.
    private async Task<bool> ChangePinAsync(DirectoryExtension owner)
    {
        var first = await CollectAsync(MailboxPrompts.NewPin);
        if (first is null)
        {
            return false;
        }

        if (VoicemailPin.Problem(first) is not null)
        {
            await SayAsync(MailboxPrompts.PinRefused);
            return !Ended;
        }

        var second = await CollectAsync(MailboxPrompts.NewPinAgain);
        if (second is null)
        {
            return false;
        }

        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            await SayAsync(MailboxPrompts.PinMismatch);
            return !Ended;
        }

        await _mailboxes.Store.SetPinAsync(owner.Id, VoicemailPin.Hash(first), CancellationToken.None);
        SwitchLog.MailboxPinChanged(_mailboxes.Logger, Call!.CallId, owner.Number);
        await SayAsync(MailboxPrompts.PinChanged);
        return !Ended;
    }

    // Digits up to # (or a pause), after the prompt; null when the caller hung up, empty when nothing was typed.
    private async Task<string?> CollectAsync(string prompt)
    {
        var digit = await PromptAsync(prompt, Prompt(prompt), s_menuWait);
        var entered = new StringBuilder();
        while (digit is { } d && d != NoDigit && d != '#')
        {
            // Never more than a PIN can hold, however many digits come.
            if (char.IsAsciiDigit(d) && entered.Length <= VoicemailPin.MaxLength)
            {
                entered.Append(d);
            }

            digit = await NextDigitAsync(s_digitWait);
        }

        return digit is null ? null : entered.ToString();
    }

    private short[] Prompt(string name) => MailboxPrompts.Join(_mailboxes.Prompts, [name]);

    private Task SayAsync(string name) => PlayAsync(name, Prompt(name));

    // Plays unless a digit is already waiting (typed ahead), then waits for the next digit: null when the caller hung up.
    private async Task<char?> PromptAsync(string name, short[] samples, TimeSpan wait)
    {
        await PlayAsync(name, samples);
        return await NextDigitAsync(wait);
    }

    private async Task PlayAsync(string name, short[] samples)
    {
        Task playing;
        lock (_gate)
        {
            playing = _digits.Reader.Count > 0 || Ended ? Task.CompletedTask : _endpoint.PlayAsync(samples);
        }

        _played.Writer.TryWrite((name, playing.IsCompleted ? 0 : samples.Length));
        await Task.WhenAny(playing, _ended.Task);
    }

    private async Task<char?> NextDigitAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait, _mailboxes.Time);
        return await NextDigitAsync(timeout.Token);
    }

    /// <summary>The next digit, <see cref="NoDigit"/> once <paramref name="until"/> fires, or null when the caller hung up.</summary>
    private async Task<char?> NextDigitAsync(CancellationToken until)
    {
        if (_digits.Reader.TryRead(out var ready))
        {
            return ready;
        }

        var arrived = _digits.Reader.WaitToReadAsync(until).AsTask();
        await Task.WhenAny(arrived, _ended.Task);
        if (Ended)
        {
            return null;
        }

        return _digits.Reader.TryRead(out var digit) ? digit : NoDigit;
    }

    private void Deny(Call call, DirectoryExtension owner, string reason)
    {
        SwitchLog.MailboxRefused(_mailboxes.Logger, call.CallId, owner.Number, reason);
        _mailboxes.Audit.Denied("voicemail.pin", reason, call.TenantId, _caller.Mac, _caller.DeviceId.ToString(), _caller.Source, "extension", owner.Id.ToString());
    }
}
