using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Pstn;

/// <summary>The checks and the writing that creating and updating a tenant's trunk share, in the API and the portal.</summary>
public static class TrunkChanges
{
    /// <summary>
    /// The first problem with <paramref name="settings"/> for the tenant's trunk <paramref name="existing"/> (null for a new
    /// one). <paramref name="byOperator"/>: whether the operator asks; only the operator allows plain TCP or UDP.
    /// </summary>
    public static async Task<PstnProblem?> CheckAsync(PbxDbContext db, Guid tenantId, TrunkSettings settings, bool byOperator, Trunk? existing,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        if (SettingsCheck.Problem(settings) is { } annotated)
        {
            return annotated;
        }

        if (settings.CarrierId is { } carrierId)
        {
            if (!string.IsNullOrWhiteSpace(settings.Host))
            {
                return new PstnProblem(nameof(settings.Host), "A trunk on an operator's carrier takes the carrier's host; leave Host empty.");
            }

            if (!await db.Carriers.AnyAsync(c => c.Id == carrierId && c.Enabled, ct))
            {
                return new PstnProblem(nameof(settings.CarrierId), "No such carrier, or it is disabled.");
            }
        }
        else if (TrunkHost.Problem(settings.Host) is { } host)
        {
            return new PstnProblem(nameof(settings.Host), host);
        }

        // Plain signalling is the operator's decision for a named trunk (issue 11): a reseller cannot grant it to itself.
        if (settings.PlainTransportAllowed && existing is not { PlainTransportAllowed: true } && !byOperator)
        {
            return new PstnProblem(nameof(settings.PlainTransportAllowed), "Only the operator may allow TCP or UDP for a trunk.");
        }

        if (settings.Transport != TrunkTransport.Tls && !settings.PlainTransportAllowed)
        {
            return new PstnProblem(nameof(settings.Transport), "TCP or UDP only where the operator allowed it for this trunk; use TLS.");
        }

        Guid? trunkId = existing?.Id;
        return await db.Trunks.ForTenant(tenantId).AnyAsync(t => t.Name == settings.Name.Trim() && t.Id != trunkId, ct)
            ? new PstnProblem(nameof(settings.Name), $"A trunk named '{settings.Name}' exists already.", IsConflict: true)
            : null;
    }

    public static void Apply(Trunk trunk, TrunkSettings settings, KeyProtector protector)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(protector);
        trunk.Name = settings.Name.Trim();
        trunk.CarrierId = settings.CarrierId;
        trunk.Host = settings.CarrierId is null ? settings.Host!.Trim() : null;
        trunk.Port = settings.Port;
        trunk.Transport = settings.Transport;
        trunk.PlainTransportAllowed = settings.PlainTransportAllowed;
        trunk.CertificateName = string.IsNullOrWhiteSpace(settings.CertificateName) ? null : settings.CertificateName.Trim();
        trunk.VerifyServerCertificate = true;
        trunk.SrtpMode = settings.SrtpMode;
        trunk.Username = string.IsNullOrWhiteSpace(settings.Username) ? null : settings.Username;
        trunk.MaxChannels = settings.MaxChannels;
        trunk.Enabled = settings.Enabled;
        if (settings.Password is { } password)
        {
            // Stored only encrypted, bound to this trunk's row (KeyPurpose): a blob copied to another row does not open.
            trunk.ProtectedPassword = password.Length == 0 ? null
                : protector.Protect(Encoding.UTF8.GetBytes(password), KeyPurpose.TrunkPassword(trunk.Id));
        }
    }

    /// <summary>Why the tenant's trunk cannot be deleted (routes or numbers use it), or null.</summary>
    public static async Task<PstnProblem?> DeleteProblemAsync(PbxDbContext db, Guid tenantId, Guid trunkId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Routes keep their trunks in an array (no foreign key), so this check is what keeps them whole.
        return await db.OutboundRoutes.ForTenant(tenantId).AnyAsync(r => r.TrunkIds.Contains(trunkId), ct)
            || await db.InboundNumbers.ForTenant(tenantId).AnyAsync(n => n.TrunkId == trunkId, ct)
            ? new PstnProblem("Trunk", "Routes or numbers use this trunk; change them first.", IsConflict: true)
            : null;
    }
}
