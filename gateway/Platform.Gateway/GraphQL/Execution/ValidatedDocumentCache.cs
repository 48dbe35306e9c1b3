using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace Platform.Gateway.GraphQL.Execution;

/// <summary>A document parsed and measured by the endpoint; <see cref="Validated"/> once it passed validation and ran.</summary>
public sealed record PreparedDocument(GraphQLDocument Document, DocumentShape Shape, bool Validated)
{
    /// <summary>The operation a request runs: the named one, or the only one.</summary>
    public GraphQLOperationDefinition? Operation(string? operationName)
    {
        GraphQLOperationDefinition? only = null;
        var count = 0;
        foreach (var definition in Document.Definitions)
        {
            if (definition is not GraphQLOperationDefinition operation) continue;
            if (operationName is not null && operation.Name?.StringValue == operationName) return operation;
            only = operation;
            count++;
        }
        return operationName is null && count == 1 ? only : null;
    }
}

/// <summary>
/// Parses and measures documents before GraphQL.NET sees them, and keeps the ones that passed validation,
/// keyed by their text, so a repeated query skips parsing, measuring and validation (about two thirds of a
/// small request's cost). Bounded: long documents are not kept, and the cache is emptied when it is full,
/// which costs one parse per distinct query afterwards.
/// </summary>
public sealed class ValidatedDocumentCache(bool enabled) : IConfigureExecution
{
    public const int MaxEntries = 1_000;
    public const int MaxQueryLength = 20_000;

    /// <summary>Where the endpoint hands the prepared document to execution.</summary>
    public const string UserContextKey = "platform.prepared-document";

    private static readonly ParserOptions Parsing = new() { Ignore = IgnoreOptions.Comments, MaxDepth = 128 };

    private readonly ConcurrentDictionary<string, PreparedDocument> documents = new(StringComparer.Ordinal);

    public float SortOrder => 200;

    public int Count => documents.Count;

    /// <summary>
    /// The document of <paramref name="query"/>, from the cache or parsed and measured now; or, when it does not
    /// parse, the error that says where (a syntax error, or nesting deeper than the parser follows).
    /// </summary>
    public (PreparedDocument? Document, ExecutionError? SyntaxError) Prepare(string query, DocumentLimits limits)
    {
        if (enabled && documents.TryGetValue(query, out var cached)) return (cached, null);
        if (DocumentShape.LongestName(query) is var longest && longest > limits.MaxNameLength)
        {
            return (null, new ExecutionError($"A name in the document is {longest:N0} characters long; names are at most {limits.MaxNameLength}.") { Code = "NAME_TOO_LONG" });
        }
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, Parsing);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException syntax)
        {
            return (null, new global::GraphQL.Execution.SyntaxError(syntax));
        }
        catch (GraphQLParser.Exceptions.GraphQLParserException deep)
        {
            var error = new ExecutionError($"The document nests more than {Parsing.MaxDepth} levels deep and cannot be read.") { Code = "QUERY_TOO_DEEP" };
            error.AddLocation(deep.Location);
            return (null, error);
        }
        return (new PreparedDocument(document, DocumentShape.Measure(document, limits), Validated: false), null);
    }

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.UserContext?.TryGetValue(UserContextKey, out var value) != true || value is not PreparedDocument prepared)
        {
            return await next(options);
        }
        options.Document = prepared.Document;
        if (prepared.Validated)
        {
            // The validation rules depend on the document only; variables are checked apart from them.
            options.ValidationRules = options.CachedDocumentValidationRules ?? Array.Empty<IValidationRule>();
        }
        var result = await next(options);
        if (enabled && !prepared.Validated && result.Executed && options.Query is { Length: <= MaxQueryLength } query)
        {
            if (documents.Count >= MaxEntries) documents.Clear();
            documents.TryAdd(query, prepared with { Validated = true });
        }
        return result;
    }
}
