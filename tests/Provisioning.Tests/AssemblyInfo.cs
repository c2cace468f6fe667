using HostedPbx.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
