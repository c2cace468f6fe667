using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// dumpcap on the loopback interface only, with a capture filter naming ports the test owns, bounded in time
/// (shared/peers/README.md §2). Stopped with SIGINT so the file is complete, then read as classic pcap.
/// </summary>
internal sealed class LoopbackCapture : IAsyncDisposable
{
    private static readonly TimeSpan s_maximum = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly string _file;
    private readonly System.Text.StringBuilder _log = new();

    private LoopbackCapture(Process process, string file)
    {
        _process = process;
        _file = file;
    }

    public static async Task<LoopbackCapture> StartAsync(string directory, string filter, CancellationToken cancellationToken)
    {
        var file = Path.Combine(directory, "loopback.pcap");
        var info = new ProcessStartInfo(Tool.Require("dumpcap")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-i", "lo", "-f", filter, "-P", "-w", file, "-a", $"duration:{s_maximum.TotalSeconds.ToString(CultureInfo.InvariantCulture)}" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var capture = new LoopbackCapture(process, file);
        process.ErrorDataReceived += (_, e) => { lock (capture._log) { capture._log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (capture._log) { capture._log.AppendLine(e.Data); } };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        // dumpcap says "Capturing on 'Loopback: lo'" once the filter is compiled and the interface is open.
        await Eventually.GetAsync(() => Task.FromResult(
            capture.Log.Contains("Capturing on", StringComparison.Ordinal) ? (object?)true
            : process.HasExited ? throw new InvalidOperationException("dumpcap failed (capturing needs root or CAP_NET_RAW):\n" + capture.Log) : null),
            TimeSpan.FromSeconds(10), "dumpcap to start");
        return capture;
    }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>
    /// Whether the capture's file already holds <paramref name="bytes"/>. dumpcap writes its file about twice a second, so a
    /// test that must not stop before a packet is in the file waits on this.
    /// </summary>
    public bool FileHolds(ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var held = new byte[file.Length];
        file.ReadExactly(held);
        return held.AsSpan().IndexOf(bytes) >= 0;
    }

    /// <summary>Stops the capture and reads what it holds.</summary>
    public async Task<List<CapturedPacket>> StopAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            await Tool.RunAsync("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5), cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(limit.Token);
        }

        return Read(await File.ReadAllBytesAsync(_file, cancellationToken));
    }

    /// <summary>Classic pcap (microsecond, little-endian) with Ethernet framing, which is what Linux gives for lo.</summary>
    private static List<CapturedPacket> Read(byte[] file)
    {
        if (file.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(file) != 0xa1b2c3d4)
        {
            throw new InvalidDataException("not a little-endian pcap file");
        }

        var linkType = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20));
        if (linkType != 1)
        {
            throw new InvalidDataException($"unexpected link type {linkType} on lo");
        }

        var packets = new List<CapturedPacket>();
        var offset = 24;
        while (offset + 16 <= file.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8));
            var frame = file.AsSpan(offset + 16, Math.Min(length, file.Length - offset - 16));
            offset += 16 + length;
            if (frame.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800)
            {
                continue;
            }

            var ip = frame[14..];
            var headerLength = (ip[0] & 0x0f) * 4;
            var totalLength = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(ip[2..]), ip.Length);
            var transport = ip[headerLength..totalLength];
            if (ip[9] == 17 && transport.Length >= 8)
            {
                packets.Add(new CapturedPacket(true, BinaryPrimitives.ReadUInt16BigEndian(transport), BinaryPrimitives.ReadUInt16BigEndian(transport[2..]), transport[8..].ToArray()));
            }
            else if (ip[9] == 6 && transport.Length >= 20)
            {
                var dataOffset = (transport[12] >> 4) * 4;
                packets.Add(new CapturedPacket(false, BinaryPrimitives.ReadUInt16BigEndian(transport), BinaryPrimitives.ReadUInt16BigEndian(transport[2..]), transport[dataOffset..].ToArray()));
            }
        }

        return packets;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(limit.Token);
        }

        _process.Dispose();
    }
}
