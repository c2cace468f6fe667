using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Recordings;

/// <summary>
/// An export as a third party gets it: unpacked, and checked with nothing but the README's own commands run by Debian's
/// openssl and sha256sum. Every command holds on the real export, and fails once one byte is changed.
/// </summary>
public sealed class ExportRecordingsTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("api-export-").FullName;
    private readonly string _unpacked = Directory.CreateTempSubdirectory("api-export-zip-").FullName;
    private readonly ProvisioningFactory _factory = new(database);
    private WebApplicationFactory<Program> _app = null!;
    private TestTenants.Arranged _tenant = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _tenant = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _app = _factory.WithWebHostBuilder(b => b.UseSetting("Recordings:Directory", _folder));
        var (_, key) = await TestOfficers.AddAsync(database, _tenant.Tenant.Id, "olivia");
        _client = _app.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_unpacked, recursive: true);
    }

    [Fact]
    public async Task Export_UnpackedAndCheckedWithTheReadmesCommands_VerifiesAndEveryChangedByteFails()
    {
        var first = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);
        await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);
        var third = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);

        var response = await _client.PostAsJsonAsync(Url("/export"), new { ids = new[] { first.Recording.Id, third.Recording.Id } }, _cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        await using (var zip = await response.Content.ReadAsStreamAsync(_cancel))
        {
            await ZipFile.ExtractToDirectoryAsync(zip, _unpacked, _cancel);
        }

        var firstId = first.Recording.Id.ToString("D");
        Assert.Equal(first.Pcm, File.ReadAllBytes(Path.Combine(_unpacked, $"{firstId}.wav"))[44..]);
        Assert.True(File.Exists(Path.Combine(_unpacked, "pub.pem")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_unpacked, "chain"), "*.json").Length);
        var commands = Commands();
        Assert.Equal(2 * 2 + 3 * 2, commands.Count);
        foreach (var command in commands)
        {
            Assert.True(await RunAsync(command), $"failed on the real export: {command.Line}");
        }

        Flip(Path.Combine(_unpacked, $"{firstId}.json"), 40);
        Flip(Path.Combine(_unpacked, $"{firstId}.wav"), 44 + 1000);
        Assert.False(await RunAsync(commands.Single(c => c.Line.StartsWith("openssl", StringComparison.Ordinal) && c.Line.EndsWith($" {firstId}.json", StringComparison.Ordinal))));
        Assert.False(await RunAsync(commands.Single(c => c.Line.Contains($" {firstId}.wav", StringComparison.Ordinal))));
        await using var owner = database.CreateOwnerContext();
        var audited = await owner.AuditEvents.AsNoTracking().Where(a => a.Action == "recording.export").ToListAsync(_cancel);
        Assert.Equal([first.Recording.Id.ToString(), third.Recording.Id.ToString()], audited.Select(a => a.TargetId).Order());
        Assert.All(audited, a => Assert.Equal("olivia", a.ActorName));
    }

    [Fact]
    public async Task Export_OneFileAlteredOnDisk_IsRefusedAndNamesIt()
    {
        var good = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);
        var bad = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);
        Flip(Path.Combine(_folder, bad.Recording.StoragePath), 200);

        var response = await _client.PostAsJsonAsync(Url("/export"), new { ids = new[] { good.Recording.Id, bad.Recording.Id } }, _cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(_cancel);
        Assert.Contains(bad.Recording.Id.ToString(), body, StringComparison.Ordinal);
        Assert.DoesNotContain(good.Recording.Id.ToString(), body, StringComparison.Ordinal);
    }

    // The README's commands: an openssl line must print "Verified OK"; a hash line must print the hash after its "#".
    private sealed record Command(string Line, string? ExpectedHash);

    private List<Command> Commands() => [.. File.ReadAllLines(Path.Combine(_unpacked, "README.txt"))
        .Where(l => l.StartsWith("openssl ", StringComparison.Ordinal) || l.StartsWith("tail ", StringComparison.Ordinal) || l.StartsWith("sha256sum ", StringComparison.Ordinal))
        .Select(l => l.Split('#', 2, StringSplitOptions.TrimEntries) is [var line, var hash] ? new Command(line, hash) : new Command(l, null))];

    private async Task<bool> RunAsync(Command command)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command.Line]) { WorkingDirectory = _unpacked, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(_cancel);
        await process.WaitForExitAsync(_cancel);
        return command.ExpectedHash is { } hash
            ? process.ExitCode == 0 && output.StartsWith(hash + " ", StringComparison.Ordinal)
            : process.ExitCode == 0 && output.Trim() == "Verified OK";
    }

    private static void Flip(string path, long offset)
    {
        using var file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x01));
    }

    private string Url(string rest) => $"/api/v1/tenants/{_tenant.Tenant.Id}/recordings{rest}";
}
