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
    /// <summary>
    /// Grain state in one store that two activations share: a write made on an outdated ETag fails, as Azure blob
    /// storage's does. <see cref="Stored"/> is what is in the store; <see cref="OtherActivationRecords"/> is another
    /// activation, briefly active beside this one, recording its horizon; <see cref="OtherActivationHandsOver"/> is the
    /// earlier activation, still deactivating on the silo that leaves, recording its hand-over.
    /// </summary>
    private sealed class Shared : IPersistentState<PublicDataFeedState>
    {
        private int version = 1;

        public Shared(DateTimeOffset recorded) => Stored = new PublicDataFeedState { LeasesUntil = recorded };

        public PublicDataFeedState Stored { get; private set; }
        public PublicDataFeedState State { get; set; } = new();
        public string? Etag { get; private set; }
        public bool RecordExists => true;
        public List<DateTimeOffset> Written { get; } = [];

        public int Reads { get; private set; }

        public void OtherActivationRecords(DateTimeOffset horizon) => OtherActivationWrites(new() { LeasesUntil = horizon });

        public void OtherActivationHandsOver(DateTimeOffset horizon, params PublicDataLeaseHeld[] unanswered) =>
            OtherActivationWrites(new() { LeasesUntil = horizon, Unanswered = [.. unanswered], HandedOver = true });

        private void OtherActivationWrites(PublicDataFeedState record)
        {
            lock (Written)
            {
                Stored = record;
                version++;
            }
        }

        public Task ReadStateAsync()
        {
            lock (Written)
            {
                Reads++;
                State = new PublicDataFeedState { LeasesUntil = Stored.LeasesUntil, Unanswered = [.. Stored.Unanswered], HandedOver = Stored.HandedOver };
                Etag = $"v{version}";
            }
            return Task.CompletedTask;
        }

        public Task WriteStateAsync()
        {
            lock (Written)
            {
                if (Etag != $"v{version}") throw new InconsistentStateException("Blob storage condition not Satisfied.", $"v{version}", Etag);
                Stored = new PublicDataFeedState { LeasesUntil = State.LeasesUntil, Unanswered = [.. State.Unanswered], HandedOver = State.HandedOver };
                Etag = $"v{++version}";
                Written.Add(Stored.LeasesUntil);
            }
            return Task.CompletedTask;
        }

        public Task ClearStateAsync() => throw new NotSupportedException();
        public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();
        public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();
        public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();
    }

    /// <summary>A feed activated over <paramref name="state"/>, as Orleans does: the state read, then activated.</summary>
    private static async Task<PublicDataFeedGrain> ActivateAsync(Shared state)
    {
        await state.ReadStateAsync();
        var feed = new PublicDataFeedGrain(state, NullLogger<PublicDataFeedGrain>.Instance);
        await feed.OnActivateAsync(CancellationToken.None);
        return feed;
    }

    private sealed class Gateway(string name = "gateway") : IPublicDataObserver
    {
        public override string ToString() => name;

        public Task ChangedAsync(PublicDataChange change) => Task.CompletedTask;
        public Task ClosingAsync(Guid epoch) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_subscription_whose_write_lost_to_another_activation_is_granted_and_the_later_horizon_kept()
    {
        var theirs = DateTimeOffset.UtcNow.AddMinutes(5);
        var state = new Shared(DateTimeOffset.MinValue); // nothing recorded yet
        var feed = await ActivateAsync(state);
        state.OtherActivationRecords(theirs);

        await feed.SubscribeAsync(new Gateway());

        Assert.Equal(2, state.Reads); // at activation, and after the write lost
        Assert.Empty(state.Written); // theirs already runs later than this one's: nothing to write
        Assert.Equal(theirs, state.State.LeasesUntil);
    }

    [Fact]
    public async Task After_losing_a_write_to_another_activation_a_change_waits_for_the_leases_that_one_may_have_granted()
    {
        var theirs = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var state = new Shared(DateTimeOffset.MinValue);
        var feed = await ActivateAsync(state);
        state.OtherActivationRecords(theirs);
        await feed.SubscribeAsync(new Gateway());
        Assert.Single(state.Written); // this one's horizon is the later: written over theirs
        Assert.True(state.Written[0] > theirs);

        var watch = Stopwatch.StartNew();
        await feed.ChangedAsync("arrangement/afval-nhn");

        // A gateway subscribed to the other activation may keep its answers until its lease ends: the change returns after.
        Assert.True(DateTimeOffset.UtcNow >= theirs.AddMilliseconds(-50), $"returned {theirs - DateTimeOffset.UtcNow} early");
        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(0.5), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task A_change_made_while_the_earlier_activation_still_deactivates_returns_once_that_one_handed_over()
    {
        // The earlier activation wrote its horizon a minute ahead, as it does; this one starts before it deactivated.
        var state = new Shared(DateTimeOffset.UtcNow.AddMinutes(1));
        var feed = await ActivateAsync(state);
        await feed.SubscribeAsync(new Gateway());
        Assert.Empty(state.Written); // the lease lies within the recorded horizon
        var watch = Stopwatch.StartNew();
        var change = feed.ChangedAsync("proposal/p-demo-bouwpuin");
        await Task.Delay(300);
        Assert.False(change.IsCompleted); // its gateways may still serve kept answers
        state.OtherActivationHandsOver(DateTimeOffset.UtcNow); // every gateway answered its closing

        await change;

        // Without the hand-over read the change would wait for the leases that activation may have granted (6 s).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
        // This activation's lease was granted under the horizon the other one replaced: a horizon of its own is recorded.
        Assert.False(state.Stored.HandedOver);
        Assert.True(state.Stored.LeasesUntil > DateTimeOffset.UtcNow.Add(PublicDataFeed.Lease), state.Stored.LeasesUntil.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_change_waits_for_the_lease_of_a_gateway_that_did_not_answer_the_earlier_activations_closing()
    {
        var state = new Shared(DateTimeOffset.UtcNow.AddMinutes(1));
        var feed = await ActivateAsync(state);
        var change = feed.ChangedAsync("arrangement/afval-nhn");
        await Task.Delay(200);
        // One gateway did not answer: its lease runs another 1.5 s, and the earlier activation recorded that.
        var silentUntil = DateTimeOffset.UtcNow.AddSeconds(1.5);
        state.OtherActivationHandsOver(silentUntil, new PublicDataLeaseHeld("gateway-2", silentUntil));

        await change;

        Assert.True(DateTimeOffset.UtcNow >= silentUntil.AddMilliseconds(-50), $"returned {silentUntil - DateTimeOffset.UtcNow} early");
        Assert.Empty(state.Written); // no lease of this activation's to record
    }

    [Fact]
    public async Task A_gateway_that_missed_the_earlier_activations_closing_holds_no_change_once_it_subscribed_here()
    {
        // The earlier activation ended cleanly, but gateway-2 did not answer its closing: its lease runs 5 s more.
        var state = new Shared(DateTimeOffset.UtcNow.AddMinutes(1));
        var silentUntil = DateTimeOffset.UtcNow.AddSeconds(5);
        state.OtherActivationHandsOver(silentUntil, new PublicDataLeaseHeld("gateway-2", silentUntil));
        var feed = await ActivateAsync(state);

        // Subscribing here gives it the new epoch, on which it drops everything it kept.
        await feed.SubscribeAsync(new Gateway("gateway-2"));
        Assert.False(state.Stored.HandedOver); // its lease here is recorded before it is granted, over the hand-over
        var watch = Stopwatch.StartNew();
        await feed.ChangedAsync("arrangement/afval-nhn");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task A_gateway_that_missed_the_earlier_activations_closing_and_did_not_subscribe_here_holds_the_change()
    {
        var state = new Shared(DateTimeOffset.UtcNow.AddMinutes(1));
        var silentUntil = DateTimeOffset.UtcNow.AddSeconds(1.5);
        state.OtherActivationHandsOver(silentUntil, new PublicDataLeaseHeld("gateway-2", silentUntil));
        var feed = await ActivateAsync(state);
        await feed.SubscribeAsync(new Gateway("gateway-1")); // another gateway

        await feed.ChangedAsync("arrangement/afval-nhn");

        Assert.True(DateTimeOffset.UtcNow >= silentUntil.AddMilliseconds(-50), $"returned {silentUntil - DateTimeOffset.UtcNow} early");
    }
}
