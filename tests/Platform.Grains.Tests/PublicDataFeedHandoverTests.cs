using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Platform.Grains.PublicData;

namespace Platform.Grains.Tests;

/// <summary>
/// The feed while a silo leaves: for a moment it can be active on two silos, and the other activation's write makes
/// this one's write fail. The feed must still grant the lease (a gateway's subscription is not an error) and must not
/// forget the leases the other may have granted.
/// </summary>
public sealed class PublicDataFeedHandoverTests
{
    /// <summary>Grain state whose first write fails as another activation's write would make it fail.</summary>
    private sealed class Contested(DateTimeOffset theirHorizon) : IPersistentState<PublicDataFeedState>
    {
        public PublicDataFeedState State { get; set; } = new();
        public string? Etag { get; private set; } = "mine";
        public bool RecordExists => true;
        public List<DateTimeOffset> Written { get; } = [];
        public int Reads { get; private set; }

        public Task WriteStateAsync()
        {
            if (Etag == "mine") throw new InconsistentStateException("Blob storage condition not Satisfied.", "theirs", "mine");
            Written.Add(State.LeasesUntil);
            return Task.CompletedTask;
        }

        public Task ReadStateAsync()
        {
            Reads++;
            Etag = "theirs";
            State = new PublicDataFeedState { LeasesUntil = theirHorizon };
            return Task.CompletedTask;
        }

        public Task ClearStateAsync() => throw new NotSupportedException();
        public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();
        public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();
        public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();
    }

    private sealed class Gateway : IPublicDataObserver
    {
        public Task ChangedAsync(PublicDataChange change) => Task.CompletedTask;
        public Task ClosingAsync(Guid epoch) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_subscription_whose_write_lost_to_another_activation_is_granted_and_the_later_horizon_kept()
    {
        var theirs = DateTimeOffset.UtcNow.AddMinutes(5);
        var state = new Contested(theirs);
        var feed = new PublicDataFeedGrain(state, NullLogger<PublicDataFeedGrain>.Instance);

        await feed.SubscribeAsync(new Gateway());

        Assert.Equal(1, state.Reads);
        Assert.Empty(state.Written); // theirs already runs later than this one's: nothing to write
        Assert.Equal(theirs, state.State.LeasesUntil);
    }

    [Fact]
    public async Task After_losing_a_write_to_another_activation_a_change_waits_for_the_leases_that_one_may_have_granted()
    {
        var theirs = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var state = new Contested(theirs);
        var feed = new PublicDataFeedGrain(state, NullLogger<PublicDataFeedGrain>.Instance);
        await feed.SubscribeAsync(new Gateway());
        Assert.Single(state.Written); // this one's horizon is the later: written over theirs
        Assert.True(state.Written[0] > theirs);

        var watch = Stopwatch.StartNew();
        await feed.ChangedAsync("arrangement/afval-nhn");

        // A gateway subscribed to the other activation may keep its answers until its lease ends: the change returns after.
        Assert.True(DateTimeOffset.UtcNow >= theirs.AddMilliseconds(-50), $"returned {theirs - DateTimeOffset.UtcNow} early");
        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(0.5), watch.Elapsed.ToString());
    }
}
