using Microsoft.Extensions.Logging;

namespace Platform.Grains.Hosting;

/// <summary>
/// A grain call that fails (a storage write that timed out, a conflicting write from a stale activation) may leave the
/// activation's state changed in memory but not stored. A retry would then find the change "already made" and
/// acknowledge what storage never got. So a failed call ends its activation: the next call reads the state as stored.
/// Refusals and bad input are answered as results, not exceptions, and keep the activation.
/// </summary>
public sealed class ResetOnFailure(ILogger<ResetOnFailure> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (context.Grain.GetType().Namespace?.StartsWith("Platform.", StringComparison.Ordinal) == true)
        {
            logger.LogWarning(ex, "{Grain} {Method} failed; the activation ends so that the next call reads the stored state",
                context.TargetId, context.MethodName);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, ex,
                "A call failed; the state is read from storage again on the next call."));
            throw;
        }
    }
}
