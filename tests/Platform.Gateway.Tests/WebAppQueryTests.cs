using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Gateway.Tests;

/// <summary>
/// Every GraphQL document the web app sends (each raw or one-line string literal in its pages and endpoints that starts
/// with <c>query</c>, <c>mutation</c> or <c>{</c>) validated against the gateway's schema, without running it: a field,
/// argument or type the schema does not have fails here by page and message, before a browser ever loads the page.
/// Missing variable values are expected (none are given) and are the only errors ignored.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class WebAppQueryTests(GatewayFixture fixture)
{
    [GeneratedRegex("\"\"\"(.*?)\"\"\"", RegexOptions.Singleline)]
    private static partial Regex RawString();

    /// <summary>A one-line string literal holding an operation, e.g. "mutation($id: ID!) { … }".</summary>
    [GeneratedRegex("(?<![\"$])\"((?:query|mutation)\\b[^\"\\n]*)\"")]
    private static partial Regex LineString();

    private static string WebApp
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "web-admin", "Platform.WebAdmin"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("web-admin/Platform.WebAdmin above the test folder"), "web-admin", "Platform.WebAdmin");
        }
    }

    public static IEnumerable<(string Source, string Document)> Documents() =>
        Directory.EnumerateFiles(WebApp, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => RawString().Matches(File.ReadAllText(f)).Concat(LineString().Matches(File.ReadAllText(f)))
                .Select(m => (Source: Path.GetRelativePath(WebApp, f), Document: m.Groups[1].Value.Trim())))
            .Where(d => d.Document.StartsWith("query", StringComparison.Ordinal) || d.Document.StartsWith("mutation", StringComparison.Ordinal) || d.Document.StartsWith('{'))
            .Select(d => d with { Document = WithKeptFragments(d.Document) })
            // And the documents kept in files of their own (Queries/*.graphql), whole.
            .Concat(Directory.EnumerateFiles(Path.Combine(WebApp, "Queries"), "*.graphql").Select(f => (Source: Path.GetRelativePath(WebApp, f), Document: File.ReadAllText(f))));

    /// <summary>
    /// A page's document with the kept fragments it spreads (the fragments of Queries/*.graphql, which the web app appends
    /// when it sends the document: Queries.Fragments).
    /// </summary>
    private static string WithKeptFragments(string document)
    {
        var fragments = Directory.EnumerateFiles(Path.Combine(WebApp, "Queries"), "*.graphql")
            .SelectMany(f => File.ReadAllText(f).Split("\nfragment ").Skip(1))
            .Select(f => "fragment " + f.Trim())
            .Where(f => document.Contains("..." + f.Split(' ')[1], StringComparison.Ordinal));
        return string.Join("\n", [document, .. fragments]);
    }

    private async Task<List<string>> ErrorsOfAsync(string document)
    {
        var schema = fixture.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        GraphQLDocument parsed;
        try
        {
            parsed = GraphQLParser.Parser.Parse(document);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException e)
        {
            return [e.Message];
        }
        var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = schema,
            Document = parsed,
            Operation = parsed.Definitions.OfType<GraphQLOperationDefinition>().First(),
            Rules = DocumentValidator.CoreRules,
            Variables = Inputs.Empty,
            Extensions = Inputs.Empty,
            UserContext = new Dictionary<string, object?>(),
            RequestServices = fixture.Services,
        });
        return [.. result.Errors.Where(e => e is not InvalidVariableError).Select(e => e.Message)];
    }

    [Fact]
    public async Task Every_document_the_web_app_sends_is_valid_against_the_schema()
    {
        var documents = Documents().ToList();
        Assert.True(documents.Count >= 60, $"only {documents.Count} documents found under {WebApp}");
        Assert.Contains(documents, d => d.Source == Path.Combine("Queries", "PublicReports.graphql"));
        var failures = new List<string>();
        foreach (var (source, document) in documents)
        {
            foreach (var error in await ErrorsOfAsync(document)) failures.Add($"{source}: {error}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_field_the_schema_does_not_have_is_named()
    {
        var errors = await ErrorsOfAsync("query($id: ID!) { arrangement(id: $id) { performance { members { figures { indicator { name colour } } } } } }");
        Assert.Contains(errors, e => e.Contains("colour", StringComparison.Ordinal));
        Assert.Empty(await ErrorsOfAsync("query($id: ID!) { arrangement(id: $id) { performance { members { figures { indicator { name source } } } } } }"));
    }
}
