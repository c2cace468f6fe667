namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// The voicemail tests share the assembly's database (its name comes from the assembly), so they run alone: another
/// class that makes a <see cref="HostedPbx.Testing.PostgresFixture"/> drops and creates the same database.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VoicemailDatabase : ICollectionFixture<HostedPbx.Testing.PostgresFixture>
{
    public const string Name = "voicemail database";
}
