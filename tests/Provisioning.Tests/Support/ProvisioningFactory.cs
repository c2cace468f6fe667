using System.Net.Http.Headers;
using System.Security.Cryptography;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Security;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HostedPbx.Provisioning.Tests.Support;

/// <summary>The real Provisioning app over the test database, as the application role.</summary>
public sealed class ProvisioningFactory(PostgresFixture database) : WebApplicationFactory<Program>
{
    public static readonly string MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>This app's voicemail folder (sealed files), one per factory.</summary>
    public string VoicemailDirectory { get; } = Directory.CreateTempSubdirectory("hostedpbx-vm-").FullName;

    /// <summary>This app's recordings folder (sealed files), one per factory.</summary>
    public string RecordingsDirectory { get; } = Directory.CreateTempSubdirectory("hostedpbx-rec-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:ConnectionString", database.AppConnectionString);
        builder.UseSetting("Keys:MasterKey", MasterKey);
        builder.UseSetting("Provisioning:SwitchCaPath", "/dev/null");
        builder.UseSetting("Voicemail:Directory", VoicemailDirectory);
        builder.UseSetting("Recordings:Directory", RecordingsDirectory);
    }

    /// <summary>A client that sends the given key.</summary>
    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Adds an API key for a reseller (or the operator, with null) as the table owner; returns its plaintext.</summary>
    public async Task<string> AddKeyAsync(Guid? resellerId, string name = "test")
    {
        var secret = ApiKeySecret.Create();
        await using var owner = database.CreateOwnerContext();
        owner.ApiKeys.Add(new ApiKey { ResellerId = resellerId, Name = name, Prefix = secret.Prefix, SecretHash = secret.Hash, CreatedAt = TestClock.Now });
        await owner.SaveChangesAsync();
        return secret.Plaintext;
    }
}
