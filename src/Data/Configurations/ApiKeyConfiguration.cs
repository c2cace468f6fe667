using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasIndex(k => k.ResellerId);
        builder.HasOne(k => k.Reseller).WithMany(r => r.ApiKeys).HasForeignKey(k => k.ResellerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => k.UserId);
        builder.HasOne(k => k.User).WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t =>
        {
            // A personal key has a user and a tenant and no reseller; any other key has neither.
            t.HasCheckConstraint("ck_api_keys_personal", "(user_id IS NULL AND tenant_id IS NULL) OR (user_id IS NOT NULL AND tenant_id IS NOT NULL AND reseller_id IS NULL)");
            t.HasCheckConstraint("ck_api_keys_secret_hash", "octet_length(secret_hash) = 32");
            t.HasCheckConstraint("ck_api_keys_prefix", "prefix ~ '^[a-z0-9]{8,16}$'");
        });
    }
}
