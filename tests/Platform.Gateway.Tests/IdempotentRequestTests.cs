using Platform.Grains;
using Platform.Gateway.Mutations;
using Platform.Grains.Idempotency;

namespace Platform.Gateway.Tests;

/// <summary>What happens to a request's idempotency key when the cluster does not answer its grain call.</summary>
public sealed class IdempotentRequestTests
{
    private sealed class Record : IIdempotencyGrain
    {
        public int Abandoned { get; private set; }
        public Task<IdempotencyTicket> BeginAsync(string fingerprint) => throw new NotSupportedException();
        public Task AbandonAsync()
        {
            Abandoned++;
            return Task.CompletedTask;
        }
        public Task CompleteAsync(CommandResult result) => throw new NotSupportedException();
    }

    public static TheoryData<Exception> ClusterFailures => new()
    {
        new TimeoutException("Response did not arrive on time"),
        new SiloUnavailableException("The target silo became unavailable"),
    };

    [Theory]
    [MemberData(nameof(ClusterFailures))]
    public async Task A_grain_call_the_cluster_did_not_answer_frees_the_key_at_once_for_the_retry(Exception failure)
    {
        var record = new Record();
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => IdempotentRequest.RunAsync(record, () => Task.FromException<CommandResult>(failure)));
        Assert.Same(failure, thrown);
        Assert.Equal(1, record.Abandoned);

        // The same for a REST write that answers with an HTTP result (the photo upload).
        await Assert.ThrowsAnyAsync<Exception>(() => IdempotentRequest.RunAsync(record, () => Task.FromException<Microsoft.AspNetCore.Http.IResult>(failure)));
        Assert.Equal(2, record.Abandoned);
    }

    [Fact]
    public async Task An_answered_call_and_a_bug_keep_the_key()
    {
        var record = new Record();
        Assert.True((await IdempotentRequest.RunAsync(record, () => Task.FromResult(CommandResult.Ok("c-1")))).Succeeded);
        await Assert.ThrowsAsync<InvalidOperationException>(() => IdempotentRequest.RunAsync(record, () => Task.FromException<CommandResult>(new InvalidOperationException())));
        Assert.Equal(0, record.Abandoned);
    }
}
