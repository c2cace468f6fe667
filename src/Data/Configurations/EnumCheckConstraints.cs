using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Configurations;

/// <summary>Every enum column gets a check constraint listing its names, so SQL written by hand cannot store a stray value.</summary>
internal static class EnumCheckConstraints
{
    public static void Add(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null)
            {
                continue;
            }

            foreach (var property in entity.GetDeclaredProperties())
            {
                var enumType = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (!enumType.IsEnum)
                {
                    continue;
                }

                var column = property.GetColumnName();
                var names = string.Join(", ", Enum.GetNames(enumType).Select(n => $"'{n}'"));
                builder.Entity(entity.ClrType).ToTable(t => t.HasCheckConstraint($"ck_{table}_{column}_values", $"{column} IN ({names})"));
            }
        }
    }
}
