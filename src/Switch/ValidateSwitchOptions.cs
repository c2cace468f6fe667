using System.Net;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch;

/// <summary>Checks what attributes cannot: the SIP listen address parses and its port is in range.</summary>
internal sealed class ValidateSwitchOptions : IValidateOptions<SwitchOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchOptions options) =>
        IPEndPoint.TryParse(options.SipListen, out var endpoint) && endpoint.Port is > 0 and <= 65535
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Switch:SipListen '{options.SipListen}' is not a valid ip:port.");
}
