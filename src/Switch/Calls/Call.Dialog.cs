using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

internal sealed partial class Call
{
    /// <summary>RFC 3261 §13.2.2.4: the ACK for a 2xx is a new request to the remote target, with the INVITE's CSeq number.</summary>
    public void SendAck(CalleeFork fork)
    {
        fork.Ack ??= SipRequests.Create(
            "ACK", fork.RemoteTarget!, Controller.Limits.SentBy, fork.From, $"{fork.To};tag={fork.RemoteTag}", fork.CallId, 1, null);
        fork.Connection.Send(fork.Ack);
    }

    /// <summary>A BYE or CANCEL arrived on one side: end the call and hang up the other side.</summary>
    public void OnBye(SipConnection from, SipRequest bye, bool fromCaller)
    {
        Respond(from, bye, SipStatusCodes.Ok);
        CalleeFork? answered;
        lock (_gate)
        {
            answered = Answered;
            if (State != CallState.Answered)
            {
                return;
            }
        }

        if (fromCaller)
        {
            SendBye(answered!);
        }
        else
        {
            SendByeToCaller();
        }

        End(CallOutcome.Answered, SipStatusCodes.Ok);
    }

    /// <summary>RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE, and the forks are cancelled.</summary>
    public void OnCancel(SipConnection from, SipRequest cancel)
    {
        Respond(from, cancel, SipStatusCodes.Ok);
        lock (_gate)
        {
            if (State != CallState.Ringing)
            {
                return;
            }
        }

        CancelForks(except: null);
        CallerTransaction.SendResponse(SipResponses.Create(CallerTransaction.Request, SipStatusCodes.RequestTerminated, LocalTag));
        End(CallOutcome.Cancelled, SipStatusCodes.RequestTerminated);
    }

    /// <summary>
    /// A re-INVITE (hold, resume, new address) on an answered call is answered by the switch for that side alone (RFC 3264
    /// §8): the other side's keys and ports stay as they are, and the relay follows the new description.
    /// </summary>
    public void OnReInvite(SipConnection from, SipRequest invite, bool fromCaller, LocalMediaOptions local)
    {
        var transaction = new ServerInviteTransaction(invite, from, new TransactionCleanup(Controller.Transactions), Controller.Scheduler, Controller.Timers);
        if (!Controller.Transactions.TryAddServer(transaction))
        {
            return;
        }

        transaction.Start();
        var localTag = fromCaller ? LocalTag : Answered?.From.Split(";tag=")[1];
        if (State != CallState.Answered || !SdpReader.TryRead(invite.Body, out var offer, out _))
        {
            transaction.SendResponse(SipResponses.Create(invite, State == CallState.Answered ? SipStatusCodes.NotAcceptableHere : 491, localTag));
            return;
        }

        var answer = SdesOfferAnswer.Answer(offer, local);
        if (!answer.IsAcceptable)
        {
            transaction.SendResponse(SipResponses.Create(invite, SipStatusCodes.NotAcceptableHere, localTag, reason: answer.NotAcceptableReason));
            return;
        }

        var leg = RelayLeg.FromNegotiated(answer.Media);
        if (fromCaller)
        {
            CallerAnswer = answer;
            CallerTarget = ContactUri(invite) ?? CallerTarget;
            Media.ReplaceA(leg);
        }
        else
        {
            Media.ReplaceB(leg);
        }

        SwitchLog.ReInviteAnswered(Controller.Logger, CallerCallId, answer.Media.Direction.ToString());
        transaction.SendResponse(SipResponses.Create(
            invite, SipStatusCodes.Ok, localTag, [.. ContactHeader(), ("Content-Type", "application/sdp")], SdpWriter.WriteUtf8(answer.Answer!)));
    }

    /// <summary>A connection under one of the legs vanished: hang up what is left (RFC 5626 §5.3 flow failure).</summary>
    public void OnConnectionClosed(long connectionId)
    {
        CallState state;
        CalleeFork? answered;
        lock (_gate)
        {
            state = State;
            answered = Answered;
        }

        if (state == CallState.Ended)
        {
            return;
        }

        if (Caller.Id == connectionId)
        {
            if (answered is not null)
            {
                SendBye(answered);
            }
            else
            {
                CancelForks(except: null);
            }

            End(state == CallState.Answered ? CallOutcome.Answered : CallOutcome.Failed, null);
        }
        else if (answered?.Connection.Id == connectionId)
        {
            SendByeToCaller();
            End(CallOutcome.Answered, null);
        }
    }

    private void OnMediaCheck()
    {
        if (State == CallState.Answered && Media.Activity.LongestSilence > Controller.Limits.MediaTimeout)
        {
            SwitchLog.MediaTimeout(Controller.Logger, CallerCallId);
            SendByeToCaller();
            if (Answered is { } fork)
            {
                SendBye(fork);
            }

            End(CallOutcome.Answered, null);
        }
    }

    private void SendBye(CalleeFork fork)
    {
        var bye = SipRequests.Create(
            "BYE", fork.RemoteTarget!, Controller.Limits.SentBy, fork.From, $"{fork.To};tag={fork.RemoteTag}", fork.CallId, ++fork.CSeq, null);
        SendRequest(fork.Connection, bye);
    }

    private void SendByeToCaller()
    {
        // RFC 3261 §12.2.1.1: in the caller's dialog we are the remote party of its INVITE, so From and To swap.
        var bye = SipRequests.Create(
            "BYE", CallerTarget, Controller.Limits.SentBy, $"{CallerTo};tag={LocalTag}", CallerFrom, CallerCallId, ++_callerCSeq, null);
        SendRequest(Caller, bye);
    }

    private void SendRequest(SipConnection connection, SipRequest request)
    {
        if (connection.IsClosed)
        {
            return;
        }

        var transaction = new ClientNonInviteTransaction(request, connection, new TransactionCleanup(Controller.Transactions), Controller.Scheduler, Controller.Timers);
        Controller.Transactions.TryAddClient(transaction);
        transaction.Start();
    }

    private void Respond(SipConnection connection, SipRequest request, int status)
    {
        var transaction = new ServerNonInviteTransaction(request, connection, new TransactionCleanup(Controller.Transactions), Controller.Scheduler, Controller.Timers);
        Controller.Transactions.TryAddServer(transaction);
        transaction.SendResponse(SipResponses.Create(request, status));
    }
}
