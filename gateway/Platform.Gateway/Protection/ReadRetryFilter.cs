using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Concurrency;

namespace Platform.Gateway.Protection;

/// <summary>
/// Sends a read once more when its silo left while answering it (a rolling update, a scale-in) or its answer did not
/// come in time (a call lost as its silo left). A read is a grain method marked <see cref="ReadOnlyAttribute"/>: it
/// changes nothing, so sending it twice is safe, and the second call reaches the grain's next activation on a silo
/// that stays. Writes are sent again under their idempotency key instead
/// (<see cref="Mutations.IdempotentRequest.RunAsync{T}"/>), never here.
/// </summary>
public sealed class ReadRetryFilter(TimeProvider time) : IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> Reads = new();

    public static bool IsRead(MethodInfo? method) =>
        method is not null && Reads.GetOrAdd(method, m => m.IsDefined(typeof(ReadOnlyAttribute), inherit: true));

    public Task Invoke(IOutgoingGrainCallContext context) =>
        IsRead(context.InterfaceMethod) ? InvokeReadAsync(context) : context.Invoke();

    private async Task InvokeReadAsync(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (ClusterFailure.LeftOpen(e))
        {
            await InvokeAgainAsync(context);
            return;
        }
        // Orleans may also hand the failure back as the call's response instead of throwing it.
        if (ClusterFailure.LeftOpen(context.Response?.Exception)) await InvokeAgainAsync(context);
    }

    private async Task InvokeAgainAsync(IOutgoingGrainCallContext context)
    {
        await Task.Delay(ClusterFailure.RetryPause, time);
        context.Response = null;
        await context.Invoke();
    }
}
