using HostedPbx.Data.Entities;
using HostedPbx.Data.Voicemail;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// Option 5 of the mailbox menu: 1 records the unavailable greeting, 2 the busy one, 3 goes back to a default greeting,
/// * returns. A recording runs after a tone until #, hang-up, or the longest greeting an upload may be; it is played
/// back and kept only on 1 (2 records again, * cancels). Audio stays in memory until kept, so a hang-up keeps nothing
/// and the old greeting stays. Kept greetings are stored by the same function as an upload in portal or API.
/// </summary>
internal sealed partial class RetrievalLeg
{
    private const int SampleRate = Applications.Prompt.SampleRate;

    /// <summary>A greeting shorter than this is refused, as is one of only silence.</summary>
    private static readonly TimeSpan s_shortestGreeting = TimeSpan.FromSeconds(1);

    // The greetings menu; false when the caller hung up.
    private async Task<bool> GreetingsAsync(DirectoryExtension owner)
    {
        for (var silent = 0; silent < SilentPrompts;)
        {
            var digit = await PromptAsync(MailboxPrompts.GreetingMenu, Prompt(MailboxPrompts.GreetingMenu), s_menuWait);
            silent = digit == NoDigit ? silent + 1 : 0;
            switch (digit)
            {
                case null:
                    return false;
                case NoDigit:
                    break;
                case '1' or '2':
                    return await RecordGreetingAsync(owner, digit == '1' ? GreetingKind.Unavailable : GreetingKind.Busy);
                case '3':
                    return await RestoreDefaultAsync(owner);
                case '*':
                    return true;
                default:
                    await SayAsync(MailboxPrompts.Invalid);
                    break;
            }
        }

        return !Ended;
    }

    // Which greeting goes back to the default; the recorded one's row and file go, as a delete in portal or API.
    private async Task<bool> RestoreDefaultAsync(DirectoryExtension owner)
    {
        var digit = await PromptAsync(MailboxPrompts.DefaultWhich, Prompt(MailboxPrompts.DefaultWhich), s_menuWait);
        if (digit is null)
        {
            return false;
        }

        if (digit is not ('1' or '2'))
        {
            if (digit != NoDigit)
            {
                await SayAsync(MailboxPrompts.Invalid);
            }

            return !Ended;
        }

        var kind = digit == '1' ? GreetingKind.Unavailable : GreetingKind.Busy;
        if (await _mailboxes.Store.RemoveGreetingAsync(Call!.TenantId, owner.Id, kind, _caller, CancellationToken.None))
        {
            SwitchLog.GreetingChangedByPhone(_mailboxes.Logger, Call!.CallId, owner.Number, kind.ToString(), "set back to the default");
        }

        await SayAsync(MailboxPrompts.DefaultRestored);
        return !Ended;
    }

    // Record, play back, keep / again / cancel; false when the caller hung up (and then nothing is kept).
    private async Task<bool> RecordGreetingAsync(DirectoryExtension owner, GreetingKind kind)
    {
        var call = Call!;
        for (var attempt = 0; attempt < SilentPrompts; attempt++)
        {
            var recorded = await RecordAsync(kind);
            if (recorded is not { } take)
            {
                SwitchLog.GreetingNotKept(_mailboxes.Logger, call.CallId, owner.Number, kind.ToString(), "the caller hung up");
                return false;
            }

            var problem = take.Samples.Length < s_shortestGreeting.TotalSeconds * SampleRate ? "shorter than 1 s" : take.Silent ? "only silence" : null;
            if (problem is not null)
            {
                SwitchLog.GreetingNotKept(_mailboxes.Logger, call.CallId, owner.Number, kind.ToString(), problem);
                _mailboxes.Audit.Denied("voicemail.greeting.record", problem, call.TenantId, _caller.Mac, _caller.DeviceId.ToString(), _caller.Source, "extension", owner.Id.ToString());
                await SayAsync(MailboxPrompts.GreetingRefused);
                if (Ended)
                {
                    return false;
                }

                continue;
            }

            SwitchLog.GreetingRecorded(_mailboxes.Logger, call.CallId, owner.Number, kind.ToString(), take.Samples.Length / (SampleRate / 1000));
            switch (await ReviewAsync(kind, take.Samples))
            {
                case null:
                    SwitchLog.GreetingNotKept(_mailboxes.Logger, call.CallId, owner.Number, kind.ToString(), "the caller hung up before keeping it");
                    return false;
                case '1':
                    await _mailboxes.Store.ReplaceGreetingAsync(call.TenantId, owner.Id, kind, GreetingRecorder.Pcm(take.Samples), _caller, CancellationToken.None);
                    SwitchLog.GreetingChangedByPhone(_mailboxes.Logger, call.CallId, owner.Number, kind.ToString(), "recorded");
                    await SayAsync(MailboxPrompts.GreetingKept);
                    return !Ended;
                case '2':
                    continue;
                default:
                    await SayAsync(MailboxPrompts.GreetingCancelled);
                    return !Ended;
            }
        }

        await SayAsync(MailboxPrompts.GreetingCancelled);
        return !Ended;
    }

    // The prompt and tone, then the caller's audio until #, hang-up (null) or the longest a greeting may be.
    private async Task<(short[] Samples, bool Silent)?> RecordAsync(GreetingKind kind)
    {
        await PlayAsync(MailboxPrompts.RecordGreeting, [.. Prompt(MailboxPrompts.RecordGreeting), .. MailboxPrompts.Tone]);
        if (Ended)
        {
            return null;
        }

        var recorder = new GreetingRecorder((int)(GreetingUpload.MaxDuration.TotalSeconds * SampleRate));
        // The limit runs from the moment the recording is said to start, not from whenever the first wait is armed.
        using var limit = new CancellationTokenSource(GreetingUpload.MaxDuration, _mailboxes.Time);
        _endpoint.Sink = recorder;
        _played.Writer.TryWrite(($"record:{kind}", 0));
        try
        {
            while (true)
            {
                // Digits other than # (RFC 4733 events never reach the recording) are passed over.
                var digit = await NextDigitAsync(limit.Token);
                if (digit is null)
                {
                    return null;
                }

                if (digit is '#' or NoDigit)
                {
                    break;
                }
            }
        }
        finally
        {
            _endpoint.Sink = null;
        }

        return (recorder.Samples(), recorder.IsSilent);
    }

    // Plays the recording back and asks what to do: 1, 2 or * (also after three silences), or null when the caller hung up.
    private async Task<char?> ReviewAsync(GreetingKind kind, short[] recorded)
    {
        var digit = await PromptAsync($"greeting:{kind}", [.. recorded, .. Prompt(MailboxPrompts.GreetingReview)], s_menuWait);
        for (var silent = 0; ;)
        {
            if (digit is null or '1' or '2' or '*')
            {
                return digit;
            }

            if (digit == NoDigit)
            {
                if (++silent >= SilentPrompts)
                {
                    return '*';
                }
            }
            else
            {
                silent = 0;
                await SayAsync(MailboxPrompts.Invalid);
            }

            digit = await PromptAsync(MailboxPrompts.GreetingReview, Prompt(MailboxPrompts.GreetingReview), s_menuWait);
        }
    }
}
