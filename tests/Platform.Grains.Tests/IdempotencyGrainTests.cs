using Platform.Grains.Idempotency;

namespace Platform.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IdempotencyGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_completed_key_replays_its_first_result_and_reserved_id()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/replay");
        var first = await grain.BeginAsync("hash-a", "attempt-1");
        await grain.CompleteAsync(CommandResult.Ok("arr-1"));

        var retry = await grain.BeginAsync("hash-a", "attempt-2");

        Assert.Equal(IdempotencyOutcome.Proceed, first.Outcome);
        Assert.Equal(IdempotencyOutcome.Replay, retry.Outcome);
        Assert.Equal(first.ReservedId, retry.ReservedId);
        Assert.Equal("arr-1", retry.FirstResult!.Id);
    }

    [Fact]
    public async Task A_completion_answered_before_it_is_stored_is_stored_before_its_record_deactivates()
    {
        // The caller does not wait for the completion's write; the record waits for it before it goes.
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/complete-then-deactivate");
        var first = await grain.BeginAsync("hash-a", "attempt-c1");
        await grain.CompleteAsync(CommandResult.Ok("stored-1"));
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var retry = await grain.BeginAsync("hash-a", "attempt-c2");

        Assert.Equal(IdempotencyOutcome.Replay, retry.Outcome);
        Assert.Equal(first.ReservedId, retry.ReservedId);
        Assert.Equal("stored-1", retry.FirstResult!.Id);
    }

    [Fact]
    public async Task A_key_whose_record_was_lost_before_it_completed_runs_again_at_once_under_the_same_reserved_id()
    {
        // Only completions are stored: the record of an open key is gone with its activation (its silo crashed or left),
        // and the retry runs under the id the first attempt used, which the aggregate answers without a second change.
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/lost-before-complete");
        var first = await grain.BeginAsync("hash-a", "attempt-l1");
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var retry = await grain.BeginAsync("hash-a", "attempt-l2");
        var otherKey = await fixture.Grains.GetGrain<IIdempotencyGrain>("test/lost-before-complete-2").BeginAsync("hash-a", "attempt-l3");

        Assert.Equal(IdempotencyOutcome.Proceed, retry.Outcome);
        Assert.Equal(first.ReservedId, retry.ReservedId);
        Assert.NotEqual(first.ReservedId, otherKey.ReservedId);
        Assert.Matches("^[0-9a-f]{12}$", first.ReservedId);
    }

    [Fact]
    public async Task A_key_reused_with_other_input_is_refused()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/reuse");
        await grain.BeginAsync("hash-a", "attempt-3");
        await grain.CompleteAsync(CommandResult.Ok("x"));

        var other = await grain.BeginAsync("hash-b", "attempt-4");

        Assert.Equal(IdempotencyOutcome.KeyReused, other.Outcome);
        Assert.Null(other.FirstResult);
    }

    [Fact]
    public async Task A_retry_while_the_first_runs_is_told_to_wait()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/in-progress");
        var first = await grain.BeginAsync("hash-a", "attempt-5");

        var concurrent = await grain.BeginAsync("hash-a", "attempt-6");

        Assert.Equal(IdempotencyOutcome.InProgress, concurrent.Outcome);
        Assert.Equal(first.ReservedId, concurrent.ReservedId);
    }

    [Fact]
    public async Task An_abandoned_attempt_frees_the_key_at_once_for_a_retry_with_the_same_reserved_id()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/abandoned");
        var first = await grain.BeginAsync("hash-a", "attempt-7");
        await grain.AbandonAsync();

        var retry = await grain.BeginAsync("hash-a", "attempt-8");
        var otherInput = await grain.BeginAsync("hash-b", "attempt-9");

        Assert.Equal(IdempotencyOutcome.Proceed, retry.Outcome);
        Assert.Equal(first.ReservedId, retry.ReservedId);
        Assert.Equal(IdempotencyOutcome.KeyReused, otherInput.Outcome);
    }

    [Fact]
    public async Task Abandoning_a_completed_key_keeps_its_result()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/abandon-after-complete");
        await grain.BeginAsync("hash-a", "attempt-10");
        await grain.CompleteAsync(CommandResult.Ok("kept"));
        await grain.AbandonAsync();

        var retry = await grain.BeginAsync("hash-a", "attempt-11");

        Assert.Equal(IdempotencyOutcome.Replay, retry.Outcome);
        Assert.Equal("kept", retry.FirstResult!.Id);
    }

    [Fact]
    public async Task The_same_attempt_asking_again_proceeds_because_its_first_answer_was_lost()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("test/same-attempt");
        var first = await grain.BeginAsync("hash-a", "attempt-x");

        // The gateway sends Begin again when the record's answer was lost; the record kept the key for it.
        var again = await grain.BeginAsync("hash-a", "attempt-x");
        var other = await grain.BeginAsync("hash-a", "attempt-y");

        Assert.Equal(IdempotencyOutcome.Proceed, again.Outcome);
        Assert.Equal(first.ReservedId, again.ReservedId);
        Assert.Equal(IdempotencyOutcome.InProgress, other.Outcome);
    }
}
