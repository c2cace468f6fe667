namespace HostedPbx.Switch.Devices;

/// <summary>
/// An extension as routing and registration need it, with where its calls are forwarded (numbers of the same tenant)
/// and whether a call it cannot take goes to its mailbox.
/// </summary>
internal sealed record DirectoryExtension(
    Guid Id,
    Guid TenantId,
    string Number,
    string DisplayName,
    bool DigestRequired,
    string? Ha1Sha256,
    string? Ha1Md5,
    string? ForwardAlways = null,
    string? ForwardBusy = null,
    string? ForwardNoAnswer = null,
    int ForwardNoAnswerSeconds = 20,
    bool VoicemailEnabled = false);
