using HostedPbx.Data.Recordings;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>Registers the switch's recording side; before the SIP server, so recovery and the signing key are ready first.</summary>
internal static class RecordingServices
{
    public static IHostApplicationBuilder AddCallRecording(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.SectionName);
        builder.Services.AddSingleton<RecordingService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecordingService>());
        return builder;
    }
}
