using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Platform.Gateway.Access;
using Platform.Gateway.Mutations;
using Platform.MultiTenancy;
using Platform.Grains;
using Platform.Gateway.GraphQL.Execution;
using Platform.Gateway.Protection;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Gateway.GraphQL.Http;

/// <summary>
/// GraphQL over HTTP (the GraphQL Foundation's spec), the way graphql-dotnet/server behaves: GET and
/// POST; application/graphql-response+json or application/json chosen from Accept; transport errors
/// as 4xx with a GraphQL error body; no mutations over GET; 200 once an operation executed.
/// </summary>
public static partial class GraphQLHttpEndpoint
{
    public const string Path = "/graphql";
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";
    public const string GraphQLDocument = "application/graphql";

    public static IEndpointRouteBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder app)
    {
        app.Map(Path, HandleAsync).WithName("graphql");
        // The same endpoint inside a tenant's part of the portal: /t/GM0405/graphql.
        app.Map("/t/{tenant}" + Path, HandleAsync).WithName("graphql-tenant");
        app.MapGet($"{Path}/schema.graphql", (SchemaText sdl) => Results.Text(sdl.Value, "text/plain", System.Text.Encoding.UTF8))
            .WithName("graphql-schema")
            .ExcludeFromMultiTenantResolution();
        return app;
    }

    /// <summary>The schema in SDL, printed once.</summary>
    public sealed class SchemaText(ISchema schema)
    {
        private readonly Lazy<string> text = new(() => schema.Print());
        public string Value => text.Value;
    }

    /// <summary>What the endpoint needs, gathered in one place.</summary>
    public sealed record Services(
        IDocumentExecuter Executer,
        ISchema Schema,
        IGraphQLTextSerializer Serializer,
        IOptions<GatewaySettings> Settings,
        IOptionsMonitor<DocumentLimits> Limits,
        ValidatedDocumentCache Documents,
        Throttle Throttle,
        PublicAnswerCache Answers,
        IMultiTenantContextAccessor Tenancy,
        IHostEnvironment Environment,
        ILogger<Services> Logger);

    private static async Task HandleAsync(HttpContext http, [AsParameters] Services services)
    {
        var serializer = services.Serializer;
        var isGet = HttpMethods.IsGet(http.Request.Method);
        if (!isGet && !HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteErrorAsync(http, serializer, Json, StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED",
                $"{http.Request.Method} is not supported; use GET for queries or POST.");
            return;
        }

        var mediaType = NegotiateResponseType(http.Request);
        if (mediaType is null)
        {
            await WriteErrorAsync(http, serializer, Json, StatusCodes.Status406NotAcceptable, "NOT_ACCEPTABLE",
                $"None of the media types in Accept can be served; accept {GraphQLResponseJson} or {Json}.");
            return;
        }

        var (request, failure, body) = isGet
            ? ReadFromQueryString(http.Request.Query, serializer)
            : await ReadFromBodyAsync(http.Request, serializer, services.Settings.Value.MaxRequestBytes);
        if (failure is not null)
        {
            await WriteErrorAsync(http, serializer, mediaType, failure.Value.Status, failure.Value.Code, failure.Value.Message);
            return;
        }

        // An anonymous request that asks for no fresh answer was looked up among the kept answers (PublicAnswers) and
        // missed; its answer may be kept for the next one (a body too large to be looked up is not kept).
        var answers = services.Answers;
        var mayKeep = answers.Enabled && PublicAnswers.MayAnswer(http.Request.Headers) && (body?.Length ?? 0) <= PublicAnswers.MaxLookupBody;

        var (outcome, caller, problem) = await CallerAuthentication.AuthenticateAsync(http);
        if (outcome == CallerAuthentication.Outcome.InvalidToken)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await WriteErrorAsync(http, serializer, mediaType, StatusCodes.Status401Unauthorized, "INVALID_TOKEN",
                $"The bearer token was refused: {problem} Request a new token, or send none to read public data.");
            return;
        }

        // Measured before any validation rule runs: a hostile document costs what its text costs to read.
        var limits = services.Limits.CurrentValue;
        var (prepared, syntaxError) = services.Documents.Prepare(request!.Query!, limits);
        if (syntaxError is not null)
        {
            // As execution would answer it: 400 under the GraphQL response type, 200 for legacy application/json clients.
            var syntaxStatus = mediaType == Json && syntaxError is global::GraphQL.Execution.SyntaxError ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            await WriteAsync(http, serializer, mediaType, syntaxStatus, new ExecutionResult { Errors = [syntaxError] });
            return;
        }
        if (prepared!.Shape.Check(limits) is { } tooMuch)
        {
            await WriteErrorAsync(http, serializer, mediaType, StatusCodes.Status400BadRequest, tooMuch.Code, tooMuch.Message);
            return;
        }
        var operation = prepared.Operation(request.OperationName);
        var isWrite = operation is not null && operation.Operation != OperationType.Query;
        if (isGet && isWrite)
        {
            http.Response.Headers.Allow = "POST";
            await WriteErrorAsync(http, serializer, mediaType, StatusCodes.Status405MethodNotAllowed, "HTTP_METHOD_VALIDATION",
                "Mutations and subscriptions are sent with POST; GET carries queries only.");
            return;
        }
        var development = services.Environment.IsDevelopment();
        var explains = caller.IsAuthenticated || development || limits.AnonymousIntrospection;
        if (prepared.Shape.UsesIntrospection && !explains)
        {
            await WriteErrorAsync(http, serializer, mediaType, StatusCodes.Status400BadRequest, "INTROSPECTION_DISABLED",
                "Introspection is for signed-in callers; the schema is published at /graphql/schema.graphql.");
            return;
        }

        var throttle = services.Throttle;
        var decision = caller.IsAuthenticated ? throttle.Acquire(RequestLimits.Requests, RequestLimits.PartitionOf(caller, http)) : ThrottleDecision.Allow;
        if (decision.Allowed && isWrite) decision = throttle.AcquireWrite(caller, http);
        if (!decision.Allowed)
        {
            http.Response.SetRetryAfter(decision);
            await WriteErrorAsync(http, serializer, mediaType, StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                $"Too many {(isWrite ? "changes" : "requests")} from {(caller.IsAuthenticated ? "this account" : "this address")}; try again in {decision.RetryAfterSeconds} seconds.");
            return;
        }

        // Every grain call of this request carries the caller and the tenant (Orleans RequestContext flows with the async calls).
        CallerContext.Set(caller);
        CallerContext.SetTenant(services.Tenancy.MultiTenantContext.TenantInfo?.Id);
        var userContext = new Dictionary<string, object?>
        {
            [AccessErrors.CallerKey] = caller,
            [AccessErrors.TenantKey] = services.Tenancy.MultiTenantContext,
            [ValidatedDocumentCache.UserContextKey] = prepared,
            [PublicRecords.FreshKey] = PublicAnswers.AsksFresh(http.Request.Headers),
        };
        if (http.Request.Headers.TryGetValue(IdempotentMutation.HeaderName, out var key) && key.Count == 1)
        {
            userContext[IdempotentMutation.HeaderName] = key.ToString();
        }

        var ticket = answers.Ticket(); // before any grain is read
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var timeout = limits.Timeout;
        deadline.CancelAfter(timeout);
        var traceId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        var unavailable = false;
        ExecutionResult result;
        try
        {
            result = await services.Executer.ExecuteAsync(new ExecutionOptions
            {
                Schema = services.Schema,
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                RequestServices = http.RequestServices,
                UserContext = userContext,
                CancellationToken = deadline.Token,
                MaxParallelExecutionCount = limits.MaxParallelResolvers,
                UnhandledExceptionDelegate = failed =>
                {
                    // Every resolver exception is logged with the trace id the client sees; none reaches the client as is.
                    if (ClusterFailure.IsUnavailable(failed.OriginalException))
                    {
                        unavailable = true;
                        var message = isWrite && ClusterFailure.IsTimeout(failed.OriginalException) ? ClusterFailure.OutcomeUnknownMessage : ClusterFailure.Message;
                        failed.Exception = new ExecutionError(message) { Code = ClusterFailure.Code };
                        LogUnavailable(services.Logger, failed.OriginalException, failed.FieldContext?.FieldDefinition.Name, traceId);
                    }
                    else if (failed.OriginalException is not OperationCanceledException)
                    {
                        failed.Exception = new ExecutionError($"This field failed on our side; it has been logged under trace id {traceId}.") { Code = "INTERNAL_ERROR" };
                        LogResolverFailure(services.Logger, failed.OriginalException, failed.FieldContext?.FieldDefinition.Name, traceId);
                    }
                    return Task.CompletedTask;
                },
            });
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            http.Response.Headers.RetryAfter = ClusterFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteErrorAsync(http, serializer, mediaType, StatusCodes.Status503ServiceUnavailable, "TIMEOUT", isWrite
                ? $"The request took longer than {timeout.TotalSeconds:0} seconds and was stopped. {ClusterFailure.OutcomeUnknownMessage}"
                : $"The request took longer than {timeout.TotalSeconds:0} seconds and was stopped; ask for less at once, or try again later.");
            return;
        }

        if (!explains) WithoutSuggestions(result);
        // An operation that never ran (syntax, validation or variable errors) is a bad request under
        // the GraphQL response type; legacy application/json clients get 200, as the spec asks.
        var status = result.Executed || mediaType == Json ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        // A refusal for who the caller is answers as HTTP does: 401 (sign in) or 403 (not permitted).
        if (AccessErrors.StatusOf(result) is { } refused)
        {
            status = refused;
            if (refused == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer";
        }
        else if (unavailable)
        {
            status = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = ClusterFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (!caller.IsAuthenticated && status == StatusCodes.Status200OK && result.Errors is not { Count: > 0 })
        {
            var keep = mayKeep && operation is not null && PublicAnswerCache.IsPublic(operation);
            if (isGet || keep)
            {
                var bytes = await SerializeAsync(serializer, result, http.RequestAborted);
                var etag = PublicAnswers.ETagOf(bytes);
                var contentType = $"{mediaType}; charset=utf-8";
                if (keep) answers.Keep(PublicAnswers.Key(http.Request.Path.Value ?? "", http.Request.Headers, http.Request.QueryString.Value, body), ticket, bytes, etag, contentType);
                await PublicAnswers.WriteAsync(http, bytes, etag, contentType, isGet, hit: keep ? false : null);
                return;
            }
        }
        // What a signed-in caller reads may be theirs alone: no shared cache keeps it.
        if (caller.IsAuthenticated) http.Response.Headers.CacheControl = "private, no-store";
        await WriteAsync(http, serializer, mediaType, status, result);
    }

    private static async Task<byte[]> SerializeAsync(IGraphQLTextSerializer serializer, ExecutionResult result, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await serializer.WriteAsync(buffer, result, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>"Did you mean ...?" names fields and types of the schema; callers who may not introspect do not get them either.</summary>
    private static void WithoutSuggestions(ExecutionResult result)
    {
        if (result.Errors is not { Count: > 0 } errors || !errors.Any(e => e.Message.Contains(" Did you mean", StringComparison.Ordinal))) return;
        var plain = new ExecutionErrors();
        foreach (var error in errors)
        {
            var at = error.Message.IndexOf(" Did you mean", StringComparison.Ordinal);
            if (at < 0)
            {
                plain.Add(error);
                continue;
            }
            var shortened = new ExecutionError(error.Message[..at]) { Code = error.Code };
            foreach (var location in error.Locations ?? []) shortened.AddLocation(location);
            plain.Add(shortened);
        }
        result.Errors = plain;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resolver of {Field} failed (trace {TraceId})")]
    private static partial void LogResolverFailure(ILogger logger, Exception exception, string? field, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resolver of {Field} could not reach the cluster (trace {TraceId}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string? field, string traceId);

    private readonly record struct Failure(int Status, string Code, string Message);

    private static Failure BadRequest(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);

    private static (GraphQLRequest?, Failure?, byte[]?) ReadFromQueryString(IQueryCollection query, IGraphQLTextSerializer serializer)
    {
        if (query["query"] is not { Count: 1 } text || string.IsNullOrWhiteSpace(text))
        {
            return (null, BadRequest("QUERY_MISSING", "The 'query' parameter is required (once) and must hold a GraphQL document."), null);
        }
        var request = new GraphQLRequest { Query = text.ToString(), OperationName = NullIfEmpty(query["operationName"]) };
        if (NullIfEmpty(query["variables"]) is { } variables)
        {
            if (!TryParseMap(variables, serializer, out var inputs)) return (null, BadRequest("INVALID_VARIABLES", "The 'variables' parameter must be a JSON object."), null);
            request.Variables = inputs;
        }
        if (NullIfEmpty(query["extensions"]) is { } extensions)
        {
            if (!TryParseMap(extensions, serializer, out var inputs)) return (null, BadRequest("INVALID_EXTENSIONS", "The 'extensions' parameter must be a JSON object."), null);
            request.Extensions = inputs;
        }
        return (request, null, null);
    }

    private static async Task<(GraphQLRequest?, Failure?, byte[]?)> ReadFromBodyAsync(HttpRequest http, IGraphQLTextSerializer serializer, int maxBytes)
    {
        if (!MediaTypeHeaderValue.TryParse(http.ContentType, out var contentType))
        {
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                $"Send the request with Content-Type {Json}."), null);
        }
        var charset = contentType.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_CHARSET", $"Only utf-8 is accepted, not '{charset}'."), null);
        }
        var isJson = contentType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase);
        var isDocument = contentType.MediaType.Equals(GraphQLDocument, StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isDocument)
        {
            // Also the CSRF guard: the "simple" types a browser may post cross-site (form, text/plain) are refused.
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                $"Content-Type {contentType.MediaType} is not supported; send {Json}."), null);
        }

        var body = await ReadLimitedAsync(http, maxBytes);
        if (body is null)
        {
            return (null, new(StatusCodes.Status413PayloadTooLarge, "REQUEST_TOO_LARGE", $"The request body exceeds {maxBytes} bytes."), null);
        }
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return (null, BadRequest("INVALID_UTF8", "The body is not valid UTF-8 text."), null);
        }
        if (isDocument)
        {
            return (new GraphQLRequest { Query = System.Text.Encoding.UTF8.GetString(body) }, null, body);
        }
        try
        {
            var (parsed, problem) = ParseJsonRequest(body, serializer);
            return (parsed, problem, body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            // Also a string that escapes half a surrogate pair ("\ud800"), which is not text.
            return (null, BadRequest("INVALID_JSON", $"The body is not a valid JSON request: {ex.Message}"), null);
        }
    }

    private static (GraphQLRequest?, Failure?) ParseJsonRequest(byte[] body, IGraphQLTextSerializer serializer)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return (null, BadRequest("INVALID_REQUEST", "The body must be a JSON object with a 'query'."));
        var request = new GraphQLRequest();
        if (!root.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(query.GetString()))
        {
            return (null, BadRequest("QUERY_MISSING", "'query' is required and must be a string holding a GraphQL document."));
        }
        request.Query = query.GetString()!;
        if (root.TryGetProperty("operationName", out var name) && name.ValueKind != JsonValueKind.Null)
        {
            if (name.ValueKind != JsonValueKind.String) return (null, BadRequest("INVALID_OPERATION_NAME", "'operationName' must be a string or null."));
            request.OperationName = name.GetString();
        }
        if (root.TryGetProperty("variables", out var variables) && variables.ValueKind != JsonValueKind.Null)
        {
            if (variables.ValueKind != JsonValueKind.Object) return (null, BadRequest("INVALID_VARIABLES", "'variables' must be a JSON object or null."));
            request.Variables = serializer.Deserialize<global::GraphQL.Inputs>(variables.GetRawText());
        }
        if (root.TryGetProperty("extensions", out var extensions) && extensions.ValueKind != JsonValueKind.Null)
        {
            if (extensions.ValueKind != JsonValueKind.Object) return (null, BadRequest("INVALID_EXTENSIONS", "'extensions' must be a JSON object or null."));
            request.Extensions = serializer.Deserialize<global::GraphQL.Inputs>(extensions.GetRawText());
        }
        return (request, null);
    }

    /// <summary>
    /// The whole body, or null when it is longer than <paramref name="maxBytes"/>. Read from the request's pipe, so a
    /// body of a few hundred bytes costs one array of its length (a 16 KiB chunk and a MemoryStream per request were a
    /// third of the bytes the gateway allocated under the read harness).
    /// </summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest http, int maxBytes)
    {
        if (http.ContentLength > maxBytes) return null;
        var reader = http.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(http.HttpContext.RequestAborted);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }
            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }
            // Nothing consumed, everything seen: the next read returns once more has arrived.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryParseMap(string text, IGraphQLTextSerializer serializer, out global::GraphQL.Inputs? inputs)
    {
        inputs = null;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Null) return true;
            if (json.RootElement.ValueKind != JsonValueKind.Object) return false;
            inputs = serializer.Deserialize<global::GraphQL.Inputs>(text);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count == 1 && !string.IsNullOrEmpty(value[0]) ? value[0] : null;

    /// <summary>
    /// application/graphql-response+json when the client names it; application/json for legacy
    /// clients, for */* and when Accept is missing; null when neither is acceptable.
    /// </summary>
    private static string? NegotiateResponseType(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept is null || accept.Count == 0) return Json;
        foreach (var candidate in accept.OrderByDescending(a => a.Quality ?? 1.0))
        {
            if (candidate.Quality == 0) continue;
            var charset = candidate.Charset.Value;
            if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) continue;
            var type = candidate.MediaType.Value;
            if (string.Equals(type, GraphQLResponseJson, StringComparison.OrdinalIgnoreCase)) return GraphQLResponseJson;
            if (string.Equals(type, Json, StringComparison.OrdinalIgnoreCase)) return Json;
            if (type is "*/*" or "application/*") return Json;
        }
        return null;
    }

    /// <summary>A transport-level refusal from outside the endpoint (tenant resolution), in the endpoint's format.</summary>
    public static Task WriteErrorAsync(HttpContext http, int status, string code, string message) =>
        WriteErrorAsync(http, http.RequestServices.GetRequiredService<IGraphQLTextSerializer>(), NegotiateResponseType(http.Request) ?? Json, status, code, message);

    private static Task WriteErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, int status, string code, string message) =>
        WriteAsync(http, serializer, mediaType, status, new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] });

    private static async Task WriteAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, int status, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
