using HostedPbx.Provisioning.Features.ApiKeys;
using HostedPbx.Provisioning.Features.Calls;
using HostedPbx.Provisioning.Features.Certificates;
using HostedPbx.Provisioning.Features.Devices;
using HostedPbx.Provisioning.Features.Extensions;
using HostedPbx.Provisioning.Features.Fraud;
using HostedPbx.Provisioning.Features.Numbers;
using HostedPbx.Provisioning.Features.Routes;
using HostedPbx.Provisioning.Features.LegalHolds;
using HostedPbx.Provisioning.Features.RecordingPolicies;
using HostedPbx.Provisioning.Features.Recordings;
using HostedPbx.Provisioning.Features.Tenants;
using HostedPbx.Provisioning.Features.TrustAnchors;
using HostedPbx.Provisioning.Features.Voicemail;
using HostedPbx.Provisioning.Features.Trunks;

namespace HostedPbx.Provisioning;

internal static class ApiEndpoints
{
    /// <summary>Everything under /api/v1: an API key is required on every route.</summary>
    public static void MapManagementApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        var tenant = api.MapTenantsApi();
        tenant.MapExtensionsApi();
        tenant.MapCallsApi();
        tenant.MapVoicemailApi();
        tenant.MapRecordingsApi();
        tenant.MapLegalHoldsApi();
        tenant.MapRecordingPoliciesApi();
        tenant.MapDevicesApi().MapCertificatesApi(api);
        api.MapApiKeysApi();
        api.MapTrustAnchorsApi();
        api.MapDeviceClaimsApi();
        tenant.MapTrunksApi();
        tenant.MapNumbersApi();
        tenant.MapRoutesApi();
        tenant.MapFraudApi();
        api.MapCarriersApi();
    }
}
