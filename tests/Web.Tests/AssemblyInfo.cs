using HostedPbx.Web.Tests.Support;

[assembly: AssemblyFixture(typeof(Portal))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
