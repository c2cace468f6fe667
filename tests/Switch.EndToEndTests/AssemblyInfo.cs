using HostedPbx.Testing;

// One database for the assembly; the switch process and the handsets share it, so tests run one at a time.
[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
