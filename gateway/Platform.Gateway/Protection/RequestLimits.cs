using Platform.Domain.Access;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Gateway.Protection;

/// <summary>The gateway's rate limits, by name, with their defaults (change them under <c>Platform:RateLimits:Rules</c>).</summary>
public static class RequestLimits
{
    /// <summary>Writes by callers without a token (applyForOnboarding, Open311 POST), per address.</summary>
    public const string AnonymousWrites = "anonymous-writes";

    /// <summary>Writes (mutations, photo uploads) per signed-in person or partner client.</summary>
    public const string Writes = "writes";

    /// <summary>Every GraphQL request per signed-in person or partner client.</summary>
    public const string Requests = "requests";

    /// <summary>Open311 POSTs per API key (a civic app's total, whatever addresses its users have).</summary>
    public const string Open311Key = "open311-key";

    public static readonly IReadOnlyDictionary<string, RateLimitRule> Defaults = new Dictionary<string, RateLimitRule>
    {
        [AnonymousWrites] = new(20, TimeSpan.FromMinutes(10)),
        [Writes] = new(120, TimeSpan.FromMinutes(1)),
        [Requests] = new(1_200, TimeSpan.FromMinutes(1)),
        [Open311Key] = new(600, TimeSpan.FromMinutes(1)),
    };

    /// <summary>Whose permits a call spends: a signed-in caller's own, else the address's.</summary>
    public static string PartitionOf(Caller caller, HttpContext http) => caller.Kind switch
    {
        CallerKind.User => "user:" + caller.Subject,
        CallerKind.Partner => "partner:" + caller.Subject,
        _ => http.AddressPartition(),
    };

    /// <summary>The write limit that applies to <paramref name="caller"/> and the partition it is counted in.</summary>
    public static ThrottleDecision AcquireWrite(this Throttle throttle, Caller caller, HttpContext http) =>
        throttle.Acquire(caller.IsAuthenticated ? Writes : AnonymousWrites, PartitionOf(caller, http));
}
