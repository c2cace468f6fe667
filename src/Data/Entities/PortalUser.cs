using Microsoft.AspNetCore.Identity;

namespace HostedPbx.Data.Entities;

/// <summary>
/// A person who signs in to the portal. The role fixes the scope: operators have none, reseller admins a reseller,
/// tenant admins and compliance officers a tenant (a check constraint holds this in the database).
/// </summary>
public class PortalUser : IdentityUser<Guid>
{
    public PortalRole Role { get; set; }
    public Guid? ResellerId { get; set; }
    public Reseller? Reseller { get; set; }
    public Guid? TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public required string DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
