using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HostedPbx.Data.Voicemail;

public static class VoicemailServices
{
    /// <summary>The voicemail folder and the sealed audio of messages and greetings (needs the master key's <c>KeyProtector</c>).</summary>
    public static IHostApplicationBuilder AddVoicemailAudio(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => VoicemailFiles.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<VoicemailAudio>();
        return builder;
    }
}
