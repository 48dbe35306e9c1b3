using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Platform.Gateway.GraphQL.Http;
using Platform.Gateway.Open311;

namespace Platform.Gateway.Protection;

/// <summary>
/// The last answer to anything that escaped an endpoint, in every environment: malformed input is a 400,
/// an unreachable cluster a 503 with Retry-After, anything else a 500 whose body holds the trace id and
/// no internals (the developer exception page, which echoes request headers such as the bearer token,
/// never answers the API). Each is logged with the request's trace id.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.Response.HasStarted) return false;
        var traceId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        int status;
        string code, message;
        if (ClusterFailure.IsUnavailable(exception))
        {
            (status, code, message) = (StatusCodes.Status503ServiceUnavailable, ClusterFailure.Code, ClusterFailure.Message);
            LogUnavailable(logger, exception, http.Request.Path, traceId);
        }
        else if (IsMalformedRequest(exception))
        {
            (status, code, message) = (StatusCodes.Status400BadRequest, "BAD_REQUEST", $"The request could not be read: {PublicReason(exception)}");
            LogMalformed(logger, exception.GetType().Name, http.Request.Path, traceId);
        }
        else if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
            return true;
        }
        else
        {
            (status, code, message) = (StatusCodes.Status500InternalServerError, "INTERNAL_ERROR",
                $"Something went wrong on our side; it has been logged under trace id {traceId}. Nothing was changed unless the answer says so.");
            LogFailure(logger, exception, http.Request.Path, traceId);
        }
        http.Response.Clear();
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = ClusterFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await WriteAsync(http, status, code, message);
        return true;
    }

    /// <summary>Bad bytes, bad forms, bad multipart: the client's fault, whatever layer noticed it.</summary>
    public static bool IsMalformedRequest(Exception exception) => exception is BadHttpRequestException or InvalidDataException
        or System.Text.DecoderFallbackException or System.Text.Json.JsonException or FormatException
        || exception is IOException && exception.InnerException is BadHttpRequestException;

    private static string PublicReason(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.Message,
        InvalidDataException data => data.Message,
        _ => "its content is malformed.",
    };

    /// <summary>The error in the format of the surface that was asked: GraphQL, Open311 or problem JSON.</summary>
    public static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        var path = http.Request.Path.Value ?? "";
        if (path.StartsWith(Open311Endpoints.Base, StringComparison.Ordinal))
        {
            var format = path.EndsWith(".xml", StringComparison.Ordinal) ? "xml" : "json";
            return Open311Format.Error(format, status, message).ExecuteAsync(http);
        }
        if (path.EndsWith(GraphQLHttpEndpoint.Path, StringComparison.Ordinal))
        {
            return GraphQLHttpEndpoint.WriteErrorAsync(http, status, code, message);
        }
        return Results.Problem(detail: message, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(http);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster was unreachable for {Path} (trace {TraceId}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Malformed request to {Path} ({Kind}, trace {TraceId}); answered 400")]
    private static partial void LogMalformed(ILogger logger, string kind, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Path} (trace {TraceId}); answered 500")]
    private static partial void LogFailure(ILogger logger, Exception exception, string path, string traceId);
}
