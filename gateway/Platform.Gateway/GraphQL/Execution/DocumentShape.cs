using GraphQLParser.AST;

namespace Platform.Gateway.GraphQL.Execution;

/// <summary>
/// What a parsed document would make the server do, measured in one pass over its syntax before any
/// validation rule runs. Each fragment is measured once and its expansion counted by multiplication,
/// so a document whose fragments spread each other 2^24 times costs as much to measure as its text
/// is long. Counting stops as soon as a limit is passed.
/// </summary>
public sealed record DocumentShape(
    long Selections,
    int Depth,
    int MostAliasesOfOneField,
    string? MostAliasedField,
    int MutationFields,
    bool UsesIntrospection,
    bool HasFragmentCycle)
{
    /// <summary>Measures <paramref name="document"/>; stops early once <paramref name="limits"/> are exceeded (the figures then say by how much at least).</summary>
    public static DocumentShape Measure(GraphQLDocument document, DocumentLimits limits) => new Measurement(document, limits).Run();

    /// <summary>
    /// The longest run of name characters (letters, digits, underscore) in the text outside strings and
    /// comments, in one pass before parsing: the parser takes seconds to report an error after a name of
    /// 200,000 characters, and validation compares unknown names with every known one to suggest the nearest.
    /// </summary>
    public static int LongestName(string text)
    {
        var longest = 0;
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '#')
            {
                while (i < text.Length && text[i] is not ('\n' or '\r')) i++;
                run = 0;
                continue;
            }
            if (c is '"')
            {
                var block = i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"';
                i += block ? 3 : 1;
                while (i < text.Length)
                {
                    if (text[i] == '\\') i += 2;
                    else if (block ? (text[i] == '"' && i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"') : text[i] is '"' or '\n') break;
                    else i++;
                }
                if (block) i += 2;
                run = 0;
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                longest = Math.Max(longest, ++run);
            }
            else
            {
                run = 0;
            }
        }
        return longest;
    }

    /// <summary>The first limit this shape breaks, as an error code and a message; null when within every limit.</summary>
    public (string Code, string Message)? Check(DocumentLimits limits)
    {
        if (HasFragmentCycle) return ("NO_FRAGMENT_CYCLES", "A fragment spreads itself (directly or through other fragments); fragments must not form cycles.");
        if (Selections > limits.MaxSelections)
        {
            return ("QUERY_TOO_LARGE",
                $"The document selects {(Selections > limits.MaxSelections * 2L ? $"more than {limits.MaxSelections * 2L:N0}" : Selections.ToString("N0"))} fields once its fragments are expanded; at most {limits.MaxSelections:N0} are allowed.");
        }
        if (Depth > limits.MaxDepth) return ("QUERY_TOO_DEEP", $"The document nests fields {Depth} levels deep; at most {limits.MaxDepth} are allowed.");
        if (MostAliasesOfOneField > limits.MaxAliasesPerField)
        {
            return ("TOO_MANY_ALIASES",
                $"The field '{MostAliasedField}' is asked for under {MostAliasesOfOneField} names in one selection; at most {limits.MaxAliasesPerField} are allowed.");
        }
        if (MutationFields > limits.MaxMutationFields)
        {
            return ("TOO_MANY_MUTATIONS", $"The document runs {MutationFields} mutations; send at most {limits.MaxMutationFields} per request.");
        }
        return null;
    }

    /// <summary>Fields selected directly in one selection set (through inline and named fragments too), by field name: the response keys under which each is asked for.</summary>
    private sealed class FieldNames : Dictionary<string, HashSet<string>>
    {
        public FieldNames() : base(StringComparer.Ordinal)
        {
        }
    }

    private sealed record Measured(long Selections, int Depth, FieldNames Fields);

    private sealed class Measurement(GraphQLDocument document, DocumentLimits limits)
    {
        private readonly Dictionary<string, GraphQLFragmentDefinition> fragments = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Measured> measured = new(StringComparer.Ordinal);
        private readonly HashSet<string> inProgress = new(StringComparer.Ordinal);
        private long total;
        private int mostAliases;
        private string? mostAliasedField;
        private bool cycle;
        private bool stopped;

        public DocumentShape Run()
        {
            foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
            {
                fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
            }
            var depth = 0;
            var mutationFields = 0;
            var introspection = false;
            foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
            {
                var root = Measure(operation.SelectionSet);
                if (stopped) break;
                total += root.Selections;
                depth = Math.Max(depth, root.Depth);
                // Per operation: a document may hold several, and a request runs one of them.
                if (operation.Operation == OperationType.Mutation) mutationFields = Math.Max(mutationFields, root.Fields.Values.Sum(keys => keys.Count));
                introspection |= root.Fields.ContainsKey("__schema") || root.Fields.ContainsKey("__type");
                if (total > limits.MaxSelections) break;
            }
            return new(stopped ? Math.Max(total, limits.MaxSelections + 1L) : total, depth, mostAliases, mostAliasedField, mutationFields, introspection, cycle);
        }

        private Measured Measure(GraphQLSelectionSet? set)
        {
            var fields = new FieldNames();
            if (set is null || stopped) return new(0, 0, fields);
            long selections = 0;
            var depth = 0;
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        var inner = Measure(field.SelectionSet);
                        selections += 1 + inner.Selections;
                        depth = Math.Max(depth, 1 + inner.Depth);
                        Add(fields, field.Name.StringValue, (field.Alias?.Name ?? field.Name).StringValue);
                        break;
                    case GraphQLInlineFragment inline:
                        var part = Measure(inline.SelectionSet);
                        selections += 1 + part.Selections;
                        depth = Math.Max(depth, part.Depth);
                        Merge(fields, part.Fields);
                        break;
                    case GraphQLFragmentSpread spread:
                        var named = Fragment(spread.FragmentName.Name.StringValue);
                        selections += 1 + named.Selections;
                        depth = Math.Max(depth, named.Depth);
                        Merge(fields, named.Fields);
                        break;
                }
                // Saturate: a document this large is refused whatever the exact figure.
                if (selections > limits.MaxSelections || stopped)
                {
                    stopped = true;
                    return new(limits.MaxSelections + 1L, depth, fields);
                }
            }
            return new(selections, depth, fields);
        }

        private Measured Fragment(string name)
        {
            if (measured.TryGetValue(name, out var known)) return known;
            // An unknown fragment is reported by validation; a cycle is refused here, before validation walks it.
            if (!fragments.TryGetValue(name, out var fragment)) return new(0, 0, new FieldNames());
            if (!inProgress.Add(name))
            {
                cycle = true;
                stopped = true;
                return new(0, 0, new FieldNames());
            }
            var result = Measure(fragment.SelectionSet);
            inProgress.Remove(name);
            measured[name] = result;
            return result;
        }

        private void Merge(FieldNames into, FieldNames from)
        {
            foreach (var (name, keys) in from)
            {
                foreach (var key in keys) Add(into, name, key);
            }
        }

        private void Add(FieldNames fields, string name, string responseKey)
        {
            if (!fields.TryGetValue(name, out var keys)) fields[name] = keys = new HashSet<string>(StringComparer.Ordinal);
            // Once past the limit the exact count no longer matters; stop the set from growing.
            if (keys.Count > limits.MaxAliasesPerField) return;
            keys.Add(responseKey);
            if (keys.Count > mostAliases)
            {
                mostAliases = keys.Count;
                mostAliasedField = name;
            }
        }
    }
}

