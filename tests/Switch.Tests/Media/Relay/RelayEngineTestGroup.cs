namespace HostedPbx.Switch.Tests.Media.Relay;

/// <summary>The engine tests count the whole process's allocations, so nothing else may run beside them.</summary>
[CollectionDefinition(nameof(RelayEngineTestGroup), DisableParallelization = true)]
public sealed class RelayEngineTestGroup;
