namespace HostedPbx.Switch.Tests.Media.Sdp;

internal static class SdpFiles
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "sdp", name));
}
