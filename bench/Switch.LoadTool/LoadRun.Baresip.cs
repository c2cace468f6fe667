using System.Diagnostics;
using HostedPbx.Switch.LoadTool.Media;
using HostedPbx.Switch.LoadTool.Setup;
using HostedPbx.Switch.LoadTool.Sip;
using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.LoadTool;

internal sealed partial class LoadRun
{
    private const double ToolTone = 1000;
    private const double PeerTone = 440;

    /// <summary>
    /// Interop smoke check: a load-tool handset calls a real baresip handset through the switch. The tool sends a 1 kHz
    /// tone and checks that baresip's 440 Hz tone arrives (decrypted with the keys the switch gave the tool's leg);
    /// baresip's own recording shows whether the tool's SRTP decrypted on its side.
    /// </summary>
    private async Task RunBaresipCheckAsync(LoadHandset peerIdentity, LoadSeeder seeder, string work, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(work, "baresip");
        Directory.CreateDirectory(directory);
        var wav = Path.Combine(directory, "tone440.wav");
        var seconds = (int)(options.Warmup + options.Media).TotalSeconds;
        BaresipHandset.WriteToneWav(wav, PeerTone, seconds + 10);
        await using var peer = BaresipHandset.Start(directory, peerIdentity, seeder.Root.Certificate.ExportCertificatePem(), Sip, wav, seconds + 20);
        if (!await peer.WaitRegisteredAsync(TimeSpan.FromSeconds(20), cancellationToken))
        {
            report.Add("baresip", $"did not register within 20 s; its log:\n{peer.Log}");
            return;
        }

        var caller = _handsets[0];
        using var endpoint = new MediaEndpoint(MuLaw.ToneFrame(), options.Suite) { Capture = [] };
        var offer = SdesOfferAnswer.CreateOffer(endpoint.Local());
        var requestUri = $"sip:{peerIdentity.Number}@{Sip.Address}:{Sip.Port}";
        var from = $"<{caller.Aor}>;tag={SipHandset.NewTag()}";
        var to = $"<sip:{peerIdentity.Number}@{Sip.Address}>";
        var callId = $"{Guid.NewGuid():N}@load";
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var reply = await caller.SendRequestAsync("INVITE", requestUri, from, to, callId, 1, caller.Contact, SdpWriter.WriteUtf8(offer.Offer), limit.Token);
        var setup = Stopwatch.GetElapsedTime(started);
        if (reply.StatusCode != 200 || !SdpReader.TryRead(reply.Body, out var answer, out _)
            || SdesOfferAnswer.AcceptAnswer(offer, answer) is not { IsAcceptable: true } accepted)
        {
            report.Add("baresip", $"call refused or unreadable answer: {reply.StatusCode}");
            return;
        }

        var target = reply.Contact ?? requestUri;
        await caller.SendRawAsync(SipText.Request("ACK", target, caller.SentBy, from, $"{to};tag={reply.ToTag}", callId, 1, null), cancellationToken);
        endpoint.Start(accepted.Media);
        using var receiver = new MediaReceiver([endpoint], 1, options.ReceiveGather);
        await Task.Run(() => new MediaPacer([endpoint], 1).Run(options.Warmup + options.Media), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var bye = await caller.SendRequestAsync("BYE", target, from, $"{to};tag={reply.ToTag}", callId, 2, null, cancellationToken: limit.Token);

        var heard = endpoint.Capture!.Select(b => (double)MuLaw.Decode(b)).ToArray();
        // baresip writes its recording when the call closes.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var recording = Directory.GetFiles(peer.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault();
        var peerHeard = recording is null ? [] : BaresipHandset.ReadWavSamples(recording);
        var srtpLine = peer.Log.Split('\n').FirstOrDefault(l => l.Contains("SRTP is Enabled", StringComparison.Ordinal))?.Trim() ?? "(no SRTP line in its log)";
        report.Add("baresip call", $"tool handset {caller.Identity.Number} → baresip {peerIdentity.Number}: 200 in {setup.TotalMilliseconds:F0} ms, BYE {bye.StatusCode}; baresip: \"{srtpLine}\"");
        report.Add("baresip → tool", $"{endpoint.Received} SRTP and {endpoint.RtcpReceived} SRTCP packets authenticated with the tool leg's keys, {endpoint.AuthFailures} failed, loss {Ratio(Math.Max(0, endpoint.GapLoss), endpoint.Received + Math.Max(0, endpoint.GapLoss))}, jitter {endpoint.JitterMs:F2} ms; {PeerTone:F0} Hz share of what arrived {ToneCheck.Ratio(heard, PeerTone, 8000):F3} (a {ToolTone:F0} Hz check of it gives {ToneCheck.Ratio(heard, ToolTone, 8000):F3})");
        report.Add("tool → baresip", $"{endpoint.Sent} packets sent; baresip recorded {peerHeard.Length / 8000.0:F1} s ({recording ?? "no recording"}), {ToolTone:F0} Hz share {ToneCheck.Ratio(peerHeard, ToolTone, 8000):F3}");
    }
}
