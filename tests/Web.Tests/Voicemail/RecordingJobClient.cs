using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace HostedPbx.Web.Tests.Voicemail;

/// <summary>A job client that records what would have been queued (the network of the job store is what is faked here).</summary>
internal sealed class RecordingJobClient : IBackgroundJobClient
{
    private readonly List<Job> _jobs = [];

    public IReadOnlyList<Guid> MessageIds => [.. _jobs.Where(j => j.Type == typeof(HostedPbx.Web.Jobs.VoicemailEmailJob)).Select(j => (Guid)j.Args[0])];

    public string Create(Job job, IState state)
    {
        _jobs.Add(job);
        return _jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
