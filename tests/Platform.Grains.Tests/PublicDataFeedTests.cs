using System.Collections.Concurrent;
using System.Diagnostics;
using Platform.Grains.PublicData;

namespace Platform.Grains.Tests;

/// <summary>
/// The feed through which grains with public state tell the gateways to drop their kept answers. Each test uses a
/// feed of its own key, so the feed every other test's grains announce their changes to is not disturbed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PublicDataFeedTests(ClusterFixture fixture)
{
    /// <param name="answers">False for a gateway that never answers.</param>
    /// <param name="firstAnswerAfter">
    /// How long its first answer to a change takes to reach the feed (one an earlier notice's answer, lost on the way
    /// back, would have taken forever; but an Orleans client handles one call to an object at a time, so a test
    /// gateway that never answered once would hold every later notice behind it).
    /// </param>
    private sealed class Gateway(bool answers, TimeSpan? firstAnswerAfter = null) : IPublicDataObserver
    {
        private int told;

        public ConcurrentQueue<PublicDataChange> Changes { get; } = new();
        public ConcurrentQueue<Guid> Closings { get; } = new();

        public Task ChangedAsync(PublicDataChange change)
        {
            Changes.Enqueue(change);
            return Interlocked.Increment(ref told) == 1 && firstAnswerAfter is { } after ? Task.Delay(after) : Answer();
        }

        public Task ClosingAsync(Guid epoch)
        {
            Closings.Enqueue(epoch);
            return Answer();
        }

        private Task Answer() => answers ? Task.CompletedTask : new TaskCompletionSource().Task; // a gateway that never answers
    }

    private IPublicDataFeedGrain NewFeed() => fixture.Grains.GetGrain<IPublicDataFeedGrain>($"test-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_change_returns_once_every_subscribed_gateway_was_told()
    {
        var feed = NewFeed();
        Gateway one = new(answers: true), two = new(answers: true);
        var first = await feed.SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(one));
        var second = await feed.SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(two));

        await feed.ChangedAsync("arrangement/afval-nhn");

        Assert.Equal(first.Epoch, second.Epoch);
        Assert.Equal([new PublicDataChange(first.Epoch, "arrangement/afval-nhn")], one.Changes);
        Assert.Equal([new PublicDataChange(first.Epoch, "arrangement/afval-nhn")], two.Changes);
        GC.KeepAlive(one);
        GC.KeepAlive(two);
    }

    [Fact]
    public async Task A_gateway_that_does_not_answer_holds_the_change_until_its_lease_ran_out_and_is_then_dropped()
    {
        var feed = NewFeed();
        Gateway silent = new(answers: false), answering = new(answers: true);
        var subscribed = Stopwatch.StartNew();
        var answeringReference = fixture.Grains.CreateObjectReference<IPublicDataObserver>(answering);
        await feed.SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(silent));
        await feed.SubscribeAsync(answeringReference);

        await feed.ChangedAsync("proposal/p-1");
        var firstReturnedAfter = subscribed.Elapsed;
        await feed.SubscribeAsync(answeringReference); // its renewal, as the gateway's loop sends one every few seconds
        var second = Stopwatch.StartNew();
        await feed.ChangedAsync("proposal/p-2");

        // The silent gateway may have served its kept answers until its lease ended; the change waited for that.
        Assert.True(firstReturnedAfter >= PublicDataFeed.Lease - TimeSpan.FromMilliseconds(50), $"returned after {firstReturnedAfter}");
        // Told again while its lease ran (an answer may have been lost on the way), and not of the next change: it
        // is no longer subscribed.
        Assert.NotEmpty(silent.Changes);
        Assert.All(silent.Changes, c => Assert.Equal("proposal/p-1", c.Grain));
        Assert.Equal(["proposal/p-1", "proposal/p-2"], answering.Changes.Select(c => c.Grain));
        Assert.True(second.Elapsed < PublicDataFeed.Lease, $"the second change took {second.Elapsed}");
        GC.KeepAlive(silent);
        GC.KeepAlive(answering);
    }

    [Fact]
    public async Task A_gateway_whose_answer_is_late_is_told_again_and_the_change_does_not_wait_for_its_lease()
    {
        var feed = NewFeed();
        Gateway gateway = new(answers: true, firstAnswerAfter: TimeSpan.FromSeconds(2.5));
        await feed.SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(gateway));

        var watch = Stopwatch.StartNew();
        await feed.ChangedAsync("proposal/p-4");
        var firstTook = watch.Elapsed;
        await feed.ChangedAsync("proposal/p-5");

        // The first notice went unanswered for its second; a later one was answered once the gateway was free (2.5 s),
        // where the change used to wait out the 6-s lease and drop the gateway.
        Assert.True(firstTook >= TimeSpan.FromSeconds(2.4) && firstTook < PublicDataFeed.Lease - TimeSpan.FromSeconds(2), $"the change took {firstTook}");
        var told = gateway.Changes.Select(c => c.Grain).ToList();
        Assert.True(told.Count(g => g == "proposal/p-4") >= 2, string.Join(", ", told));
        Assert.Equal("proposal/p-5", told[^1]); // still subscribed
        GC.KeepAlive(gateway);
    }

    [Fact]
    public async Task A_gateway_that_unsubscribed_is_not_told_and_does_not_hold_up_a_change()
    {
        var feed = NewFeed();
        Gateway leaving = new(answers: false), staying = new(answers: true);
        var leavingReference = fixture.Grains.CreateObjectReference<IPublicDataObserver>(leaving);
        await feed.SubscribeAsync(leavingReference);
        await feed.SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(staying));

        await feed.UnsubscribeAsync(leavingReference); // a gateway that stops, after it stopped serving kept answers
        var watch = Stopwatch.StartNew();
        await feed.ChangedAsync("proposal/p-3");

        // Subscribed still, it would have held the change until its lease ran out.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"the change took {watch.Elapsed}");
        Assert.Empty(leaving.Changes);
        Assert.Equal(["proposal/p-3"], staying.Changes.Select(c => c.Grain));
        GC.KeepAlive(leaving);
        GC.KeepAlive(staying);
    }

    [Fact]
    public async Task A_new_activation_of_the_feed_holds_a_change_until_the_leases_of_gateways_that_missed_the_handover_ran_out()
    {
        var key = $"test-{Guid.NewGuid():N}";
        Gateway silent = new(answers: false);
        var subscribed = Stopwatch.StartNew();
        var lease = await fixture.Grains.GetGrain<IPublicDataFeedGrain>(key).SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(silent));

        // The activation ends (as when its silo stops); the gateway does not answer its closing notice, and the next
        // activation does not know the gateway.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await fixture.Grains.GetGrain<IPublicDataFeedGrain>(key).ChangedAsync("municipality/GM0405");
        var returnedAfter = subscribed.Elapsed;
        var renewed = await fixture.Grains.GetGrain<IPublicDataFeedGrain>(key).SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(silent));

        Assert.Equal([lease.Epoch], silent.Closings);
        Assert.Empty(silent.Changes);
        Assert.True(returnedAfter >= PublicDataFeed.Lease - TimeSpan.FromMilliseconds(50), $"returned after {returnedAfter}");
        Assert.NotEqual(lease.Epoch, renewed.Epoch); // so the gateway drops what it kept
        GC.KeepAlive(silent);
    }

    [Fact]
    public async Task Gateways_that_heard_of_the_handover_do_not_hold_up_the_next_activation()
    {
        var key = $"test-{Guid.NewGuid():N}";
        Gateway gateway = new(answers: true);
        var lease = await fixture.Grains.GetGrain<IPublicDataFeedGrain>(key).SubscribeAsync(fixture.Grains.CreateObjectReference<IPublicDataObserver>(gateway));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var change = Stopwatch.StartNew();
        await fixture.Grains.GetGrain<IPublicDataFeedGrain>(key).ChangedAsync("arrangement/afval-nhn");

        Assert.Equal([lease.Epoch], gateway.Closings); // it stopped serving what it kept when told
        Assert.True(change.Elapsed < PublicDataFeed.Lease / 2, $"the change took {change.Elapsed}");
        GC.KeepAlive(gateway);
    }
}
