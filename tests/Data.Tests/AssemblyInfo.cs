using HostedPbx.Testing;

// One database per test assembly, reset between tests: tests in it run one at a time.
[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
