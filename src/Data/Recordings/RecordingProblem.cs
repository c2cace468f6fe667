namespace HostedPbx.Data.Recordings;

/// <summary>What <see cref="RecordingVerifier"/> found wrong with one link of a tenant's chain.</summary>
public enum RecordingProblem
{
    /// <summary>The audio file, or the recording's row (a gap in the chain), is gone.</summary>
    Missing,

    /// <summary>The audio, the manifest or its signature does not match what was signed.</summary>
    Altered,

    /// <summary>The manifest does not name the manifest before it as its previous one.</summary>
    OutOfOrder,
}
