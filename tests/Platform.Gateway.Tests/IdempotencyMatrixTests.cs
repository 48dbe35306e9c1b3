using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Platform.Gateway.Tests;

/// <summary>
/// Idempotency everywhere, generated from the schema: every mutation of the gateway takes a clientMutationId and
/// echoes it; the same request again with the same key gets the first answer, word for word; the same key with
/// other input is refused as IDEMPOTENCY_KEY_REUSED. A new mutation without it fails this test by name.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class IdempotencyMatrixTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private const string TypeRef = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex TraceId();

    [Fact]
    public async Task Every_mutation_takes_a_key_replays_its_first_answer_and_refuses_the_key_with_other_input()
    {
        var token = await fixture.OperatorAsync();
        // Residents' own mutations, as a resident of a member municipality (one of its own: nothing here changes what other tests see).
        var resident = await fixture.DedicatedCitizenTokenAsync("matrix-resident@demo.test", "GM0405");
        // Each account may write 120 times a minute: the matrix spreads its writes over the people each mutation is for.
        var board = await fixture.TokenAsync("board@demo.test");
        var admin = await fixture.TokenAsync("admin@demo.test");
        var manager = await fixture.TokenAsync("manager@demo.test");
        string CallerFor(string mutation) => mutation switch
        {
            "fileComplaint" or "closeMyAccount" or "applyForOnboarding" => resident,
            "proposeChange" or "submitOpinion" or "castVote" or "supportProposal" or "commentOnProposal" or "hideProposalComment" => board,
            "registerOrganisation" or "invitePerson" or "changePersonRole" or "removePerson" or "createPartnerClient" or "rotatePartnerClientSecret"
                or "revokePartnerClient" or "createOpen311Key" or "revokeOpen311Key" => admin,
            "onboardMunicipality" or "approveOnboarding" or "rejectOnboarding" or "createArrangement" => token,
            _ => manager,
        };
        var schema = (await fixture.DataAsync($$"""
            { __schema { mutationType { fields { name args { name type { {{TypeRef}} } } type { {{TypeRef}} } } }
                         types { name kind inputFields { name type { {{TypeRef}} } } fields { name } enumValues { name } } } }
            """, token: token))["__schema"]!;
        var types = schema["types"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!);
        var mutations = schema["mutationType"]!["fields"]!.AsArray().Select(f => f!).ToList();
        var failures = new List<string>();

        foreach (var mutation in mutations)
        {
            var name = mutation["name"]!.GetValue<string>();
            var inputArgument = mutation["args"]!.AsArray().SingleOrDefault(a => a!["name"]!.GetValue<string>() == "input");
            if (inputArgument is null) { failures.Add($"{name}: no input argument"); continue; }
            var inputType = Named(inputArgument["type"]!);
            if (!types[inputType]["inputFields"]!.AsArray().Any(f => f!["name"]!.GetValue<string>() == "clientMutationId")) { failures.Add($"{name}: {inputType} has no clientMutationId"); continue; }
            var payloadType = Named(mutation["type"]!);
            var payloadFields = types[payloadType]["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToHashSet();
            if (!payloadFields.Contains("clientMutationId") || !payloadFields.Contains("userErrors")) { failures.Add($"{name}: {payloadType} lacks clientMutationId or userErrors"); continue; }

            var key = $"matrix-{name}-{Guid.NewGuid():N}";
            var input = Value(types, inputType, variant: false)!.AsObject();
            input["clientMutationId"] = key;
            var query = $"mutation($input: {inputType}!) {{ {name}(input: $input) {{ clientMutationId userErrors {{ field code }} }} }}";

            var caller = CallerFor(name);
            var (_, first) = await fixture.PostAsync(query, new { input }, token: caller);
            var (_, again) = await fixture.PostAsync(query, new { input }, token: caller);
            var other = Value(types, inputType, variant: true)!.AsObject();
            other["clientMutationId"] = key;
            var (_, reused) = await fixture.PostAsync(query, new { input = other }, token: caller);

            var firstText = TraceId().Replace(first.ToJsonString(), "<trace>");
            output.WriteLine($"{name}: {firstText}");
            if (firstText != TraceId().Replace(again.ToJsonString(), "<trace>")) failures.Add($"{name}: a replay answered {again.ToJsonString()} after {first.ToJsonString()}");
            if (first["data"]?[name] is JsonObject payload && payload["clientMutationId"]?.GetValue<string>() != key) failures.Add($"{name}: the key was not echoed: {first.ToJsonString()}");
            var reusedCode = reused["data"]?[name]?["userErrors"]?.AsArray().Select(e => e!["code"]!.GetValue<string>()).FirstOrDefault();
            if (reusedCode != "IDEMPOTENCY_KEY_REUSED") failures.Add($"{name}: the key with other input answered {reused.ToJsonString()}");
        }

        Assert.True(mutations.Count >= 28, $"only {mutations.Count} mutations found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Named(JsonNode type) => type["name"]?.GetValue<string>() is { } name ? name : Named(type["ofType"]!);

    /// <summary>A value of the type that passes GraphQL's own checks (its required fields, scalars of the right kind); <paramref name="variant"/> makes every text and number differ.</summary>
    private static JsonNode? Value(Dictionary<string, JsonNode> types, string typeName, bool variant, int depth = 0)
    {
        var type = types[typeName];
        switch (type["kind"]!.GetValue<string>())
        {
            case "INPUT_OBJECT":
                var value = new JsonObject();
                foreach (var field in type["inputFields"]!.AsArray())
                {
                    var fieldType = field!["type"]!;
                    if (fieldType["kind"]!.GetValue<string>() != "NON_NULL" || depth > 4) continue;
                    var inner = fieldType["ofType"]!;
                    value[field["name"]!.GetValue<string>()] = inner["kind"]!.GetValue<string>() == "LIST"
                        ? new JsonArray(Value(types, Named(inner), variant, depth + 1))
                        : Value(types, Named(inner), variant, depth + 1);
                }
                if (value.Count == 0)
                {
                    // Nothing is required (a settings change names what it changes): its optional texts and choices, so the variant differs.
                    foreach (var field in type["inputFields"]!.AsArray())
                    {
                        if (field!["type"]!["kind"]!.GetValue<string>() is "SCALAR" or "ENUM" && field["name"]!.GetValue<string>() != "clientMutationId")
                        {
                            value[field["name"]!.GetValue<string>()] = Value(types, Named(field["type"]!), variant, depth + 1);
                        }
                    }
                }
                return value;
            case "ENUM":
                var values = type["enumValues"]!.AsArray();
                return values[variant && values.Count > 1 ? 1 : 0]!["name"]!.GetValue<string>();
            default:
                return typeName switch
                {
                    "Int" or "Long" => variant ? 2 : 1,
                    "Float" or "Decimal" => variant ? 2.5 : 1.5,
                    "Boolean" => variant, // false first: closeMyAccount then changes nothing
                    "Date" => variant ? "2031-02-01" : "2030-01-01",
                    "DateTimeOffset" or "DateTime" => variant ? "2031-02-01T00:00:00Z" : "2030-01-01T00:00:00Z",
                    "Uri" => variant ? "https://other.example/" : "https://example.test/",
                    _ => variant ? "matrix-other" : "matrix-x",
                };
        }
    }
}
