namespace HostedPbx.Data.Seeding;

/// <summary>What a newcomer needs to try the demo; shown by the run command.</summary>
public sealed record DemoCredentials(string OperatorLogin, string OperatorPassword, string ResellerLogin, string ResellerPassword, string ApiKey)
{
    public string ToText() =>
        $"""
        Operator login        {OperatorLogin} / {OperatorPassword}
        Reseller login        {ResellerLogin} / {ResellerPassword}
        Demo API key          {ApiKey}   (header X-Api-Key)

        """;

    /// <summary>Never print the secrets by accident.</summary>
    public override string ToString() => $"DemoCredentials {{ OperatorLogin = {OperatorLogin}, ResellerLogin = {ResellerLogin} }}";
}
