using System.Diagnostics;
using System.Globalization;

namespace HostedPbx.Switch.LoadTool.Measuring;

/// <summary>
/// CPU time (utime + stime from /proc/{pid}/stat) and resident memory (VmRSS from /proc/{pid}/status) of a process at
/// one moment, with the wall-clock timestamp it was read at.
/// </summary>
internal readonly record struct ProcessSample(TimeSpan Cpu, TimeSpan KernelCpu, long RssBytes, long Timestamp)
{
    private static readonly Lazy<int> s_ticksPerSecond = new(ReadTicksPerSecond);

    public static ProcessSample Read(int pid)
    {
        var timestamp = Stopwatch.GetTimestamp();
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return new ProcessSample(ParseCpu(stat, s_ticksPerSecond.Value), ParseKernelCpu(stat, s_ticksPerSecond.Value), ReadRss(pid), timestamp);
    }

    /// <summary>Fields 14 and 15 of /proc/{pid}/stat, counted after the ")" that ends the command name (which may hold spaces).</summary>
    public static TimeSpan ParseCpu(string stat, int ticksPerSecond)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ticksPerSecond);
    }

    /// <summary>Field 15 alone (stime): the part spent in the kernel, i.e. in system calls such as recvfrom and sendto.</summary>
    public static TimeSpan ParseKernelCpu(string stat, int ticksPerSecond)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((double)long.Parse(fields[12], CultureInfo.InvariantCulture) / ticksPerSecond);
    }

    public TimeSpan Elapsed(ProcessSample earlier) => Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp);

    private static long ReadRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static int ReadTicksPerSecond()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true });
        var text = getconf?.StandardOutput.ReadToEnd().Trim();
        getconf?.WaitForExit();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
    }
}
