using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Api;

/// <summary>
/// The usual malformations, sent to every operation of the OpenAPI document with real ids: no answer is a 500, and
/// every refusal is RFC 9457 problem details (<c>application/problem+json</c>), 409s included.
/// </summary>
public sealed class MalformedInputTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private TestTenants.Arranged _a = null!;
    private HttpClient _operator = null!;
    private Dictionary<string, string> _ids = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        var key = await _factory.AddKeyAsync(null, "operator");
        _operator = _factory.ClientWithKey(key);
        _ids = new Dictionary<string, string>
        {
            ["tenantId"] = _a.Tenant.Id.ToString(), ["extensionId"] = _a.Extension.Id.ToString(), ["deviceId"] = _a.Device.Id.ToString(),
            ["resellerId"] = _a.Reseller.Id.ToString(), ["keyId"] = (await owner.ApiKeys.SingleAsync(k => k.Name == "operator")).Id.ToString(),
            ["callId"] = (await TestCalls.AddAsync(owner, _a.Tenant.Id)).Id.ToString(),
        };
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task EveryOperation_UsualMalformations_NeverAnswer500_AndRefuseWithProblemDetails()
    {
        using var document = JsonDocument.Parse(await _operator.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var schemas = document.RootElement.GetProperty("components").TryGetProperty("schemas", out var s) ? s : default;
        var failures = new List<string>();
        var operations = 0;

        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations++;
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                foreach (var (label, url, body) in Malformations(path.Name, operation.Value, schemas))
                {
                    using var request = new HttpRequestMessage(method, url);
                    if (body is not null)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }

                    using var response = await _operator.SendAsync(request, TestContext.Current.CancellationToken);
                    var type = response.Content.Headers.ContentType?.MediaType;
                    if ((int)response.StatusCode >= 500 || ((int)response.StatusCode >= 400 && type != "application/problem+json"))
                    {
                        failures.Add($"{method} {path.Name} ({label}): {(int)response.StatusCode} {type}");
                    }
                }
            }
        }

        Assert.True(operations > 20, $"only {operations} operations in the document");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Conflict_IsProblemDetails()
    {
        var body = new StringContent($"{{\"number\":\"{_a.Extension.Number}\",\"displayName\":\"Twin\"}}", Encoding.UTF8, "application/json");

        using var response = await _operator.PostAsync($"/api/v1/tenants/{_a.Tenant.Id}/extensions", body, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(409, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task NulInDisplayName_Is400ProblemAndWritesNothing()
    {
        var body = new StringContent("{\"number\":\"7788\",\"displayName\":\"A\\u0000B\"}", Encoding.UTF8, "application/json");

        using var response = await _operator.PostAsync($"/api/v1/tenants/{_a.Tenant.Id}/extensions", body, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await using var owner = database.CreateOwnerContext();
        Assert.False(await owner.Extensions.AnyAsync(e => e.Number == "7788", TestContext.Current.CancellationToken));
    }

    private IEnumerable<(string Label, string Url, string? Body)> Malformations(string template, JsonElement operation, JsonElement schemas)
    {
        var real = Fill(template, name => _ids.GetValueOrDefault(name, Guid.NewGuid().ToString()));
        yield return ("real ids", real, operation.TryGetProperty("requestBody", out _) ? "{}" : null);
        yield return ("ids that are not GUIDs", Fill(template, _ => "not-a-guid"), null);
        foreach (var query in QueryNames(operation))
        {
            foreach (var value in new[] { "-1", "%00", "99999999999999999999", "abc" })
            {
                yield return ($"?{query}={value}", $"{real}?{query}={value}", null);
            }
        }

        if (!operation.TryGetProperty("requestBody", out var requestBody))
        {
            yield break;
        }

        foreach (var raw in new[] { "{not json", "", "[]", "null", "{\"a\":", "\"text\"", "{\"a\":1}{\"b\":2}" })
        {
            yield return ($"body {raw}", real, raw);
        }

        var schema = requestBody.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema");
        yield return ("every string with NUL", real, Plausible(schema, schemas, nul: _ => true)?.ToJsonString());
        foreach (var field in StringFields(schema, schemas, ""))
        {
            yield return ($"NUL in {field}", real, Plausible(schema, schemas, nul: f => f == field)?.ToJsonString());
        }

        yield return ("every value an object", real, WrongTypes(schema, schemas).ToJsonString());
    }

    private static string Fill(string template, Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}", m => value(m.Groups[1].Value));

    private static IEnumerable<string> QueryNames(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)
            : [];

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema;
    }

    private static IEnumerable<string> StringFields(JsonElement schema, JsonElement schemas, string prefix)
    {
        schema = Resolve(schema, schemas);
        if (!schema.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var inner = Resolve(property.Value, schemas);
            if (IsType(inner, "string") && !inner.TryGetProperty("enum", out _))
            {
                yield return prefix + property.Name;
            }
            else if (inner.TryGetProperty("properties", out _) && prefix.Length < 40)
            {
                foreach (var nested in StringFields(inner, schemas, $"{prefix}{property.Name}."))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A body that passes as much validation as names allow, so that a string reaches the database.</summary>
    private static JsonNode? Plausible(JsonElement schema, JsonElement schemas, Func<string, bool> nul, string prefix = "")
    {
        schema = Resolve(schema, schemas);
        if (schema.TryGetProperty("enum", out var values))
        {
            return JsonValue.Create(values[0].ToString());
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            var node = new JsonObject();
            foreach (var property in properties.EnumerateObject())
            {
                node[property.Name] = IsType(Resolve(property.Value, schemas), "string") && !Resolve(property.Value, schemas).TryGetProperty("enum", out _)
                    ? Text(property.Name, nul(prefix + property.Name))
                    : Plausible(property.Value, schemas, nul, $"{prefix}{property.Name}.");
            }

            return node;
        }

        return IsType(schema, "integer") || IsType(schema, "number") ? JsonValue.Create(1)
            : IsType(schema, "boolean") ? JsonValue.Create(true)
            : IsType(schema, "array") ? new JsonArray()
            : IsType(schema, "string") ? JsonValue.Create("x")
            : null;
    }

    private static JsonValue Text(string name, bool withNul)
    {
        var value = name.ToLowerInvariant() switch
        {
            "number" => "7788",
            "mac" => "0015651a0099",
            "timezone" => "UTC",
            "voicemailaccessnumber" => "*97",
            "voicemailemail" => "a@example.test",
            _ => "Name",
        };
        return JsonValue.Create(withNul ? value[..1] + "\u0000" + value[1..] : value);
    }

    private static JsonObject WrongTypes(JsonElement schema, JsonElement schemas)
    {
        schema = Resolve(schema, schemas);
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return new JsonObject();
        }

        var node = new JsonObject();
        foreach (var property in properties.EnumerateObject())
        {
            node[property.Name] = new JsonObject { ["x"] = 1 };
        }

        return node;
    }

    private static bool IsType(JsonElement schema, string type) =>
        schema.TryGetProperty("type", out var t) && (t.ValueKind == JsonValueKind.String ? t.GetString() == type : t.EnumerateArray().Any(e => e.GetString() == type));
}
