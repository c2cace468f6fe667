namespace HostedPbx.Web.Security;

/// <summary>What a portal user may set out to do; docs/roles.md is the matrix of who may, <see cref="PortalCaller.May"/> its code.</summary>
public enum PortalAction
{
    ViewTenants,
    ManageTenants,
    ManageApiKeys,
    ManageTrustAnchors,
    ViewJobs,
    ManageExtensions,
    ManageHandsets,
    IssueHandsetCertificate,
    DownloadHandsetKey,
    RevokeHandsetCertificate,
    RebindHandsetCertificate,
    ViewCalls,
    ViewLiveCalls,
    ViewAuditLog,
    ManageVoicemail,
    ViewRecordings,
    ExportRecordings,
    ManagePersonalApiKeys,
    GrantRecordingListening,
    ManageLegalHolds,
    ManageCarriers,
    ManagePstn,
    ManageFraudSettings,
}
