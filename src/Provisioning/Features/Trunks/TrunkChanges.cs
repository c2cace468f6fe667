using System.Text;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

/// <summary>The checks and the writing that creating and updating a tenant's trunk share.</summary>
internal static class TrunkChanges
{
    public static async Task<ValidationProblem?> InvalidAsync(PbxDbContext db, TrunkSettings request, ApiCaller caller, Trunk? existing,
        CancellationToken ct)
    {
        if (request.CarrierId is { } carrierId)
        {
            if (!string.IsNullOrWhiteSpace(request.Host))
            {
                return ApiErrors.Invalid(nameof(request.Host), "A trunk on an operator's carrier takes the carrier's host; leave Host empty.");
            }

            if (!await db.Carriers.AnyAsync(c => c.Id == carrierId && c.Enabled, ct))
            {
                return ApiErrors.Invalid(nameof(request.CarrierId), "No such carrier, or it is disabled.");
            }
        }
        else if (TrunkHost.Problem(request.Host) is { } host)
        {
            return ApiErrors.Invalid(nameof(request.Host), host);
        }

        // Plain signalling is the operator's decision for a named trunk (issue 11): a reseller cannot grant it to itself.
        if (request.PlainTransportAllowed && existing is not { PlainTransportAllowed: true } && !caller.IsOperator)
        {
            return ApiErrors.Invalid(nameof(request.PlainTransportAllowed), "Only the operator may allow TCP or UDP for a trunk.");
        }

        if (request.Transport != TrunkTransport.Tls && !request.PlainTransportAllowed)
        {
            return ApiErrors.Invalid(nameof(request.Transport), "TCP or UDP only where the operator allowed it for this trunk; use TLS.");
        }

        return null;
    }

    public static async Task<Conflict<ProblemDetails>?> ConflictAsync(PbxDbContext db, Guid tenantId, TrunkSettings request, Guid? trunkId,
        CancellationToken ct) =>
        await db.Trunks.ForTenant(tenantId).AnyAsync(t => t.Name == request.Name.Trim() && t.Id != trunkId, ct)
            ? ApiErrors.Conflict($"A trunk named '{request.Name}' exists already.")
            : null;

    public static void Apply(Trunk trunk, TrunkSettings request, KeyProtector protector)
    {
        trunk.Name = request.Name.Trim();
        trunk.CarrierId = request.CarrierId;
        trunk.Host = request.CarrierId is null ? request.Host!.Trim() : null;
        trunk.Port = request.Port;
        trunk.Transport = request.Transport;
        trunk.PlainTransportAllowed = request.PlainTransportAllowed;
        trunk.CertificateName = string.IsNullOrWhiteSpace(request.CertificateName) ? null : request.CertificateName.Trim();
        trunk.VerifyServerCertificate = true;
        trunk.SrtpMode = request.SrtpMode;
        trunk.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username;
        trunk.MaxChannels = request.MaxChannels;
        trunk.Enabled = request.Enabled;
        if (request.Password is { } password)
        {
            // Stored only encrypted, bound to this trunk's row (KeyPurpose): a blob copied to another row does not open.
            trunk.ProtectedPassword = password.Length == 0 ? null
                : protector.Protect(Encoding.UTF8.GetBytes(password), KeyPurpose.TrunkPassword(trunk.Id));
        }
    }
}
