using System.Reflection;
using Orleans.Serialization.Invocation;
using Platform.Gateway.Protection;
using Platform.Grains.Arrangements;

namespace Platform.Gateway.Tests;

/// <summary>A read whose silo left while answering is sent again (up to four calls), one whose answer did not come in time once more; writes, bugs and answers are not.</summary>
public sealed class ReadRetryFilterTests
{
    /// <summary>A grain call that fails the given number of times in the given way (thrown, or handed back as the response).</summary>
    private sealed class Call(MethodInfo method, Exception? failure, int failures, bool asResponse) : IOutgoingGrainCallContext
    {
        public int Sent { get; private set; }
        public MethodInfo InterfaceMethod => method;
        public Response? Response { get; set; }
        public object? Result { get => Response?.Result; set => Response = Response.FromResult(value); }

        public Task Invoke()
        {
            Sent++;
            if (Sent <= failures && failure is not null)
            {
                if (!asResponse) return Task.FromException(failure);
                Response = Response.FromException(failure);
                return Task.CompletedTask;
            }
            Response = Response.FromResult<object?>("answer " + Sent);
            return Task.CompletedTask;
        }

        public object Grain => throw new NotSupportedException();
        public IInvokable Request => throw new NotSupportedException();
        public GrainId? SourceId => null;
        public IGrainContext? SourceContext => null;
        public GrainId TargetId => default;
        public GrainInterfaceType InterfaceType => default;
        public string InterfaceName => method.DeclaringType!.Name;
        public string MethodName => method.Name;
    }

    private static readonly MethodInfo Read = typeof(IArrangementGrain).GetMethod(nameof(IArrangementGrain.GetAsync))!;
    private static readonly MethodInfo Write = typeof(IArrangementGrain).GetMethod(nameof(IArrangementGrain.AddMemberAsync))!;

    private static readonly ReadRetryFilter Filter = new(TimeProvider.System);

    /// <summary>What a silo answers to a call it refuses while stopping (Orleans makes these itself; the constructor is not public).</summary>
    public static OrleansMessageRejectionException Rejection() => (OrleansMessageRejectionException)Activator.CreateInstance(
        typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance, null, ["The silo is stopping"], null)!;

    public static TheoryData<bool> Both => new() { false, true };

    [Theory]
    [MemberData(nameof(Both))]
    public async Task A_read_whose_silo_left_or_whose_answer_was_lost_is_answered_by_the_second_call(bool asResponse)
    {
        foreach (var failure in new Exception[] { new SiloUnavailableException("gone"), Rejection(), new TimeoutException("Response did not arrive on time") })
        {
            var call = new Call(Read, failure, failures: 1, asResponse);
            await Filter.Invoke(call);
            Assert.Equal(2, call.Sent);
            Assert.Null(call.Response!.Exception);
            Assert.Equal("answer 2", call.Result);
        }
    }

    [Theory]
    [MemberData(nameof(Both))]
    public async Task A_read_refused_three_times_by_a_leaving_silo_is_answered_by_the_fourth_call_after_growing_pauses(bool asResponse)
    {
        var call = new Call(Read, Rejection(), failures: 3, asResponse);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Filter.Invoke(call);
        Assert.Equal(4, call.Sent);
        Assert.Null(call.Response!.Exception);
        Assert.Equal("answer 4", call.Result);
        // 250 + 500 + 1,000 ms between the calls: a delay cannot end early, so this is a lower bound.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(1_700), $"the pauses took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [MemberData(nameof(Both))]
    public async Task A_read_refused_every_time_is_sent_four_times_at_most_and_one_that_timed_out_twice(bool asResponse)
    {
        Assert.Equal(ReadRetryFilter.RefusedAttempts, await SentUntilItFailsAsync(new SiloUnavailableException("gone"), asResponse));
        // A timeout has cost its caller the grain-call timeout already: one more call, not three.
        Assert.Equal(2, await SentUntilItFailsAsync(new TimeoutException("Response did not arrive on time"), asResponse));
    }

    /// <summary>A read that always fails this way: how often it was sent before its caller got that failure.</summary>
    private static async Task<int> SentUntilItFailsAsync(Exception failure, bool asResponse)
    {
        var call = new Call(Read, failure, failures: 9, asResponse);
        if (asResponse)
        {
            await Filter.Invoke(call);
            Assert.Same(failure, call.Response!.Exception);
        }
        else
        {
            Assert.Same(failure, await Assert.ThrowsAnyAsync<Exception>(() => Filter.Invoke(call)));
        }
        return call.Sent;
    }

    [Fact]
    public async Task A_write_and_a_bug_are_sent_once_and_a_read_unanswered_twice_fails()
    {
        var write = new Call(Write, new SiloUnavailableException("gone"), failures: 1, asResponse: false);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => Filter.Invoke(write));
        Assert.Equal(1, write.Sent);

        var timedOutWrite = new Call(Write, new TimeoutException("no answer"), failures: 1, asResponse: false);
        await Assert.ThrowsAsync<TimeoutException>(() => Filter.Invoke(timedOutWrite));
        Assert.Equal(1, timedOutWrite.Sent);

        var timeout = new Call(Read, new TimeoutException("no answer"), failures: 2, asResponse: false);
        await Assert.ThrowsAsync<TimeoutException>(() => Filter.Invoke(timeout));
        Assert.Equal(2, timeout.Sent);

        var bug = new Call(Read, new InvalidOperationException("bug"), failures: 1, asResponse: true);
        await Filter.Invoke(bug);
        Assert.Equal(1, bug.Sent);
        Assert.IsType<InvalidOperationException>(bug.Response!.Exception);

        var answered = new Call(Read, null, failures: 0, asResponse: false);
        await Filter.Invoke(answered);
        Assert.Equal(1, answered.Sent);
    }

    [Fact]
    public void Reads_are_the_methods_marked_read_only()
    {
        Assert.True(ReadRetryFilter.IsRead(Read));
        Assert.True(ReadRetryFilter.IsRead(typeof(IArrangementGrain).GetMethod(nameof(IArrangementGrain.CapabilitiesAsync))));
        Assert.False(ReadRetryFilter.IsRead(Write));
        Assert.False(ReadRetryFilter.IsRead(null));
    }
}
