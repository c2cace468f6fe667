using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class PublishedRevocationListConfiguration : IEntityTypeConfiguration<PublishedRevocationList>
{
    public void Configure(EntityTypeBuilder<PublishedRevocationList> builder)
    {
        builder.HasKey(l => l.IssuerId);
        builder.HasOne(l => l.Issuer).WithMany().HasForeignKey(l => l.IssuerId).OnDelete(DeleteBehavior.Cascade);
        // Optimistic concurrency: two parts refreshing at once cannot both write the same number.
        builder.Property(l => l.Number).IsConcurrencyToken();
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_published_revocation_lists_number", "number > 0");
            t.HasCheckConstraint("ck_published_revocation_lists_window", "next_update > this_update");
        });
    }
}
