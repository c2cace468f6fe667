using System.Reflection;
using HostedPbx.Switch.Calls;

namespace HostedPbx.Switch.Tests.Calls.Support;

/// <summary>
/// Holds a call's decision lock from a thread of its own, as a long decision of another event would, so that responses
/// read meanwhile by the connections' threads wait at the call's door together and are decided in whatever order the
/// lock lets them in when <see cref="Release"/> is called.
/// </summary>
internal sealed class BusyCall : IDisposable
{
    private readonly ManualResetEventSlim _release = new();
    private readonly Thread _holder;

    public BusyCall(Call call)
    {
        var gate = (Lock)typeof(Call).GetField("_gate", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(call)!;
        using var held = new ManualResetEventSlim();
        _holder = new Thread(() =>
        {
            lock (gate)
            {
                held.Set();
                _release.Wait();
            }
        });
        _holder.Start();
        held.Wait();
    }

    public void Release()
    {
        _release.Set();
        _holder.Join();
    }

    public void Dispose()
    {
        if (!_release.IsSet)
        {
            Release();
        }

        _release.Dispose();
    }
}
