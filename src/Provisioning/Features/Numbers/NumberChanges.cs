using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Provisioning.Features.Numbers;

/// <summary>The checks that creating and updating a number share: E.164, and an extension and trunk of the same tenant.</summary>
internal static class NumberChanges
{
    public static async Task<ValidationProblem?> InvalidAsync(PbxDbContext db, Guid tenantId, NumberSettings request, CancellationToken ct)
    {
        if (!PhoneNumber.IsE164(request.Number))
        {
            return ApiErrors.Invalid(nameof(request.Number), $"'{request.Number}' is not in E.164: write + and 7 to 15 digits, e.g. +4930123456.");
        }

        if (!await db.Extensions.ForTenant(tenantId).AnyAsync(e => e.Id == request.DestinationExtensionId, ct))
        {
            return ApiErrors.Invalid(nameof(request.DestinationExtensionId), "No such extension in this tenant.");
        }

        if (request.TrunkId is { } trunkId && !await db.Trunks.ForTenant(tenantId).AnyAsync(t => t.Id == trunkId, ct))
        {
            return ApiErrors.Invalid(nameof(request.TrunkId), "No such trunk in this tenant.");
        }

        return null;
    }

    public static async Task<Conflict<ProblemDetails>?> ConflictAsync(PbxDbContext db, NumberSettings request, Guid? numberId, CancellationToken ct) =>
        await db.InboundNumbers.AnyAsync(n => n.Number == request.Number && n.Id != numberId, ct) ? Taken(request.Number) : null;

    /// <summary>
    /// Saves; a number another reseller's tenant holds is invisible here (row-level security), so the unique index is
    /// what finds it, and the answer is the same 409 without saying whose it is.
    /// </summary>
    public static async Task<Conflict<ProblemDetails>?> SaveAsync(PbxDbContext db, string number, CancellationToken ct)
    {
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

    private static Conflict<ProblemDetails> Taken(string number) => ApiErrors.Conflict($"{number} is assigned already.");
}
