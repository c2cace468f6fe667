using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;
using HostedPbx.Provisioning.Tests.Support;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

/// <summary>
/// Every vendor's output for every scenario equals its file under Golden/{vendor}/{scenario}/ byte for byte. On a
/// difference the actual bytes are written under Golden.actual/ in the output folder, to review and copy over.
/// </summary>
public sealed class GoldenFileTests
{
    public static TheoryData<DeviceVendor, string> Cases()
    {
        var data = new TheoryData<DeviceVendor, string>();
        foreach (var vendor in HandsetScenarios.TemplatedVendors)
        {
            foreach (var scenario in HandsetScenarios.Names)
            {
                data.Add(vendor, scenario);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Scenario_MatchesGoldenFiles(DeviceVendor vendor, string scenario)
    {
        var template = HandsetTemplates.For(vendor)!;

        var files = template.Render(HandsetScenarios.Create(vendor, scenario));

        var mismatches = new List<string>();
        foreach (var file in files)
        {
            var relative = Path.Combine(vendor.ToString(), scenario, file.Name);
            var golden = Path.Combine(AppContext.BaseDirectory, "Golden", relative);
            var actual = file.Content.ToArray();
            if (!File.Exists(golden) || !File.ReadAllBytes(golden).AsSpan().SequenceEqual(actual))
            {
                var written = Path.Combine(AppContext.BaseDirectory, "Golden.actual", relative);
                Directory.CreateDirectory(Path.GetDirectoryName(written)!);
                File.WriteAllBytes(written, actual);
                mismatches.Add(relative);
            }
        }

        Assert.Empty(mismatches);
        var expectedNames = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden", vendor.ToString(), scenario))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expectedNames, files.Select(f => f.Name).Order(StringComparer.Ordinal));
    }
}
