namespace Platform.Gateway.Protection;

/// <summary>Failures that mean "the cluster cannot be reached just now" rather than "this request is wrong".</summary>
public static class ClusterFailure
{
    /// <summary>How long a client is asked to wait before trying again while the cluster is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>How long the gateway waits before sending a call again whose silo left, for the cluster to notice.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    public const string Code = "SERVICE_UNAVAILABLE";

    public const string Message = "The platform cannot be reached just now; nothing was changed. Try again in a few seconds.";

    /// <summary>
    /// For a change whose grain call got no answer in time: it may have run all the same, so "nothing was changed"
    /// would not be true. Sent again with its idempotency key, it runs under the same reserved id and answers the first
    /// result if the first did run.
    /// </summary>
    public const string OutcomeUnknownMessage =
        "The platform did not answer in time, so this change may or may not have been made. Send it again with the same " +
        "Idempotency-Key to get its result, or look before you make it again.";

    /// <summary>A call that got no answer in time (as opposed to one refused, which did not run).</summary>
    public static bool IsTimeout(Exception? exception) => Any(exception, e => e is TimeoutException);

    /// <summary>
    /// A grain call that failed because its silo left or refused it while leaving (not one that timed out: that call
    /// may still run). Sending it again reaches the grain's next activation.
    /// </summary>
    public static bool IsSiloGone(Exception? exception) =>
        exception is Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException;

    /// <summary>
    /// A grain call whose outcome is unknown: no answer in time, or its silo left. A write's idempotency key is freed
    /// (or its lease left to run out), never treated as answered.
    /// </summary>
    public static bool LeftOpen(Exception? exception) => exception is TimeoutException || IsSiloGone(exception);

    /// <summary>
    /// A write its storage refused because another activation of the same grain wrote first (Orleans'
    /// <c>InconsistentStateException</c>): while a silo leaves, a grain can briefly be active on two silos (rolling
    /// rehearsal run cp, a vote). Nothing of the refused write was stored, and the activation that tried ended
    /// (<c>ResetOnFailure</c>), so the next call reads the stored state: the write may be sent once more.
    /// </summary>
    public static bool IsStateConflict(Exception? exception) => Any(exception, e => e is Orleans.Storage.InconsistentStateException);

    public static bool IsUnavailable(Exception? exception) => Any(exception, e =>
        e is Orleans.Storage.InconsistentStateException
            or Orleans.Runtime.SiloUnavailableException
            or Orleans.Runtime.Messaging.ConnectionFailedException
            or Orleans.Runtime.OrleansMessageRejectionException
            or Orleans.Runtime.GatewayTooBusyException
            or Orleans.Runtime.ClientNotAvailableException
            or Orleans.Networking.Shared.SocketConnectionException
            or TimeoutException);

    /// <summary>Whether the exception, one it wraps, or one of an aggregate's, matches.</summary>
    private static bool Any(Exception? exception, Func<Exception, bool> match)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (match(e)) return true;
            if (e is AggregateException { InnerExceptions.Count: > 0 } many && many.InnerExceptions.Any(inner => Any(inner, match))) return true;
        }
        return false;
    }
}
