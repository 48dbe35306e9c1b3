using System.Diagnostics;
using Platform.Gateway.GraphQL.Http;
using Platform.Grains.PublicData;

namespace Platform.Gateway.Tests;

/// <summary>A gateway that stops serves nothing kept any more, before it tells the feed it leaves.</summary>
public sealed class PublicAnswerLeaveTests
{
    [Fact]
    public void A_gateway_that_leaves_serves_no_kept_answer_and_a_late_renewal_does_not_bring_its_lease_back()
    {
        var cache = new PublicAnswerCache(Microsoft.Extensions.Options.Options.Create(new PublicAnswerSettings()), TimeProvider.System);
        var lease = new PublicDataLease(Guid.NewGuid());
        cache.Renewed(lease, Stopwatch.GetTimestamp());
        cache.Keep("tariffs", cache.Ticket(), "{\"data\":{}}"u8.ToArray(), "\"e1\"", "application/json");
        Assert.True(cache.Subscribed);
        Assert.True(cache.TryGet("tariffs", out _));

        cache.Leave();
        Assert.False(cache.Subscribed);
        Assert.False(cache.TryGet("tariffs", out _));

        // A renewal that was on its way when the gateway began to stop.
        cache.Renewed(lease, Stopwatch.GetTimestamp());
        Assert.False(cache.Subscribed);
        cache.Keep("tariffs", cache.Ticket(), "{\"data\":{}}"u8.ToArray(), "\"e1\"", "application/json");
        Assert.False(cache.TryGet("tariffs", out _));
    }
}
