using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// The checks that creating and updating a number share, in the API and the portal: E.164, an extension and trunk of
/// the same tenant, and a number nobody holds yet.
/// </summary>
public static class NumberChanges
{
    /// <summary>The first problem with <paramref name="settings"/> for the number <paramref name="numberId"/> (null for a new one).</summary>
    public static async Task<PstnProblem?> CheckAsync(PbxDbContext db, Guid tenantId, NumberSettings settings, Guid? numberId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        if (SettingsCheck.Problem(settings) is { } annotated)
        {
            return annotated;
        }

        if (!PhoneNumber.IsE164(settings.Number))
        {
            return new PstnProblem(nameof(settings.Number), $"'{settings.Number}' is not in E.164: write + and 7 to 15 digits, e.g. +4930123456.");
        }

        if (!await db.Extensions.ForTenant(tenantId).AnyAsync(e => e.Id == settings.DestinationExtensionId, ct))
        {
            return new PstnProblem(nameof(settings.DestinationExtensionId), "No such extension in this tenant.");
        }

        if (settings.TrunkId is { } trunkId && !await db.Trunks.ForTenant(tenantId).AnyAsync(t => t.Id == trunkId, ct))
        {
            return new PstnProblem(nameof(settings.TrunkId), "No such trunk in this tenant.");
        }

        return await db.InboundNumbers.AnyAsync(n => n.Number == settings.Number && n.Id != numberId, ct) ? Taken(settings.Number) : null;
    }

    /// <summary>
    /// Saves; a number another reseller's tenant holds is invisible here (row-level security), so the unique index is
    /// what finds it, and the answer is the same conflict without saying whose it is.
    /// </summary>
    public static async Task<PstnProblem?> SaveAsync(PbxDbContext db, string number, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Taken(number);
        }
    }

    private static PstnProblem Taken(string number) => new(nameof(NumberSettings.Number), $"{number} is assigned already.", IsConflict: true);
}
