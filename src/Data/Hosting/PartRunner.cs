using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// Runs a part's host and turns a failed start into one sentence on stderr and a non-zero exit code, instead of a
/// stack trace: a port in use, a missing or malformed setting, an unreachable or outdated database.
/// </summary>
public static class PartRunner
{
    public static async Task<int> RunAsync(IHost host, string part)
    {
        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (Exception e) when (Explain(e) is { } sentence)
        {
            await Console.Error.WriteLineAsync($"{part}: cannot start: {sentence}");
            return 1;
        }
    }

    public static string? Explain(Exception e) => e switch
    {
        StartupCheckException s => s.Message,
        OptionsValidationException o => string.Join(" ", o.Failures),
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } or
            SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } =>
            $"{FirstLine(e.Message)}: another program holds that port; stop it or change the port in the configuration.",
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
            $"{FirstLine(io.Message)}: another program holds that port; stop it or change the port in the configuration.",
        AggregateException { InnerExceptions.Count: 1 } a => Explain(a.InnerExceptions[0]),
        // Kestrel's own checks of an endpoint's settings (a certificate missing or unreadable, HTTPS-only options on http).
        InvalidOperationException k when k.Message.Contains("endpoint", StringComparison.OrdinalIgnoreCase)
            || k.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) => $"{FirstLine(k.Message)}: fix the Kestrel endpoint settings.",
        _ => null,
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
