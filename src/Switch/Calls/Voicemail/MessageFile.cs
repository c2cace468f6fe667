namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>A message whose row exists and whose sealed file is being written: its id, full path and (plain) data key.</summary>
internal sealed record MessageFile(Guid Id, string Path, byte[] DataKey);
