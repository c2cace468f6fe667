namespace HostedPbx.Data.Certificates;

/// <summary>
/// The purposes <see cref="KeyProtector"/> binds a blob to. Each names the row that owns the key, so a blob copied
/// onto another row fails to open.
/// </summary>
public static class KeyPurpose
{
    public static string CertificateAuthority(Guid anchorId) => $"ca-key:{anchorId:D}";

    public static string ServerCertificate(Guid certificateId) => $"server-key:{certificateId:D}";

    public static string DeviceCertificate(Guid certificateId) => $"device-key:{certificateId:D}";

    /// <summary>The data key of one voicemail message's sealed audio file.</summary>
    public static string Voicemail(Guid messageId) => $"voicemail-key:{messageId:D}";

    /// <summary>The data key of one voicemail greeting's sealed audio file.</summary>
    public static string VoicemailGreeting(Guid greetingId) => $"greeting-key:{greetingId:D}";

    /// <summary>The data key of one recorded call's sealed audio file.</summary>
    public static string Recording(Guid recordingId) => $"recording-key:{recordingId:D}";

    public static string TrunkPassword(Guid trunkId) => $"trunk-password:{trunkId:D}";

    public static string CarrierPassword(Guid carrierId) => $"carrier-password:{carrierId:D}";
}
