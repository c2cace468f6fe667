namespace HostedPbx.Data.Recordings;

/// <summary>Where recordings are kept (section "Recordings").</summary>
public sealed class RecordingOptions
{
    public const string SectionName = "Recordings";

    /// <summary>The folder of the sealed audio files; empty means <c>{HostedPbx:DataDirectory}/recordings</c> (<c>.data/recordings</c>).</summary>
    public string Directory { get; set; } = "";

    /// <summary>The folder to use: <see cref="Directory"/>, or the default under the data directory.</summary>
    public string Resolve(string? dataDirectory) =>
        string.IsNullOrWhiteSpace(Directory) ? Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? ".data" : dataDirectory, "recordings") : Directory;
}
