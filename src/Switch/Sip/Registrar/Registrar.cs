using System.Globalization;
using System.Text;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Nodes;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Sip.Registrar;

/// <summary>
/// The registrar (RFC 3261 §10.3). A handset registers only the extensions bound to its device (DESIGN "Identity of a
/// handset" step 5); each binding is tied to the connection it came over (RFC 5626 §5.2) and stored in the database.
/// </summary>
internal sealed partial class Registrar(
    BindingTable bindings, RegistrationStore store, SwitchAudit audit, TimeProvider time, RegistrarLimits limits, ILogger logger)
{
    public BindingTable Bindings => bindings;

    /// <summary>Issue 14: while this node drains, new and refreshed bindings are refused so that handsets move sooner.</summary>
    public NodeDrain? Drain { get; init; }

    public SipResponse Register(SipFlow flow, SipRequest request, DeviceDirectory directory)
    {
        var toTag = Guid.NewGuid().ToString("N")[..16];
        if (!TryGetAorUser(request, out var user) || !flow.Device.Extensions.Contains(user))
        {
            return Refuse(flow, request, $"REGISTER for '{PeerText.Bound(user)}' which is not a line of device {flow.Device.Mac}", toTag);
        }

        if (!directory.TryFindExtension(flow.Device.TenantId, user, out var extension))
        {
            return Refuse(flow, request, $"REGISTER for extension '{PeerText.Bound(user)}' that does not exist in the tenant", toTag);
        }

        if (extension.DigestRequired && Challenge(flow, request, extension, toTag) is { } challenge)
        {
            return challenge;
        }

        var now = time.GetUtcNow();
        var defaultExpires = ReadExpiresHeader(request) ?? limits.DefaultExpires;
        var userAgent = request.TryGetHeader(KnownHeader.UserAgent, out var ua) ? Encoding.UTF8.GetString(ua) : null;
        var changes = new List<(string Uri, int Expires)>();
        foreach (var element in request.GetHeaderElements(KnownHeader.Contact))
        {
            if (element.Trim(" \t"u8).SequenceEqual("*"u8))
            {
                // RFC 3261 §10.3 step 6: "*" only with Expires: 0, and it removes every binding of the AOR.
                if (defaultExpires != 0 || request.CountHeaders(KnownHeader.Contact) != 1)
                {
                    return SipResponses.Create(request, SipStatusCodes.BadRequest, toTag, reason: "Contact * needs Expires: 0 alone");
                }

                foreach (var removed in bindings.Remove(flow.Device.TenantId, user, b => b.DeviceId == flow.Device.DeviceId))
                {
                    store.Delete(removed);
                }

                return Ok(request, flow, user, toTag, now);
            }

            if (!NameAddress.TryParse(element, out var contact))
            {
                return SipResponses.Create(request, SipStatusCodes.BadRequest, toTag, reason: "Malformed Contact");
            }

            var expires = contact.TryGetParameter("expires"u8, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : defaultExpires;
            changes.Add((Encoding.UTF8.GetString(contact.Uri), expires));
        }

        // RFC 3261 §21.5.4 and RFC 3263 §4.3: a draining node takes no new or refreshed binding; the 503 sends the handset
        // to its next (backup) server now rather than after this node has gone (RFC 5626 §4.5). An un-REGISTER is still
        // honoured, and a binding already held stays until the handset registers elsewhere or it expires.
        if (Drain is { IsDraining: true } drain && changes.Exists(c => c.Expires > 0))
        {
            var retryAfter = drain.RegisterRetryAfterSeconds;
            SwitchLog.RegisterRefusedDraining(logger, flow.Device.Mac, user, retryAfter);
            return SipResponses.Create(request, SipStatusCodes.ServiceUnavailable, toTag,
                [("Retry-After", retryAfter.ToString(CultureInfo.InvariantCulture))], reason: NodeDrain.ReasonPhrase);
        }

        // RFC 3261 §10.3 step 7: too brief an interval is refused with 423 and Min-Expires.
        if (changes.Exists(c => c.Expires > 0 && c.Expires < limits.MinExpires))
        {
            return SipResponses.Create(request, 423, toTag, [("Min-Expires", limits.MinExpires.ToString(CultureInfo.InvariantCulture))], reason: "Interval Too Brief");
        }

        // Nothing is bound when the request would take the extension past its limit (the whole REGISTER is refused).
        var added = changes.Where(c => c.Expires > 0).Select(c => c.Uri).ToList();
        if (added.Count > 0 && bindings.CountAfter(flow.Device.TenantId, user, added, now) > limits.MaxBindingsPerExtension)
        {
            var reason = $"REGISTER for {user} would exceed {limits.MaxBindingsPerExtension} bindings";
            audit.Denied("sip.register", reason, flow.Device.TenantId, flow.Device.Mac, flow.Device.DeviceId.ToString(), flow.Remote.Address, "extension", extension.Id.ToString());
            SwitchLog.RegisterRefused(logger, flow.Device.Mac, reason);
            return SipResponses.Create(request, SipStatusCodes.Forbidden, toTag, reason: "Too Many Registrations For This Extension");
        }

        foreach (var (uri, expires) in changes)
        {
            Apply(flow, extension, user, uri, Math.Min(expires, limits.MaxExpires), userAgent, now);
        }

        return Ok(request, flow, user, toTag, now);
    }

    /// <summary>
    /// The directory changed and the device on <paramref name="connectionId"/> now has <paramref name="lines"/>: bindings it
    /// made for a line since unbound are removed, so calls to that extension no longer reach it.
    /// </summary>
    public void OnLinesChanged(long connectionId, IReadOnlyCollection<string> lines)
    {
        foreach (var removed in bindings.RemoveUnbound(connectionId, lines))
        {
            SwitchLog.BindingRemoved(logger, removed.Extension, removed.ContactUri);
            store.Delete(removed);
        }
    }

    /// <summary>RFC 5626 §5.3: bindings made over a closed flow are gone.</summary>
    public void OnConnectionClosed(long connectionId)
    {
        foreach (var removed in bindings.RemoveConnection(connectionId))
        {
            SwitchLog.BindingRemoved(logger, removed.Extension, removed.ContactUri);
            store.Delete(removed);
        }
    }

    private void Apply(SipFlow flow, DirectoryExtension extension, string user, string uri, int expires, string? userAgent, DateTimeOffset now)
    {
        if (expires == 0)
        {
            foreach (var removed in bindings.Remove(flow.Device.TenantId, user, b => string.Equals(b.ContactUri, uri, StringComparison.OrdinalIgnoreCase)))
            {
                store.Delete(removed);
            }

            return;
        }

        var binding = new Binding(
            Guid.CreateVersion7(), flow.Device.TenantId, extension.Id, user, flow.Device.DeviceId, uri, flow.ConnectionId,
            flow.Remote.ToString(), userAgent, now, now.AddSeconds(expires));
        var replaced = bindings.Upsert(binding);
        store.Save(replaced is null ? binding : binding with { Id = replaced.Id });
        SwitchLog.BindingSaved(logger, user, uri, expires);
    }

    private SipResponse Ok(SipRequest request, SipFlow flow, string user, string toTag, DateTimeOffset now)
    {
        // RFC 3261 §10.3 step 8: the 200 lists every current binding with its remaining time.
        var contacts = bindings.Find(flow.Device.TenantId, user, now)
            .Select(b => ("Contact", string.Create(CultureInfo.InvariantCulture, $"<{b.ContactUri}>;expires={(int)Math.Ceiling((b.ExpiresAt - now).TotalSeconds)}")));
        return SipResponses.Create(request, SipStatusCodes.Ok, toTag, contacts);
    }

    private SipResponse Refuse(SipFlow flow, SipRequest request, string reason, string toTag)
    {
        audit.Denied("sip.register", reason, flow.Device.TenantId, flow.Device.Mac, flow.Device.DeviceId.ToString(), flow.Remote.Address, "device", flow.Device.DeviceId.ToString());
        SwitchLog.RegisterRefused(logger, flow.Device.Mac, reason);
        return SipResponses.Create(request, SipStatusCodes.Forbidden, toTag);
    }

    private static bool TryGetAorUser(SipRequest request, out string user)
    {
        user = "";
        if (!request.TryGetTo(out var to) || !SipUri.TryParse(to.Uri, out var uri) || !uri.HasUser)
        {
            return false;
        }

        user = Encoding.UTF8.GetString(uri.User);
        return true;
    }

    private static int? ReadExpiresHeader(SipRequest request) =>
        request.TryGetHeader(KnownHeader.Expires, out var value)
        && int.TryParse(value.Trim(" \t"u8), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
}