/// <summary>What one GraphQL request may ask for (section <c>Platform:Gateway:Limits</c>).</summary>
public sealed class DocumentLimits
{
    public const string Section = "Platform:Gateway:Limits";

    /// <summary>Fields, inline fragments and fragment spreads once every fragment is expanded.</summary>
    public int MaxSelections { get; set; } = 2_000;

    /// <summary>Characters in one name (field, alias, argument, type, variable, fragment).</summary>
    public int MaxNameLength { get; set; } = 255;

    /// <summary>Levels of nested fields.</summary>
    public int MaxDepth { get; set; } = 12;

    /// <summary>Names (aliases) under which one field may be asked for in one selection set.</summary>
    public int MaxAliasesPerField { get; set; } = 5;

    /// <summary>Mutation fields in one request: each is a write with its own checks and idempotency record.</summary>
    public int MaxMutationFields { get; set; } = 1;

    /// <summary>Resolvers of one request that run at the same time (grain calls in flight).</summary>
    public int MaxParallelResolvers { get; set; } = 16;

    /// <summary>
    /// How long validation and execution of one request may take: room for a grain call whose answer was lost (no answer
    /// within <c>Platform:Gateway:GrainCallTimeout</c>, 10 s) to be sent once more, so the client gets the answer instead of
    /// a timeout. A read is sent again as is (<see cref="Protection.ReadRetryFilter"/>), a write under its idempotency key;
    /// a mutation is one field (<see cref="MaxMutationFields"/>).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Introspection (<c>__schema</c>, <c>__type</c>) and "did you mean" suggestions for callers without a token; signed-in callers always have them.</summary>
    public bool AnonymousIntrospection { get; set; }
}
