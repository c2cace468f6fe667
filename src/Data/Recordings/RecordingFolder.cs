using Microsoft.Extensions.Configuration;

namespace HostedPbx.Data.Recordings;

/// <summary>Where the sealed recordings are, read the same way by every part that plays, verifies or exports them.</summary>
public static class RecordingFolder
{
    public static string Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(RecordingOptions.SectionName).Get<RecordingOptions>() ?? new RecordingOptions();
        return options.Resolve(configuration["HostedPbx:DataDirectory"]);
    }
}
