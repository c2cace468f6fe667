using System.Buffers;

namespace HostedPbx.Switch.Tests.Sip.Support;

/// <summary>Builds a multi-segment sequence, as a PipeReader hands out, split at the given offsets.</summary>
internal sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
{
    private SegmentedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(byte[] data, params int[] splits)
    {
        var first = new SegmentedSequence(data.AsMemory(0, splits.Length > 0 ? splits[0] : data.Length), 0);
        var last = first;
        for (var i = 0; i < splits.Length; i++)
        {
            var start = splits[i];
            var end = i + 1 < splits.Length ? splits[i + 1] : data.Length;
            var next = new SegmentedSequence(data.AsMemory(start, end - start), start);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
