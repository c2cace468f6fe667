using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Calls;

public sealed class CallHistoryTests(Portal portal) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await portal.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task CallHistory_EndedCall_ShowsEachLegsSecurityFacts()
    {
        TestTenants.Arranged acme;
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            acme = await TestTenants.AddAsync(owner, "Acme", "0015650000e1");
            var other = await TestTenants.AddAsync(owner, "Other", "0015650000e2");
            var call = new CallRecord
            {
                TenantId = acme.Tenant.Id, SipCallId = "call-1", Type = CallType.OutboundPstn, FromParty = "201", ToParty = "+4930123456",
                StartedAt = TestClock.Now, AnsweredAt = TestClock.Now.AddSeconds(3), EndedAt = TestClock.Now.AddMinutes(2),
                Outcome = CallOutcome.Answered, FinalSipStatus = 200, SecurityStatement = "Encrypted to the carrier; beyond it the PSTN is not.",
            };
            call.Legs.Add(new CallLegRecord
            {
                TenantId = acme.Tenant.Id, Position = 0, Kind = LegKind.Handset, Party = "201", DeviceId = acme.Device.Id,
                Transport = SignallingTransport.Tls, TlsVersion = "TLSv1.3", TlsCipher = "TLS_AES_256_GCM_SHA384", PeerCertificateVerified = true,
                PeerCertificateSubject = "CN=0015650000e1", PeerMac = "0015650000e1", PeerVerifiedBy = "Platform device CA",
                MediaProtection = MediaProtection.Srtp, SrtpSuite = "AEAD_AES_256_GCM",
            });
            call.Legs.Add(new CallLegRecord
            {
                TenantId = acme.Tenant.Id, Position = 1, Kind = LegKind.Trunk, Party = "+4930123456", Transport = SignallingTransport.Tls,
                TlsVersion = "TLSv1.2", TlsCipher = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", MediaProtection = MediaProtection.Srtp,
                SrtpSuite = "AES_CM_128_HMAC_SHA1_80", LeavesNetwork = true,
            });
            owner.CallRecords.Add(call);
            owner.CallRecords.Add(new CallRecord
            {
                TenantId = other.Tenant.Id, SipCallId = "call-2", Type = CallType.ExtensionToExtension, FromParty = "777", ToParty = "778",
                StartedAt = TestClock.Now, EndedAt = TestClock.Now.AddMinutes(1), Outcome = CallOutcome.Answered,
            });
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: acme.Tenant.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Portal.OpenAsync(page, "/calls");

        var legs = page.GetByTestId("leg");
        await Assertions.Expect(legs).ToHaveCountAsync(2);
        await Assertions.Expect(legs.Nth(0)).ToContainTextAsync("TLSv1.3 TLS_AES_256_GCM_SHA384");
        await Assertions.Expect(legs.Nth(0)).ToContainTextAsync("peer certificate verified (CN=0015650000e1, MAC 0015650000e1) by Platform device CA");
        await Assertions.Expect(legs.Nth(0)).ToContainTextAsync("SRTP AEAD_AES_256_GCM");
        await Assertions.Expect(legs.Nth(1)).ToContainTextAsync("SRTP AES_CM_128_HMAC_SHA1_80; leaves our network");
        await Assertions.Expect(legs.Nth(1)).ToContainTextAsync("peer certificate not verified");
        await Assertions.Expect(page.GetByTestId("calls")).ToContainTextAsync("beyond it the PSTN is not");
        await Assertions.Expect(page.GetByTestId("calls")).Not.ToContainTextAsync("777");
        await Portal.ScreenshotAsync(page, "call-history");
    }
}
