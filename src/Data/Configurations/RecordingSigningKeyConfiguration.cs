using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class RecordingSigningKeyConfiguration : IEntityTypeConfiguration<RecordingSigningKey>
{
    public void Configure(EntityTypeBuilder<RecordingSigningKey> builder)
    {
        builder.Property(k => k.PublicKey).HasMaxLength(200);
    }
}
