using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

internal sealed partial class Call
{
    /// <summary>Forks the call to every binding in parallel, each over the connection it registered on (RFC 5923).</summary>
    public void Start(IReadOnlyList<(Binding Binding, SipConnection Connection)> targets)
    {
        var body = SdpWriter.WriteUtf8(CalleeOffer.Offer);
        var host = Controller.Limits.SentBy;
        lock (_gate)
        {
            foreach (var (binding, connection) in targets)
            {
                var fork = new CalleeFork(
                    this, binding, connection, SipRequests.NewCallId(host.Split(':')[0]),
                    $"<sip:{CallerUser}@{host}>;tag={SipRequests.NewTag()}", $"<sip:{CalleeUser}@{host}>");
                var invite = SipRequests.Create(
                    "INVITE", binding.ContactUri, host, fork.From, fork.To, fork.CallId, fork.CSeq, $"<sip:switch@{host};transport=tls>", body, "application/sdp");
                fork.Transaction = new ClientInviteTransaction(invite, connection, fork, Controller.Scheduler, Controller.Timers);
                Controller.Transactions.TryAddClient(fork.Transaction);
                Controller.Track(fork.CallId, this);
                _forks.Add(fork);
            }

            _noAnswer = Controller.Time.CreateTimer(static s => ((Call)s!).OnNoAnswer(), this, Controller.Limits.NoAnswer, Timeout.InfiniteTimeSpan);
        }

        foreach (var fork in _forks)
        {
            SwitchLog.ForkStarted(Controller.Logger, CallerCallId, fork.Binding.ContactUri);
            fork.Transaction!.Start();
        }

        // In progress from now on: the portal shows it among the active calls until the final record replaces it.
        Controller.Records.Write(BuildRecord(CallOutcome.InProgress, null, ended: false));
    }

    public void OnForkResponse(CalleeFork fork, SipResponse response)
    {
        if (response.IsProvisional)
        {
            OnForkProvisional(fork, response);
        }
        else if (response.IsSuccess)
        {
            OnForkAnswered(fork, response);
        }
        else
        {
            OnForkFailed(fork, response.StatusCode);
        }
    }

    private void OnForkProvisional(CalleeFork fork, SipResponse response)
    {
        bool sendRinging;
        lock (_gate)
        {
            fork.HasProvisional = true;
            sendRinging = State == CallState.Ringing && response.StatusCode is 180 or 183 && !_ringingSent;
            _ringingSent |= sendRinging;
        }

        if (sendRinging)
        {
            CallerTransaction.SendResponse(SipResponses.Create(CallerTransaction.Request, SipStatusCodes.Ringing, LocalTag, ContactHeader()));
        }
    }

    private void OnForkAnswered(CalleeFork fork, SipResponse response)
    {
        NegotiationResult? accepted = null;
        bool won;
        lock (_gate)
        {
            fork.RemoteTag = response.ToTag;
            fork.RemoteTarget = ContactUri(response) ?? fork.Binding.ContactUri;
            won = State == CallState.Ringing;
            if (won)
            {
                accepted = SdpReader.TryRead(response.Body, out var answer, out _) ? SdesOfferAnswer.AcceptAnswer(CalleeOffer, answer) : null;
                won = accepted is { IsAcceptable: true };
            }

            if (won)
            {
                State = CallState.Answered;
                Answered = fork;
                CalleeAnswer = accepted;
                AnsweredAt = Controller.Time.GetUtcNow();
                _noAnswer?.Dispose();
                _mediaWatch = Controller.Time.CreateTimer(static s => ((Call)s!).OnMediaCheck(), this, Controller.Limits.MediaCheck, Controller.Limits.MediaCheck);
            }
        }

        // RFC 3261 §13.2.2.4: every 2xx is ACKed by the UAC core; a losing or unusable one is then ended with BYE.
        SendAck(fork);
        if (!won)
        {
            SwitchLog.ForkAnswerRefused(Controller.Logger, CallerCallId, accepted?.NotAcceptableReason ?? "late or unreadable answer");
            SendBye(fork);
            OnForkFailed(fork, SipStatusCodes.NotAcceptableHere);
            return;
        }

        Media.Start(RelayLeg.FromNegotiated(CallerAnswer.Media!), RelayLeg.FromNegotiated(accepted!.Media!));
        CancelForks(except: fork);
        var ok = SipResponses.Create(
            CallerTransaction.Request, SipStatusCodes.Ok, LocalTag, [.. ContactHeader(), ("Content-Type", "application/sdp")],
            SdpWriter.WriteUtf8(CallerAnswer.Answer!));
        CallerTransaction.SendResponse(ok);
        SwitchLog.CallAnswered(Controller.Logger, CallerCallId, CallerUser, CalleeUser);
        Controller.Records.Write(BuildRecord(CallOutcome.InProgress, null, ended: false));
    }

    public void OnForkFailed(CalleeFork fork, int status)
    {
        int? final = null;
        lock (_gate)
        {
            fork.FinalStatus ??= status;
            if (State == CallState.Ringing && _forks.TrueForAll(f => f.FinalStatus is not null))
            {
                // RFC 3261 §16.7 step 6 in spirit: busy wins over the rest, else the callee is unavailable.
                final = _forks.Exists(f => f.FinalStatus is 486 or 600 or 603) ? SipStatusCodes.BusyHere : SipStatusCodes.TemporarilyUnavailable;
            }
        }

        if (final is { } code)
        {
            CallerTransaction.SendResponse(SipResponses.Create(CallerTransaction.Request, code, LocalTag));
            End(code == SipStatusCodes.BusyHere ? CallOutcome.Busy : CallOutcome.Unavailable, code);
        }
    }

    private void OnNoAnswer()
    {
        lock (_gate)
        {
            if (State != CallState.Ringing)
            {
                return;
            }
        }

        CancelForks(except: null);
        CallerTransaction.SendResponse(SipResponses.Create(CallerTransaction.Request, SipStatusCodes.TemporarilyUnavailable, LocalTag, reason: "No Answer"));
        End(CallOutcome.NoAnswer, SipStatusCodes.TemporarilyUnavailable);
    }

    private void CancelForks(CalleeFork? except)
    {
        foreach (var fork in _forks)
        {
            if (ReferenceEquals(fork, except) || fork.FinalStatus is not null || fork.Transaction is null)
            {
                continue;
            }

            // RFC 3261 §9.1: CANCEL in its own transaction, to the same place as the INVITE.
            var cancel = new ClientNonInviteTransaction(
                fork.Transaction.CreateCancel(), fork.Connection, new TransactionCleanup(Controller.Transactions), Controller.Scheduler, Controller.Timers);
            Controller.Transactions.TryAddClient(cancel);
            cancel.Start();
        }
    }
}
