using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;

namespace HostedPbx.Provisioning.Tests.Support;

/// <summary>The models behind the golden files: one line, and two lines whose display names are hostile to XML.</summary>
internal static class HandsetScenarios
{
    public const string SingleLine = "single-line";
    public const string TwoHostileLines = "two-hostile-lines";

    public static readonly MacAddress Mac = MacAddress.Parse("0015651a2b3c");

    public static readonly string[] Names = [SingleLine, TwoHostileLines];

    public static readonly DeviceVendor[] TemplatedVendors =
        [DeviceVendor.Yealink, DeviceVendor.Polycom, DeviceVendor.Snom, DeviceVendor.Grandstream, DeviceVendor.Cisco, DeviceVendor.Baresip];

    public static string SwitchCaPem { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "switch-ca.pem"));

    public static HandsetConfigModel Create(DeviceVendor vendor, string scenario) => scenario switch
    {
        SingleLine => Base(vendor) with
        {
            Lines = [new HandsetLine(1, "201", "Alice Example")],
            TimeZone = "Europe/Berlin",
        },
        TwoHostileLines => Base(vendor) with
        {
            Lines = [new HandsetLine(1, "201", "Ann & \"Bob\" <x>"), new HandsetLine(2, "202", "O'Brien ]]> &amp; Co")],
            TimeZone = "America/New_York",
            Baresip = Base(vendor).Baresip! with { RecordingPath = "/tmp/hostedpbx/rec/0015651a2b3c", ControlListen = "127.0.0.1:7071" },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };

    private static HandsetConfigModel Base(DeviceVendor vendor) => new()
    {
        Mac = Mac,
        Vendor = vendor,
        Model = vendor == DeviceVendor.Baresip ? "baresip 1.0" : "test-model",
        SwitchHost = vendor == DeviceVendor.Baresip ? "127.0.0.1" : "pbx.example.test",
        SwitchPort = 5061,
        Lines = [],
        SwitchCaPem = SwitchCaPem,
        SwitchCaUrl = new Uri("https://pbx.example.test:7443/provision/ca.crt"),
        VoicemailNumber = "*97",
        TimeZone = "UTC",
        Baresip = new BaresipSettings
        {
            CertificatePath = ".data/demo/devices/0015651a2b3c.pem",
            CaPath = ".data/demo/ca.crt",
            AudioSource = "aufile,/tmp/hostedpbx/audio/speech_pad_8k.wav",
        },
    };
}
