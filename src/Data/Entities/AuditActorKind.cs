namespace HostedPbx.Data.Entities;

/// <summary>Who acted.</summary>
public enum AuditActorKind
{
    PortalUser,
    ApiKey,
    Device,
    System,
}
