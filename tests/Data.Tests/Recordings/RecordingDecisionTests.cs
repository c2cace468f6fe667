using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;

namespace HostedPbx.Data.Tests.Recordings;

public sealed class RecordingDecisionTests
{
    private static readonly RecordingPolicyChoice s_always = new(Guid.NewGuid(), "Always", RecordingMode.Always, Announce: true);
    private static readonly RecordingPolicyChoice s_never = new(Guid.NewGuid(), "Never", RecordingMode.Never, Announce: true);
    private static readonly RecordingPolicyChoice s_external = new(Guid.NewGuid(), "External", RecordingMode.ExternalOnly, Announce: false);
    private static readonly RecordingPolicyChoice s_onDemand = new(Guid.NewGuid(), "On demand", RecordingMode.OnDemand, Announce: true);

    [Fact]
    public void Decide_NoPolicyAnywhere_RecordsNothing()
    {
        var verdict = RecordingDecision.Decide(null, [null, null], null, external: false);

        Assert.Same(RecordingVerdict.None, verdict);
        Assert.False(verdict.RecordNow);
    }

    [Fact]
    public void Decide_TenantDefaultAlways_RecordsAndAnnounces()
    {
        var verdict = RecordingDecision.Decide(s_always, [null, null], null, external: false);

        Assert.Equal(s_always.Id, verdict.PolicyId);
        Assert.True(verdict.RecordNow);
        Assert.True(verdict.Announce);
    }

    [Fact]
    public void Decide_TenantAlwaysButBothExtensionsNever_RecordsNothingUnderTheExtensionsPolicy()
    {
        var verdict = RecordingDecision.Decide(s_always, [s_never, s_never], null, external: false);

        Assert.Equal(s_never.Id, verdict.PolicyId);
        Assert.False(verdict.RecordNow);
        Assert.False(verdict.Announce);
    }

    [Fact]
    public void Decide_OneRecordedLine_RecordsTheCallUnderThatLinesPolicy()
    {
        // The caller's extension is never recorded, the callee's line is recorded always: the callee's policy wins.
        var verdict = RecordingDecision.Decide(s_never, [s_never, s_always], null, external: false);

        Assert.Equal(s_always.Id, verdict.PolicyId);
        Assert.True(verdict.RecordNow);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Decide_ExternalOnly_RecordsOnlyCallsThatLeaveTheNetwork(bool external, bool recorded)
    {
        var verdict = RecordingDecision.Decide(s_external, [null, null], null, external);

        Assert.Equal(s_external.Id, verdict.PolicyId);
        Assert.Equal(recorded, verdict.RecordNow);
    }

    [Fact]
    public void Decide_TrunkOverride_WinsOverTheTenantDefault()
    {
        var verdict = RecordingDecision.Decide(s_never, [null], s_always, external: true);

        Assert.Equal(s_always.Id, verdict.PolicyId);
        Assert.True(verdict.RecordNow);
    }

    [Fact]
    public void Decide_OnDemand_IsStoredButDoesNotRecordFromTheStart()
    {
        var verdict = RecordingDecision.Decide(s_never, [s_onDemand, null], null, external: false);

        Assert.Equal(s_onDemand.Id, verdict.PolicyId);
        Assert.Equal(RecordingMode.OnDemand, verdict.Mode);
        Assert.False(verdict.RecordNow);
        Assert.True(verdict.Announce);
    }
}
