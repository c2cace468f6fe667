namespace HostedPbx.Data.Entities;

/// <summary>The role of a portal user; it also fixes which scope the user has.</summary>
public enum PortalRole
{
    Operator,
    ResellerAdmin,
    TenantAdmin,
    ComplianceOfficer,
}
