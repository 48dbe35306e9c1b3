using Platform.Grains;
using Platform.Gateway.Mutations;
using Platform.Grains.Idempotency;

namespace Platform.Gateway.Tests;

/// <summary>What happens to a request's idempotency key when the cluster does not answer its grain call.</summary>
public sealed class IdempotentRequestTests
{
    /// <summary>A key's record whose first <c>failures</c> calls fail with <c>failure</c> (as a silo that left would).</summary>
    private sealed class Record(Exception? failure = null, int failures = 0) : IIdempotencyGrain
    {
        private int calls;
        public int Abandoned { get; private set; }
        public List<CommandResult> Completed { get; } = [];

        private Task Call()
        {
            calls++;
            return calls <= failures && failure is not null ? Task.FromException(failure) : Task.CompletedTask;
        }

        public List<string> Attempts { get; } = [];

        public async Task<IdempotencyTicket> BeginAsync(string fingerprint, string attempt)
        {
            Attempts.Add(attempt);
            await Call();
            return new(IdempotencyOutcome.Proceed, "r-1", null);
        }

        public Task AbandonAsync()
        {
            Abandoned++;
            return Task.CompletedTask;
        }

        public async Task CompleteAsync(CommandResult result)
        {
            await Call();
            Completed.Add(result);
        }
    }

    public static TheoryData<Exception> ClusterFailures => new()
    {
        new TimeoutException("Response did not arrive on time"),
        new SiloUnavailableException("The target silo became unavailable"),
        ReadRetryFilterTests.Rejection(),
        new Orleans.Storage.InconsistentStateException("Blob storage condition not Satisfied", "0x1", "0x2"),
    };

    [Theory]
    [MemberData(nameof(ClusterFailures))]
    public async Task A_grain_call_the_cluster_did_not_answer_twice_frees_the_key_at_once_for_the_retry(Exception failure)
    {
        var record = new Record();
        var runs = 0;
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => IdempotentRequest.RunAsync(record, () =>
        {
            runs++;
            return Task.FromException<CommandResult>(failure);
        }));
        Assert.Same(failure, thrown);
        Assert.Equal(1, record.Abandoned);
        // Sent once more (then given up): a silo that left, and a call whose answer did not come in time.
        Assert.Equal(2, runs);

        // The same for a REST write that answers with an HTTP result (the photo upload).
        await Assert.ThrowsAnyAsync<Exception>(() => IdempotentRequest.RunAsync(record, () => Task.FromException<Microsoft.AspNetCore.Http.IResult>(failure)));
        Assert.Equal(2, record.Abandoned);
    }

    public static TheoryData<Exception> Unanswered => new()
    {
        new SiloUnavailableException("The target silo became unavailable"),
        new TimeoutException("Response did not arrive on time"),
        // Another activation of the grain wrote first (a grain briefly on two silos as one leaves): nothing was stored.
        new Orleans.Storage.InconsistentStateException("Blob storage condition not Satisfied", "0x1", "0x2"),
    };

    [Theory]
    [MemberData(nameof(Unanswered))]
    public async Task A_write_whose_silo_left_or_whose_answer_was_lost_runs_again_with_the_same_reserved_id_and_keeps_the_key(Exception failure)
    {
        var record = new Record();
        var ids = new List<string>();
        const string reservedId = "c-7";
        var result = await IdempotentRequest.RunAsync(record, () =>
        {
            ids.Add(reservedId);
            return ids.Count == 1
                ? Task.FromException<CommandResult>(failure)
                : Task.FromResult(CommandResult.Ok(reservedId));
        });
        Assert.True(result.Succeeded);
        Assert.Equal(reservedId, result.Id);
        Assert.Equal([reservedId, reservedId], ids);
        Assert.Equal(0, record.Abandoned);
    }

    [Fact]
    public async Task Opening_and_recording_a_key_are_sent_again_when_the_records_silo_left()
    {
        foreach (var failure in new Exception[] { new SiloUnavailableException("The target silo became unavailable"), new TimeoutException("Response did not arrive on time") })
        {
            var record = new Record(failure, failures: 1);
            Assert.Equal(IdempotencyOutcome.Proceed, (await IdempotentRequest.BeginAsync(record, "f")).Outcome);
            // Sent again as the same attempt, which the record lets proceed if the first call did reach it.
            Assert.Equal(2, record.Attempts.Count);
            Assert.Single(record.Attempts.Distinct());
            Assert.Equal(0, record.Abandoned);
        }

        var again = new Record(ReadRetryFilterTests.Rejection(), failures: 1);
        await IdempotentRequest.FinishAsync(again, CommandResult.Ok("c-1"));
        Assert.Equal("c-1", Assert.Single(again.Completed).Id);
    }

    [Fact]
    public async Task Opening_a_key_whose_answer_was_lost_twice_frees_it_for_the_retry()
    {
        var record = new Record(new TimeoutException("Response did not arrive on time"), failures: 2);
        await Assert.ThrowsAsync<TimeoutException>(() => IdempotentRequest.BeginAsync(record, "f"));
        Assert.Equal(2, record.Attempts.Count);
        Assert.Single(record.Attempts.Distinct()); // the same attempt both times
        Assert.Equal(1, record.Abandoned);
    }

    [Fact]
    public async Task A_result_the_record_cannot_take_still_reaches_the_client_and_a_bug_does_not_hide()
    {
        // The request was carried out: its answer goes out, and the key opens again when its lease runs out.
        var gone = new Record(new SiloUnavailableException("The target silo became unavailable"), failures: 2);
        await IdempotentRequest.FinishAsync(gone, CommandResult.Ok("c-1"));
        Assert.Empty(gone.Completed);

        var silent = new Record(new TimeoutException("Response did not arrive on time"), failures: 1);
        await IdempotentRequest.FinishAsync(silent, CommandResult.Ok("c-1"));
        Assert.Empty(silent.Completed);

        var bug = new Record(new InvalidOperationException("bug"), failures: 1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => IdempotentRequest.FinishAsync(bug, CommandResult.Ok("c-1")));
    }

    [Fact]
    public async Task An_answered_call_and_a_bug_keep_the_key()
    {
        var record = new Record();
        Assert.True((await IdempotentRequest.RunAsync(record, () => Task.FromResult(CommandResult.Ok("c-1")))).Succeeded);
        await Assert.ThrowsAsync<InvalidOperationException>(() => IdempotentRequest.RunAsync(record, () => Task.FromException<CommandResult>(new InvalidOperationException())));
        Assert.Equal(0, record.Abandoned);
    }

    [Fact]
    public void A_request_may_last_long_enough_for_a_lost_grain_call_to_be_sent_again_and_answered()
    {
        // Both calls may go unanswered for the whole grain-call timeout; a request stopped by its own deadline first
        // would answer 503 TIMEOUT although its read or write was sent again (a read: runs ak and an of the rehearsal).
        var grainCall = new Platform.Gateway.GatewaySettings().GrainCallTimeout;
        var limits = new Platform.Gateway.GraphQL.Execution.DocumentLimits();
        Assert.True(limits.Timeout > 2 * grainCall + Platform.Gateway.Protection.ClusterFailure.RetryPause,
            $"a request's {limits.Timeout} leaves no room for two grain calls of {grainCall}");
    }
}
