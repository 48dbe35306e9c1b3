using GraphQLParser;
using GraphQLParser.AST;
using Platform.Gateway.GraphQL.Execution;

namespace Platform.Gateway.Tests;

/// <summary>The one-pass measurement of a document against a naive expansion of every fragment.</summary>
public sealed class DocumentShapeTests
{
    private static readonly DocumentLimits Unbounded = new() { MaxSelections = int.MaxValue, MaxAliasesPerField = int.MaxValue };

    /// <summary>Counts selections by expanding every spread again, as validation rules that walk spreads do.</summary>
    private static long Naive(GraphQLSelectionSet? set, IReadOnlyDictionary<string, GraphQLFragmentDefinition> fragments) =>
        set?.Selections.Sum(s => s switch
        {
            GraphQLField f => 1 + Naive(f.SelectionSet, fragments),
            GraphQLInlineFragment i => 1 + Naive(i.SelectionSet, fragments),
            GraphQLFragmentSpread spread => 1 + Naive(fragments[spread.FragmentName.Name.StringValue].SelectionSet, fragments),
            _ => 0L,
        }) ?? 0;

    public static TheoryData<string> Documents => new()
    {
        "{ arrangement(id: \"a\") { ...F4 } } fragment F0 on Arrangement { name } fragment F1 on Arrangement { ...F0 ...F0 } fragment F2 on Arrangement { ...F1 ...F1 id } fragment F3 on Arrangement { ...F2 ... on Arrangement { ...F2 } } fragment F4 on Arrangement { ...F3 ...F3 ...F3 }",
        "{ a: viewer { kind } b: viewer { ...V } } fragment V on Viewer { kind subject scopes }",
        "query { arrangements { nodes { members { municipality { name } } tariffs { amount } } } } query Two { viewer { kind } }",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Selections_counted_once_per_fragment_equal_a_naive_expansion(string text)
    {
        var document = Parser.Parse(text);
        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue);

        var shape = DocumentShape.Measure(document, Unbounded);

        Assert.Equal(document.Definitions.OfType<GraphQLOperationDefinition>().Sum(o => Naive(o.SelectionSet, fragments)), shape.Selections);
    }

    [Fact]
    public void Aliases_of_one_field_are_counted_through_fragments_and_mutations_per_operation()
    {
        var aliases = DocumentShape.Measure(Parser.Parse("{ a: viewer { kind } ...X } fragment X on Query { b: viewer { kind } c: viewer { kind } viewer { kind } }"), Unbounded);
        var mutations = DocumentShape.Measure(Parser.Parse("mutation A { x { y } } mutation B { x { y } z { y } }"), Unbounded);

        Assert.Equal((4, "viewer"), (aliases.MostAliasesOfOneField, aliases.MostAliasedField));
        Assert.Equal(2, mutations.MutationFields);
    }

    [Theory]
    [InlineData("{ viewer { kind } }", 6)]
    [InlineData("{ viewer(x: \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\") { kind } }", 6)]
    [InlineData("{ viewer { kind } } # AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", 6)]
    [InlineData("{ viewer(x: \"\"\"AAAAAAAAAAAAAAAA \"AAAAAAAAAAAAAAAAAAAAAAAAAAAA\" \"\"\") { kind } }", 6)]
    [InlineData("{ viewer(x: \"a\\\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\") { kind } }", 6)]
    [InlineData("{ viewerAAAAAAAAAAAAAAAAAAAA { kind } }", 26)]
    [InlineData("{ x(n: 12345678901234567890) }", 20)]
    public void The_longest_name_skips_strings_and_comments(string text, int longest) =>
        Assert.Equal(longest, DocumentShape.LongestName(text));
}
