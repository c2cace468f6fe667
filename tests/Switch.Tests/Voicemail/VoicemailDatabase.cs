namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// The voicemail tests share one database, the assembly's by name; the other classes of this assembly that need a
/// database make their own under another name (<see cref="HostedPbx.Testing.PostgresFixture.OwnAsync"/>), since a
/// fixture drops and creates its database by name. The voicemail classes run one after another: they reset it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VoicemailDatabase : ICollectionFixture<HostedPbx.Testing.PostgresFixture>
{
    public const string Name = "voicemail database";
}
