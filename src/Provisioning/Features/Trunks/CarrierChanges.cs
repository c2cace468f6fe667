using System.Text;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

/// <summary>The checks and the writing that creating and updating a carrier share.</summary>
internal static class CarrierChanges
{
    public static ValidationProblem? Invalid(CarrierSettings request) =>
        TrunkHost.Problem(request.Host) is { } host ? ApiErrors.Invalid(nameof(request.Host), host) : null;

    public static async Task<Conflict<ProblemDetails>?> ConflictAsync(PbxDbContext db, CarrierSettings request, Guid? carrierId, CancellationToken ct) =>
        await db.Carriers.AnyAsync(c => c.Name == request.Name.Trim() && c.Id != carrierId, ct)
            ? ApiErrors.Conflict($"A carrier named '{request.Name}' exists already.")
            : null;

    public static void Apply(Carrier carrier, CarrierSettings request, KeyProtector protector)
    {
        carrier.Name = request.Name.Trim();
        carrier.Host = request.Host.Trim();
        carrier.Port = request.Port;
        carrier.Transport = request.Transport;
        carrier.CertificateName = string.IsNullOrWhiteSpace(request.CertificateName) ? null : request.CertificateName.Trim();
        carrier.SrtpMode = request.SrtpMode;
        carrier.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username;
        carrier.MaxChannels = request.MaxChannels;
        carrier.Enabled = request.Enabled;
        if (request.Password is { } password)
        {
            // Stored only encrypted, bound to this carrier's row (KeyPurpose): a blob copied to another row does not open.
            carrier.ProtectedPassword = password.Length == 0 ? null
                : protector.Protect(Encoding.UTF8.GetBytes(password), KeyPurpose.CarrierPassword(carrier.Id));
        }
    }
}
