using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder)
    {
        builder.ToTable("portal_users", t => t.HasCheckConstraint("ck_portal_users_scope",
            "(role = 'Operator' AND reseller_id IS NULL AND tenant_id IS NULL)"
            + " OR (role = 'ResellerAdmin' AND reseller_id IS NOT NULL AND tenant_id IS NULL)"
            + " OR (role IN ('TenantAdmin', 'ComplianceOfficer') AND tenant_id IS NOT NULL AND reseller_id IS NULL)"));
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.HasOne(u => u.Reseller).WithMany().HasForeignKey(u => u.ResellerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(u => u.Tenant).WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
