using System.Net;
using System.Net.Sockets;
using Platform.Domain.Validation;

namespace Platform.Domain.Events;

/// <summary>
/// What a webhook endpoint may be. Outside Development an endpoint is HTTPS on a public address: the platform must
/// never be made to call into its own network (server-side request forgery), so loopback, private, link-local,
/// carrier-grade NAT and other special ranges are refused, at registration by address and at delivery by what the
/// name resolves to.
/// </summary>
public static class WebhookRules
{
    public const int MaxUrlLength = 2_000;
    public const int MaxEndpointsPerOrganisation = 10;

    public static IReadOnlyList<RuleViolation> Validate(string? url, IReadOnlyList<string>? eventTypes, bool allowPrivateTargets)
    {
        var errors = new List<RuleViolation>();
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add(new("url", ViolationCodes.Required, "Give the endpoint's address, e.g. https://zaken.example.nl/hooks/regelingen."));
        }
        else if (url.Length > MaxUrlLength)
        {
            errors.Add(new("url", ViolationCodes.TooLong, $"The address is {url.Length} characters long; at most {MaxUrlLength} are allowed."));
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add(new("url", ViolationCodes.InvalidFormat, $"'{url}' is not an http(s) address without user name or fragment."));
        }
        else if (!allowPrivateTargets && uri.Scheme != "https")
        {
            errors.Add(new("url", ViolationCodes.InvalidFormat, "Webhooks are delivered over HTTPS only; the address starts with http://."));
        }
        else if (!allowPrivateTargets && (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
                 || (IPAddress.TryParse(uri.Host, out var address) && !IsPublic(address))))
        {
            errors.Add(new("url", ViolationCodes.OutOfRange, $"'{uri.Host}' is a loopback, private or link-local address; the platform delivers only to public addresses."));
        }
        if (eventTypes is null || eventTypes.Count == 0)
        {
            errors.Add(new("eventTypes", ViolationCodes.Required, $"Name the event types to receive; the types are {string.Join(", ", EventTypes.All.Select(t => t.Name))}."));
        }
        else
        {
            foreach (var (type, i) in eventTypes.Select((t, i) => (t, i)))
            {
                if (!EventTypes.IsKnown(type))
                {
                    errors.Add(new($"eventTypes[{i}]", ViolationCodes.OutOfRange, $"'{type}' is not an event type; the types are {string.Join(", ", EventTypes.All.Select(t => t.Name))}."));
                }
            }
        }
        return errors;
    }

    /// <summary>True for an address on the public internet; false for loopback, private, link-local, shared, multicast and reserved ranges.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] >= 224 // private, "this network", multicast and reserved
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata endpoints
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // carrier-grade NAT
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) || (b[0] == 198 && b[1] is 18 or 19) || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // documentation
        }
        return false;
    }
}
