using System.Net;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Security;

/// <summary>What the transport rules say of one request: whether it may be answered, and the HSTS header it gets.</summary>
/// <param name="LetsThrough">True when <see cref="WebSecurity.UsePlatformTransportSecurity"/> would let the request on
/// unchanged; false when it would refuse it, or when only it can tell (forwarded headers it would read its own way).</param>
/// <param name="StrictTransportSecurity">The <c>Strict-Transport-Security</c> value the answer carries, or null.</param>
public readonly record struct TransportVerdict(bool LetsThrough, string? StrictTransportSecurity);

/// <summary>
/// The settings behind <see cref="WebSecurity.UsePlatformTransportSecurity"/> (plain HTTP allowed, forwarded headers,
/// HSTS), read once, and the same rules applied to a request as the server received it, for a front that answers before
/// the pipeline (<see cref="Platform.ServiceDefaults.Hosting.FrontDoor"/>). Where the verdict is not certain it says
/// "not through", and the pipeline decides: the front is only ever a faster way to the same answer.
/// </summary>
public sealed class TransportRules
{
    private readonly HashSet<string> hstsExcludedHosts;
    private readonly string hstsValue;

    public TransportRules(IConfiguration configuration, IHostEnvironment environment, IOptions<HstsOptions> hsts)
    {
        Development = environment.IsDevelopment();
        PlainHttpAllowed = Development || configuration.GetValue("Platform:Http:AllowPlainHttp", false);
        ForwardedHeaders = configuration.GetValue("Platform:Http:ForwardedHeaders", false);
        var options = hsts.Value;
        hstsExcludedHosts = new HashSet<string>(options.ExcludedHosts, StringComparer.OrdinalIgnoreCase);
        // As ASP.NET Core's HSTS middleware writes it.
        hstsValue = $"max-age={(long)options.MaxAge.TotalSeconds}{(options.IncludeSubDomains ? "; includeSubDomains" : "")}{(options.Preload ? "; preload" : "")}";
    }

    public bool Development { get; }

    /// <summary>Development, or <c>Platform:Http:AllowPlainHttp</c>.</summary>
    public bool PlainHttpAllowed { get; }

    /// <summary><c>Platform:Http:ForwardedHeaders</c>: a proxy's <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> count.</summary>
    public bool ForwardedHeaders { get; }

    /// <summary>The verdict on a request as the server received it (before any middleware).</summary>
    public TransportVerdict Judge(IFeatureCollection features)
    {
        if (features.Get<IHttpRequestFeature>() is not { } request) return default;
        var scheme = request.Scheme;
        if (ForwardedHeaders)
        {
            var proto = request.Headers["X-Forwarded-Proto"];
            var forwardedFor = request.Headers["X-Forwarded-For"];
            if (proto.Count > 0 || forwardedFor.Count > 0)
            {
                // One proxy, plainly said; anything else (a chain, a malformed address) is the forwarded-headers middleware's to read.
                if (proto.Count != 1 || proto[0] is not ("https" or "http")) return default;
                if (forwardedFor.Count > 1 || (forwardedFor.Count == 1 && !IPAddress.TryParse(forwardedFor[0], out _))) return default;
                scheme = proto[0]!;
            }
        }
        var https = string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase);
        if (!https && !PlainHttpAllowed) return default; // refused with 426 by the pipeline
        string? hsts = null;
        if (https && !Development)
        {
            var host = HostString.FromUriComponent(request.Headers.Host.ToString()).Host;
            if (!hstsExcludedHosts.Contains(host)) hsts = hstsValue;
        }
        return new TransportVerdict(true, hsts);
    }
}
