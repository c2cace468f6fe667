using System.Buffers.Binary;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

/// <summary>STYLE §6: the relay's hot path allocates nothing per packet.</summary>
public sealed class SrtpAllocationTests
{
    private const int Iterations = 2000;

    public static TheoryData<SrtpSuite> Suites => new(Enum.GetValues<SrtpSuite>());

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectAndUnprotectRtp_SteadyState_AllocatesNothing(SrtpSuite suite)
    {
        var keys = SrtpKeys.Generate(suite);
        using var sender = new SrtpContext(suite, keys);
        using var receiver = new SrtpContext(suite, keys);
        var template = SrtpPackets.Rtp(0);
        var buffer = new byte[template.Length];
        ushort sequence = 0;

        RunRtp(sender, receiver, template, buffer, ref sequence, 100);
        var allocated = Allocations.LeastOfFiveWindows(() => RunRtp(sender, receiver, template, buffer, ref sequence, Iterations));

        Assert.Equal(0, allocated);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectAndUnprotectRtcp_SteadyState_AllocatesNothing(SrtpSuite suite)
    {
        var keys = SrtpKeys.Generate(suite);
        using var sender = new SrtpContext(suite, keys);
        using var receiver = new SrtpContext(suite, keys);
        var template = SrtpPackets.Rtcp();
        var buffer = new byte[template.Length];

        RunRtcp(sender, receiver, template, buffer, 100);
        var allocated = Allocations.LeastOfFiveWindows(() => RunRtcp(sender, receiver, template, buffer, Iterations));

        Assert.Equal(0, allocated);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_ForgedPackets_RejectedWithoutExceptionOrAllocation(SrtpSuite suite)
    {
        // Issue 13: a flood of forgeries must cost no more than good packets, on GCM legs too (the BCL's Decrypt throws).
        using var receiver = new SrtpContext(suite, SrtpKeys.Generate(suite));
        using var forger = new SrtpContext(suite, SrtpKeys.Generate(suite));
        var forged = SrtpPackets.Rtp(1);
        forger.ProtectRtp(forged, SrtpPackets.RtpLength(), out var length);
        var copy = forged[..length];
        Assert.Equal(SrtpStatus.AuthFailed, receiver.UnprotectRtp(forged.AsSpan(0, length), out _));
        Assert.Equal(copy, forged[..length]);
        var exceptions = 0;
        // The event is process-wide and other test classes run beside this one: count only this thread's exceptions,
        // the thread that unprotects every forgery below.
        var thread = Environment.CurrentManagedThreadId;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                Interlocked.Increment(ref exceptions);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            var allocated = Allocations.LeastOfFiveWindows(() =>
            {
                for (var i = 0; i < Iterations; i++)
                {
                    if (receiver.UnprotectRtp(forged.AsSpan(0, length), out _) != SrtpStatus.AuthFailed)
                    {
                        Assert.Fail($"forgery {i} was not refused");
                    }
                }
            });

            Assert.Equal(0, allocated);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, exceptions);
    }

    private static void RunRtp(SrtpContext sender, SrtpContext receiver, byte[] template, byte[] buffer, ref ushort sequence, int count)
    {
        for (var i = 0; i < count; i++)
        {
            template.AsSpan().CopyTo(buffer);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequence++);
            var status = sender.ProtectRtp(buffer, SrtpPackets.RtpLength(), out var length);
            status |= receiver.UnprotectRtp(buffer.AsSpan(0, length), out _);
            if (status != SrtpStatus.Ok)
            {
                Assert.Fail($"packet {i}: {status}");
            }
        }
    }

    private static void RunRtcp(SrtpContext sender, SrtpContext receiver, byte[] template, byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            template.AsSpan().CopyTo(buffer);
            var status = sender.ProtectRtcp(buffer, SrtpPackets.RtcpLength, out var length);
            status |= receiver.UnprotectRtcp(buffer.AsSpan(0, length), out _);
            if (status != SrtpStatus.Ok)
            {
                Assert.Fail($"packet {i}: {status}");
            }
        }
    }
}
