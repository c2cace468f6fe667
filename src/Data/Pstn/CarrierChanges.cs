using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Pstn;

/// <summary>The checks and the writing that creating and updating an operator's carrier share, in the API and the portal.</summary>
public static class CarrierChanges
{
    /// <summary>The first problem with <paramref name="settings"/> for the carrier <paramref name="carrierId"/> (null for a new one).</summary>
    public static async Task<PstnProblem?> CheckAsync(PbxDbContext db, CarrierSettings settings, Guid? carrierId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        if (SettingsCheck.Problem(settings) is { } annotated)
        {
            return annotated;
        }

        if (TrunkHost.Problem(settings.Host) is { } host)
        {
            return new PstnProblem(nameof(settings.Host), host);
        }

        return await db.Carriers.AnyAsync(c => c.Name == settings.Name.Trim() && c.Id != carrierId, ct)
            ? new PstnProblem(nameof(settings.Name), $"A carrier named '{settings.Name}' exists already.", IsConflict: true)
            : null;
    }

    public static void Apply(Carrier carrier, CarrierSettings settings, KeyProtector protector)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(protector);
        carrier.Name = settings.Name.Trim();
        carrier.Host = settings.Host.Trim();
        carrier.Port = settings.Port;
        carrier.Transport = settings.Transport;
        carrier.CertificateName = string.IsNullOrWhiteSpace(settings.CertificateName) ? null : settings.CertificateName.Trim();
        carrier.SrtpMode = settings.SrtpMode;
        carrier.Username = string.IsNullOrWhiteSpace(settings.Username) ? null : settings.Username;
        carrier.MaxChannels = settings.MaxChannels;
        carrier.Enabled = settings.Enabled;
        if (settings.Password is { } password)
        {
            // Stored only encrypted, bound to this carrier's row (KeyPurpose): a blob copied to another row does not open.
            carrier.ProtectedPassword = password.Length == 0 ? null
                : protector.Protect(Encoding.UTF8.GetBytes(password), KeyPurpose.CarrierPassword(carrier.Id));
        }
    }

    /// <summary>Why the carrier cannot be deleted (tenants' trunks still use it), or null.</summary>
    public static async Task<PstnProblem?> DeleteProblemAsync(PbxDbContext db, Guid carrierId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Trunks.AnyAsync(t => t.CarrierId == carrierId, ct)
            ? new PstnProblem("Carrier", "Tenants' trunks use this carrier; move them to another first.", IsConflict: true)
            : null;
    }
}
