using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Platform.Gateway.GraphQL.Execution;

/// <summary>
/// Keeps documents that parsed and validated, keyed by their text, so a repeated query skips both
/// steps (about two thirds of a small request's cost). Bounded: long documents are not kept, and
/// the cache is emptied when it is full, which costs one parse per distinct query afterwards.
/// </summary>
public sealed class ValidatedDocumentCache : IConfigureExecution
{
    public const int MaxEntries = 1_000;
    public const int MaxQueryLength = 20_000;

    private readonly ConcurrentDictionary<string, GraphQLDocument> documents = new(StringComparer.Ordinal);

    public float SortOrder => 200;

    public int Count => documents.Count;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { Length: <= MaxQueryLength } query)
        {
            return await next(options);
        }
        var cached = documents.TryGetValue(query, out var document);
        if (cached)
        {
            options.Document = document;
            // The validation rules depend on the document only; variables are checked apart from them.
            options.ValidationRules = options.CachedDocumentValidationRules ?? Array.Empty<IValidationRule>();
        }
        var result = await next(options);
        if (!cached && result.Executed && result.Document is not null)
        {
            if (documents.Count >= MaxEntries) documents.Clear();
            documents.TryAdd(query, result.Document);
        }
        return result;
    }
}
