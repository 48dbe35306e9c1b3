namespace Platform.Gateway.Protection;

/// <summary>Failures that mean "the cluster cannot be reached just now" rather than "this request is wrong".</summary>
public static class ClusterFailure
{
    /// <summary>How long a client is asked to wait before trying again while the cluster is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    public const string Code = "SERVICE_UNAVAILABLE";

    public const string Message = "The platform cannot be reached just now; nothing was changed. Try again in a few seconds.";

    public static bool IsUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Orleans.Runtime.SiloUnavailableException
                or Orleans.Runtime.Messaging.ConnectionFailedException
                or Orleans.Runtime.OrleansMessageRejectionException
                or Orleans.Runtime.GatewayTooBusyException
                or Orleans.Runtime.ClientNotAvailableException
                or Orleans.Networking.Shared.SocketConnectionException
                or TimeoutException)
            {
                return true;
            }
            if (e is AggregateException { InnerExceptions.Count: > 0 } many && many.InnerExceptions.Any(IsUnavailable)) return true;
        }
        return false;
    }
}
