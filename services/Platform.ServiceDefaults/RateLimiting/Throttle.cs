using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.RateLimiting;

/// <summary>One limit: at most <see cref="PermitLimit"/> in any <see cref="Window"/> (a sliding window of six segments).</summary>
public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public RateLimitRule()
    {
    }

    public RateLimitRule(int permitLimit, TimeSpan window)
    {
        PermitLimit = permitLimit;
        Window = window;
    }

    public override string ToString() => $"{PermitLimit} per {Window}";
}

/// <summary>
/// Limits by name (section <c>Platform:RateLimits</c>): each service declares its rules with defaults,
/// and configuration may change any of them, e.g. <c>Platform:RateLimits:Rules:sign-in:PermitLimit=20</c>.
/// <c>Enabled=false</c> turns every limit off (for load tests of the limits' cost, never in production).
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "Platform:RateLimits";

    public bool Enabled { get; set; } = true;

    public Dictionary<string, RateLimitRule> Rules { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The answer of a throttle: go ahead, or wait <see cref="RetryAfter"/>.</summary>
public readonly record struct ThrottleDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static readonly ThrottleDecision Allow = new(true, TimeSpan.Zero);

    /// <summary>Whole seconds for the Retry-After header, at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}

/// <summary>
/// Named, partitioned limits built on .NET's <see cref="System.Threading.RateLimiting"/> (the limiters under
/// ASP.NET Core's rate-limiting middleware), asked where the kind of call is known: a GraphQL mutation is known
/// only once its document is parsed, a failed sign-in only once the password was checked. Partitions are
/// strings such as <c>address:203.0.113.7</c> or <c>partner:demo-partner</c>. Kept in this process:
/// with several instances behind a load balancer, each applies the limits on its own.
/// </summary>
public sealed class Throttle : IDisposable
{
    private readonly IOptionsMonitor<RateLimitSettings> settings;
    private readonly IReadOnlyDictionary<string, RateLimitRule> defaults;
    private readonly ConcurrentDictionary<string, PartitionedRateLimiter<string>> limiters = new(StringComparer.Ordinal);
    private readonly IDisposable? subscription;

    public Throttle(IOptionsMonitor<RateLimitSettings> settings, IEnumerable<ThrottleDefaults> defaults)
    {
        this.settings = settings;
        this.defaults = defaults.SelectMany(d => d.Rules).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        // New settings apply to new windows: the limiters are built again from them.
        subscription = settings.OnChange(_ => Reset());
    }

    /// <summary>The rule in force for <paramref name="name"/>: configuration over the service's default.</summary>
    public RateLimitRule Rule(string name)
    {
        if (settings.CurrentValue.Rules.TryGetValue(name, out var configured) && configured.PermitLimit > 0 && configured.Window > TimeSpan.Zero)
        {
            return configured;
        }
        return defaults.TryGetValue(name, out var rule) ? rule : throw new InvalidOperationException($"No rate limit named '{name}' is declared.");
    }

    /// <summary>Takes one permit of <paramref name="rule"/> for <paramref name="partition"/>.</summary>
    public ThrottleDecision Acquire(string rule, string partition) => Take(rule, partition, 1);

    /// <summary>Whether <paramref name="partition"/> has a permit left, without taking it (for limits on failures: check first, count after).</summary>
    public ThrottleDecision Peek(string rule, string partition) => Take(rule, partition, 0);

    private ThrottleDecision Take(string rule, string partition, int permits)
    {
        if (!settings.CurrentValue.Enabled) return ThrottleDecision.Allow;
        var limiter = limiters.GetOrAdd(rule, Build);
        using var lease = limiter.AttemptAcquire(partition, permits);
        if (lease.IsAcquired) return ThrottleDecision.Allow;
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Rule(rule).Window;
        return new ThrottleDecision(false, wait);
    }

    private PartitionedRateLimiter<string> Build(string name)
    {
        var rule = Rule(name);
        return PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetSlidingWindowLimiter(partition, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = rule.PermitLimit,
            Window = rule.Window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
    }

    private void Reset()
    {
        foreach (var name in limiters.Keys)
        {
            if (limiters.TryRemove(name, out var old)) old.Dispose();
        }
    }

    public void Dispose()
    {
        subscription?.Dispose();
        Reset();
    }
}

/// <summary>The rules a service declares, with their defaults.</summary>
public sealed record ThrottleDefaults(IReadOnlyDictionary<string, RateLimitRule> Rules);

public static class ThrottleExtensions
{
    /// <summary>Registers the throttle and this service's rules (with their defaults).</summary>
    public static IServiceCollection AddThrottle(this IServiceCollection services, IReadOnlyDictionary<string, RateLimitRule> rules)
    {
        services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section);
        services.AddSingleton(new ThrottleDefaults(rules));
        services.AddSingleton<Throttle>();
        return services;
    }

    /// <summary>The partition of a caller known only by their address (IPv6 by their /64, which one subscriber usually holds whole).</summary>
    public static string AddressPartition(this HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "address:unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return "address:" + address;
    }

    /// <summary>429 with Retry-After, in the answering endpoint's own error format (written by <paramref name="write"/>).</summary>
    public static void SetRetryAfter(this HttpResponse response, ThrottleDecision decision) =>
        response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
