using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Concurrency;

namespace Platform.Gateway.Protection;

/// <summary>
/// Sends a read again when its silo left while answering it (a rolling update, a scale-in) or its answer did not come
/// in time (a call lost as its silo left). A read is a grain method marked <see cref="ReadOnlyAttribute"/>: it changes
/// nothing, so sending it twice is safe, and a later call reaches the grain's next activation on a silo that stays.
/// A read refused by a leaving silo fails at once, and the cluster may take a few seconds to stop sending there (a
/// read forwarded twice to a silo that could no longer activate it was refused again 250 ms later, run 4 December),
/// so it is sent up to <see cref="RefusedAttempts"/> times in all, after 250, 500 and 1,000 ms; a read that timed out
/// has waited the grain-call timeout already, and is sent once more only. Writes are sent again under their
/// idempotency key instead (<see cref="Mutations.IdempotentRequest.RunAsync{T}"/>), never here.
/// </summary>
public sealed class ReadRetryFilter(TimeProvider time) : IOutgoingGrainCallFilter
{
    /// <summary>Calls in all of a read refused each time (about 1.75 s of pauses between them).</summary>
    public const int RefusedAttempts = 4;

    private static readonly ConcurrentDictionary<MethodInfo, bool> Reads = new();

    public static bool IsRead(MethodInfo? method) =>
        method is not null && Reads.GetOrAdd(method, m => m.IsDefined(typeof(ReadOnlyAttribute), inherit: true));

    public Task Invoke(IOutgoingGrainCallContext context) =>
        IsRead(context.InterfaceMethod) ? InvokeReadAsync(context) : context.Invoke();

    private async Task InvokeReadAsync(IOutgoingGrainCallContext context)
    {
        for (var attempt = 1; ; attempt++)
        {
            Exception? failure;
            try
            {
                await context.Invoke();
                // Orleans may also hand the failure back as the call's response instead of throwing it.
                failure = context.Response?.Exception;
            }
            catch (Exception e) when (ClusterFailure.LeftOpen(e) && !Last(e, attempt))
            {
                failure = e;
            }
            if (!ClusterFailure.LeftOpen(failure) || Last(failure, attempt)) return;
            await Task.Delay(ClusterFailure.RetryPause * (1 << (attempt - 1)), time);
            context.Response = null;
        }
    }

    /// <summary>Whether a read that failed this way on this attempt is answered with that failure.</summary>
    private static bool Last(Exception? failure, int attempt) => attempt >= (failure is TimeoutException ? 2 : RefusedAttempts);
}
