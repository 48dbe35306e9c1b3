using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Platform.Tests.Shared;
using Xunit.Abstractions;

namespace Platform.Gateway.Tests;

/// <summary>
/// Thousands of generated bad inputs against the real gateway over HTTP: broken GraphQL documents, variables of
/// the wrong type or odd Unicode, malformed bodies, Open311 forms and queries, photo uploads. Not one may be
/// answered with a 500 or an internal error, and nothing may be logged as an unhandled failure. The seed is
/// fixed (set FUZZ_SEED to explore others) and printed, so a failure can be replayed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FuzzTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private sealed record Case(string Kind, string Summary, Func<HttpRequestMessage> Make);

    private sealed record Outcome(Case Case, HttpStatusCode Status, string Body, TimeSpan Took);

    private static readonly string[] OddStrings =
    [
        "", " ", "   ", "\t", "\n", "\u0000", "\u0001\u0002", "\u007f", "\u0085", "\u200b", "\u202e", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udfff",
        "\ud83d\ude00", "ǅ", "İ", "ß", "Ω", "€", "m³", "'; DROP TABLE complaints; --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "%FF",
        "GM0363", "gm0405", "GM99999", "afval-nhn ", " afval-nhn", "p-demo-bouwpuin", "c-", "null", "undefined", "NaN", "1e309", "-0", "0x1F",
        "QXJyYW5nZW1lbnQ6", "QXJyYW5nZW1lbnQ6IA", "Q29tcGxhaW50OiA", new string('x', 101), new string('é', 5000),
    ];

    private static readonly string[] Documents =
    [
        """{ arrangement(id: "afval-nhn") { name tariffs { service { code } amount unit decidedBy } } }""",
        """{ arrangement(id: "afval-nhn") { tariffs(on: "2024-06-01") { amount } tariffHistory(serviceCode: "bouwpuin") { amount validFrom validTo } } }""",
        """{ arrangements(first: 2) { totalCount edges { cursor node { id name members { weight municipality { code name } } } } pageInfo { hasNextPage endCursor } } }""",
        """{ municipality(code: "GM0405") { code name inhabitants arrangements { name } } }""",
        """{ municipalities(first: 3, after: null) { nodes { code } } }""",
        """{ proposal(id: "p-demo-bouwpuin") { title phase tally { yes no } votes { choice } comments { text } } }""",
        """{ node(id: "QXJyYW5nZW1lbnQ6YWZ2YWwtbmhu") { id ... on Arrangement { name } } }""",
        """query Q($id: ID!) { complaint(id: $id) { key status history { action } } }""",
        """{ viewer { kind subject organisation roles scopes tenant { id name } } }""",
        """query A { a: viewer { kind } } query B { b: __typename }""",
        """{ ...F } fragment F on Query { arrangement(id: "gladheid-amstelland") { ...G } } fragment G on Arrangement { name decisionRules { kind threshold } }""",
        """mutation { applyForOnboarding(input: { code: "GM12", name: "X", inhabitants: 0, inhabitantsReferenceDate: "2024-01-01", contactName: "X", contactEmail: "nope" }) { userErrors { field code message } } }""",
        """mutation($i: FileComplaintInput!) { fileComplaint(input: $i) { complaint { key } userErrors { code } } }""",
        """mutation { castVote(input: { proposalId: "p-demo-bouwpuin", choice: YES }) { userErrors { code } } }""",
        """{ complaints(filter: { status: [SUBMITTED], text: "dijk" }, first: 5) { totalCount } complaintFigures(arrangementId: "afval-nhn") { total } }""",
    ];

    /// <summary>Documents with variables, and the variables of the right shape that the fuzzer then corrupts.</summary>
    private static readonly (string Query, Func<JsonObject> Variables)[] WithVariables =
    [
        ("query($id: ID!) { arrangement(id: $id) { name } proposal(id: $id) { title } complaint(id: $id) { key } node(id: $id) { id } }", () => new() { ["id"] = "afval-nhn" }),
        ("query($on: Date) { arrangement(id: \"afval-nhn\") { tariffs(on: $on) { amount } } }", () => new() { ["on"] = "2025-01-01" }),
        ("query($first: Int, $after: String) { arrangements(first: $first, after: $after) { nodes { name } } municipalities(first: $first, after: $after) { nodes { code } } }",
            () => new() { ["first"] = 2, ["after"] = null }),
        ("query($code: String!) { municipality(code: $code) { name } onboardingApplication(code: $code) { name } }", () => new() { ["code"] = "GM0405" }),
        ("query($f: ComplaintFilter, $n: Int) { complaints(filter: $f, first: $n) { totalCount } }",
            () => new() { ["f"] = new JsonObject { ["status"] = new JsonArray("SUBMITTED"), ["overdue"] = false, ["filedFrom"] = "2024-01-01", ["text"] = "x" }, ["n"] = 5 }),
        ("mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { field code } } }",
            () => new() { ["input"] = new JsonObject { ["arrangementId"] = "afval-nhn", ["serviceCode"] = "bouwpuin", ["description"] = "Puin", ["location"] = new JsonObject { ["latitude"] = 52.6, ["longitude"] = 5.06, ["address"] = "Dijk 1" } } }),
        // Never valid as a whole: inhabitants 0 and a contact that is no address (one field is corrupted per case).
        ("mutation($input: ApplyForOnboardingInput!) { applyForOnboarding(input: $input) { userErrors { field code } } }",
            () => new() { ["input"] = new JsonObject { ["code"] = "GM0999", ["name"] = "Fuzz", ["inhabitants"] = 0, ["inhabitantsReferenceDate"] = "2024-01-01", ["contactName"] = "F", ["contactEmail"] = "not-an-address" } }),
        ("mutation($input: CastVoteInput!) { castVote(input: $input) { userErrors { field code } } }",
            () => new() { ["input"] = new JsonObject { ["proposalId"] = "p-demo-strooiplan", ["choice"] = "YES", ["clientMutationId"] = "k" } }),
        ("mutation($input: PublishTariffScheduleInput!) { publishTariffSchedule(input: $input) { userErrors { field code } } }",
            () => new() { ["input"] = new JsonObject { ["arrangementId"] = "afval-nhn", ["tariffs"] = new JsonArray(new JsonObject { ["serviceCode"] = "bouwpuin", ["amount"] = 1.5, ["unitQuantity"] = 1, ["unitMeasure"] = "m³", ["validFrom"] = "2030-01-01" }) } }),
        ("mutation($input: TransitionComplaintInput!) { transitionComplaint(input: $input) { userErrors { field code } } }",
            () => new() { ["input"] = new JsonObject { ["complaintId"] = "c-000000000000", ["action"] = "CONFIRM", ["note"] = "n" } }),
        ("mutation($input: ProposeChangeInput!) { proposeChange(input: $input) { userErrors { field code } } }",
            () => new() { ["input"] = new JsonObject { ["arrangementId"] = "afval-nhn", ["kind"] = "TARIFF_CHANGE", ["title"] = "T", ["motivation"] = "M", ["tariff"] = new JsonObject { ["serviceCode"] = "bouwpuin", ["amount"] = 1, ["unitQuantity"] = 0.5, ["unitMeasure"] = "m³", ["validFrom"] = "2031-01-01" } } }),
    ];

    private readonly Random random = new(Seed);

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var seed) ? seed : 20261201;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private string OddString() => random.Next(4) switch
    {
        0 => Pick(OddStrings),
        1 => new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => (char)random.Next(0, 0xFFFF)).ToArray()),
        2 => new string('A', Pick(new[] { 0, 99, 100, 101, 1_000, 20_000, 200_000 })),
        _ => Pick(OddStrings) + Pick(OddStrings),
    };

    private JsonNode? OddValue(int depth = 0) => random.Next(depth > 3 ? 9 : 12) switch
    {
        0 => null,
        1 => JsonValue.Create(OddString()),
        2 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        3 => JsonValue.Create(Pick(new[] { 0.0, -1.0, 1e308, -1e-308, 52.6, 1.5, double.Epsilon })),
        4 => JsonValue.Create(Pick(new[] { long.MaxValue, long.MinValue, 2147483648L, -2147483649L })),
        5 => JsonValue.Create(random.Next(2) == 0),
        6 => JsonValue.Create(Pick(new[] { "YES", "MAYBE", "yes", "CONFIRM", "SUBMITTED", "TARIFF_CHANGE", "2024-02-30", "2024-13-01", "9999-12-31", "0001-01-01", "today" })),
        7 => JsonValue.Create(Pick(new[] { "afval-nhn", "gladheid-amstelland", "p-demo-bouwpuin", "bouwpuin", "GM0405", "GM0363", "c-000000000000" })),
        8 => JsonValue.Create(OddString()),
        9 => new JsonArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => OddValue(depth + 1)).ToArray()),
        10 => new JsonObject(Enumerable.Range(0, random.Next(0, 4)).Select(i => KeyValuePair.Create(Pick(new[] { "id", "input", "code", "amount", "__proto__", "", "x" }) + i, OddValue(depth + 1)))),
        _ => Nested(random.Next(10, 200)),
    };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create(1);
        for (var i = 0; i < depth; i++) node = new JsonArray(node);
        return node;
    }

    /// <summary>Replaces one value somewhere in <paramref name="node"/> (or removes or adds a property).</summary>
    private void Corrupt(JsonNode node)
    {
        var paths = new List<(JsonNode Parent, string? Name, int Index)>();
        void Walk(JsonNode n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (name, child) in o.ToList()) { paths.Add((o, name, -1)); if (child is not null) Walk(child); }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) { paths.Add((a, null, i)); if (a[i] is { } child) Walk(child); }
                    break;
            }
        }
        Walk(node);
        if (paths.Count == 0 || random.Next(8) == 0)
        {
            if (node is JsonObject root) root[Pick(new[] { "extra", "input", "id", "clientMutationId" })] = OddValue();
            return;
        }
        var (parent, name, index) = Pick(paths);
        switch (random.Next(6))
        {
            case 0 when parent is JsonObject o:
                o.Remove(name!);
                break;
            default:
                if (parent is JsonObject obj) obj[name!] = OddValue();
                else ((JsonArray)parent)[index] = OddValue();
                break;
        }
    }

    private string MutateText(string text)
    {
        var chars = new StringBuilder(text);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && chars.Length > 0; e++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(9))
            {
                case 0: chars.Remove(at, Math.Min(random.Next(1, 10), chars.Length - at)); break;
                case 1: chars.Insert(at, Pick(new[] { "{", "}", "(", ")", "\"", "\\", "...", "$", "@", "#", ":", "!", "[", "]", "\u0000", "\ud800", "\u2028", "é", "\"\"\"" })); break;
                case 2: chars.Insert(at, chars.ToString(at, Math.Min(random.Next(1, 30), chars.Length - at))); break;
                case 3: chars.Length = at; break;
                case 4: chars.Insert(at, string.Concat(Enumerable.Repeat("{ a ", random.Next(20, 300)))); break;
                case 5: chars.Insert(at, " " + OddString() + " "); break;
                case 6: chars.Insert(at, Pick(new[] { " __schema { types { name } } ", " __type(name: \"Query\") { name } ", " ...on Query { viewer { kind } } ", " @skip(if: true) ", " @include(if: $x) ", " @deprecated " })); break;
                case 7: chars.Insert(at, Pick(new[] { "99999999999999999999", "-0", "1e400", "0x10", "1.", ".5", "true", "null", "ENUM_VALUE" })); break;
                default: chars[at] = (char)random.Next(32, 127); break;
            }
        }
        return chars.ToString();
    }

    /// <summary>Deep nesting is part of the fuzz: the client writes what the server must refuse.</summary>
    private static readonly JsonSerializerOptions Deep = new() { MaxDepth = 4_096 };

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, Deep), Encoding.UTF8, "application/json");

    private static HttpRequestMessage Post(string path, HttpContent content, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    private IEnumerable<Case> GraphQLDocuments(int count, string? token)
    {
        for (var i = 0; i < count; i++)
        {
            var query = MutateText(Pick(Documents));
            var variables = random.Next(4) == 0 ? new JsonObject { ["id"] = OddValue(), ["i"] = OddValue(), ["x"] = OddValue() } : null;
            var path = random.Next(6) == 0 ? $"/t/{Pick(new[] { "GM0405", "GM0363", "gm0405", "afvalbedrijf-nhn", "GM9999", "x y", "%00" })}/graphql" : "/graphql";
            yield return new("document", query.Length > 120 ? query[..120] : query, () => Post(path, Json(new { query, variables }), token));
        }
    }

    private IEnumerable<Case> GraphQLVariables(int count, string? token)
    {
        for (var i = 0; i < count; i++)
        {
            var (query, make) = Pick(WithVariables);
            var variables = make();
            for (var n = random.Next(1, 3); n > 0; n--) Corrupt(variables);
            var summary = variables.ToJsonString(Deep);
            yield return new("variables", $"{query[..Math.Min(60, query.Length)]} {summary[..Math.Min(120, summary.Length)]}",
                () => Post("/graphql", new StringContent(JsonSerializer.Serialize(new JsonObject { ["query"] = query, ["variables"] = variables.DeepClone() }, Deep), Encoding.UTF8, "application/json"), token));
        }
    }

    private IEnumerable<Case> RawBodies(int count)
    {
        var valid = Encoding.UTF8.GetBytes("""{"query":"query($id: ID!) { arrangement(id: $id) { name } }","variables":{"id":"afval-nhn"}}""");
        for (var i = 0; i < count; i++)
        {
            byte[] body;
            switch (random.Next(8))
            {
                case 0: body = new byte[random.Next(0, 600)]; random.NextBytes(body); break;
                case 1:
                    body = (byte[])valid.Clone();
                    body[random.Next(body.Length)] = Pick(new byte[] { 0xFF, 0xC0, 0x80, 0xED, 0xF8, 0xFE, 0x00 });
                    break;
                case 2: body = [0xEF, 0xBB, 0xBF, .. valid]; break;
                case 3: body = valid[..random.Next(valid.Length)]; break;
                case 4: body = Encoding.UTF8.GetBytes(Pick(new[] { "null", "[]", "[{\"query\":\"{ __typename }\"}]", "\"{ __typename }\"", "42", "{}", "{\"query\":null}", "{\"query\":1}", "{\"query\":\"{ __typename }\",\"variables\":[]}", "{\"query\":\"{ __typename }\",\"variables\":\"x\"}", "{\"query\":\"{ __typename }\",\"operationName\":5}", "{\"query\":\"{ __typename }\",\"extensions\":{\"a\":\"\\ud800\"}}", "{\"query\":\"{ __typename }\",\"query\":\"{ viewer { kind } }\"}" })); break;
                case 5: body = Encoding.UTF8.GetBytes("{\"query\":\"" + new string(' ', random.Next(1, 300_000)) + "{ __typename }\"}"); break;
                case 6: body = Encoding.UTF8.GetBytes("{\"query\":\"{ __typename }\",\"variables\":" + new string('[', random.Next(60, 2_000)) + "}"); break;
                default: body = Encoding.UTF8.GetBytes("{\"query\":\"{ arrangement(id: \\\"" + Pick(new[] { "\\ud800", "\\udfff\\ud800", "\\u0000", "\\uZZZZ", "\\x41", "\\" }) + "\\\") { name } }\"}"); break;
            }
            var type = Pick(new[] { "application/json", "application/json; charset=utf-8", "application/graphql", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=latin1", "", "*/*", "application/json; boundary=\"" });
            yield return new("raw body", $"{type} {body.Length} bytes", () =>
            {
                var content = new ByteArrayContent(body);
                if (type.Length > 0 && MediaTypeHeaderValue.TryParse(type, out var parsed)) content.Headers.ContentType = parsed;
                else if (type.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", type);
                var request = Post("/graphql", content);
                if (random.Next(4) == 0) request.Headers.TryAddWithoutValidation("Accept", Pick(new[] { "text/html", "application/xml", "*/*;q=0", "application/graphql-response+json;charset=latin1", "a/b/c;;q=x" }));
                return request;
            });
        }
    }

    private IEnumerable<Case> GetRequests(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var parameters = new List<string>();
            if (random.Next(5) > 0) parameters.Add("query=" + Pick(new[] { Uri.EscapeDataString(MutateText(Pick(Documents))), "%FF%FE", "%00", "%ED%A0%80", "%", "%ZZ", "" }));
            if (random.Next(3) == 0) parameters.Add("variables=" + Pick(new[] { "%7B%22id%22%3A%22%ED%A0%80%22%7D", "[]", "%7B", "null", Uri.EscapeDataString("{\"id\":" + (OddValue()?.ToJsonString() ?? "null") + "}") }));
            if (random.Next(4) == 0) parameters.Add("operationName=" + Uri.EscapeDataString(OddString()));
            if (random.Next(6) == 0) parameters.Add("query=%7B__typename%7D");
            var path = "/graphql?" + string.Join("&", parameters);
            yield return new("GET", path.Length > 120 ? path[..120] : path, () => new HttpRequestMessage(HttpMethod.Get, path));
        }
    }

    private IEnumerable<Case> Open311Forms(int count)
    {
        string[] fields = ["api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "description", "email", "first_name", "last_name", "phone", "media_url", "device_id", "account_id"];
        for (var i = 0; i < count; i++)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("api_key", Pick(new[] { "demo-open311-key", "amsterdam-open311-key", "wrong", "" })),
                new("jurisdiction_id", Pick(new[] { "GM0405", "GM0363", "gm0405", "GM9999", "" })),
                new("service_code", Pick(new[] { "afval-nhn.bouwpuin", "afval-nhn.", ".bouwpuin", "afval-nhn", "gladheid-amstelland.strooien-fietspaden", "" })),
                new("description", "Puin op de dijk"),
                new("lat", "52.64"), new("long", "5.06"),
            };
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                var field = Pick(fields);
                form.RemoveAll(p => p.Key == field && random.Next(2) == 0);
                form.Add(new(field, random.Next(3) == 0 ? Pick(new[] { "NaN", "1e400", "-91", "Infinity", "52,64", " 52.64 ", "" }) : OddString()));
            }
            if (random.Next(10) == 0) for (var n = 0; n < random.Next(60, 2_000); n++) form.Add(new($"f{n}", "x"));
            var format = Pick(new[] { "json", "xml", "html", "JSON" });
            var encoding = random.Next(8);
            yield return new("Open311 POST", $"{format} {string.Join("&", form.Take(8).Select(p => $"{p.Key}={(p.Value.Length > 20 ? p.Value[..20] : p.Value)}"))}", () =>
            {
                HttpContent content = encoding switch
                {
                    0 => new StringContent(string.Join("&", form.Select(p => $"{p.Key}={p.Value}")) + Pick(new[] { "%ZZ", "%FF%FE", "&=&==", "%", "&&&" }), Encoding.UTF8, "application/x-www-form-urlencoded"),
                    1 => Multipart(form),
                    2 => new StringContent("--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\ndemo-open311-key", Encoding.UTF8, "multipart/form-data"),
                    _ => new FormUrlEncodedContent(form),
                };
                if (encoding == 2) content.Headers.ContentType = MediaTypeHeaderValue.Parse(Pick(new[] { "multipart/form-data; boundary=\"\"", "multipart/form-data", "multipart/form-data; boundary=b" }));
                return Post($"/open311/v2/requests.{format}", content);
            });
        }
    }

    private static MultipartFormDataContent Multipart(IEnumerable<KeyValuePair<string, string>> form)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in form) content.Add(new StringContent(value), name);
        return content;
    }

    private IEnumerable<Case> Open311Queries(int count)
    {
        string[] paths = ["/open311/v2/requests.json", "/open311/v2/requests.xml", "/open311/v2/services.json", "/open311/v2/services.xml", "/open311/v2/discovery.json",
            "/open311/v2/requests/{id}.json", "/open311/v2/requests/{id}.xml", "/open311/v2/services/{id}.json", "/open311/v2/tokens/{id}.xml"];
        string[] names = ["jurisdiction_id", "api_key", "service_request_id", "service_code", "start_date", "end_date", "status"];
        for (var i = 0; i < count; i++)
        {
            var id = Uri.EscapeDataString(OddString()).Replace("%2F", "", StringComparison.Ordinal);
            if (id.Length == 0 || id.Length > 2_000) id = "x";
            var path = Pick(paths).Replace("{id}", id, StringComparison.Ordinal);
            var query = string.Join("&", Enumerable.Range(0, random.Next(0, 6)).Select(_ =>
                $"{Pick(names)}={(random.Next(3) == 0 ? Pick(new[] { "GM0405", "demo-open311-key", "2026-01-01T00:00:00Z", "open", "%FF", "%00" }) : Uri.EscapeDataString(OddString()))}"));
            var url = query.Length > 0 ? $"{path}?{query}" : path;
            yield return new("Open311 GET", url.Length > 120 ? url[..120] : url, () => new HttpRequestMessage(HttpMethod.Get, url));
        }
    }

    private IEnumerable<Case> Photos(int count, string complaint, string author, string stranger)
    {
        var jpeg = TestImages.Jpeg();
        var png = TestImages.Png();
        for (var i = 0; i < count; i++)
        {
            byte[] bytes;
            switch (random.Next(7))
            {
                case 0: bytes = new byte[random.Next(0, 5_000)]; random.NextBytes(bytes); break;
                case 1:
                    var whole = random.Next(2) == 0 ? jpeg : png;
                    bytes = whole[..random.Next(1, whole.Length)];
                    break;
                case 2:
                    bytes = (byte[])(random.Next(2) == 0 ? jpeg : png).Clone();
                    for (var f = random.Next(1, 20); f > 0; f--) bytes[random.Next(8, bytes.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 3: bytes = Pick(new byte[][] { [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [.. "RIFF"u8.ToArray(), 0xFF, 0xFF, 0xFF, 0x7F, .. "WEBP"u8.ToArray()] }); break;
                case 4: bytes = [.. jpeg, .. Encoding.UTF8.GetBytes("<html><script>alert(1)</script>")]; break;
                case 5: bytes = [.. jpeg[..2], 0xFF, 0xE1, 0xFF, 0xFF, .. jpeg[2..]]; break; // an APP1 segment longer than the file
                default: bytes = [.. png[..33], 0x7F, 0xFF, 0xFF, 0xFF, .. "tEXt"u8.ToArray(), .. png[33..]]; break; // a chunk that claims 2 GB
            }
            var id = random.Next(5) switch
            {
                0 => Uri.EscapeDataString(OddString()).Replace("%2F", "", StringComparison.Ordinal) is { Length: > 0 and < 2_000 } odd ? odd : "%20",
                1 => "%20",
                _ => complaint,
            };
            var token = random.Next(6) == 0 ? stranger : author;
            yield return new("photo", $"{id[..Math.Min(30, id.Length)]} {bytes.Length} bytes", () =>
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.TryAddWithoutValidation("Content-Type", Pick(new[] { "image/jpeg", "image/png", "application/octet-stream", "text/html", "" }));
                return Post($"/complaints/{id}/photos", content, token);
            });
        }
    }

    [Fact]
    public async Task Fuzz_5000_generated_bad_inputs_give_no_500_and_no_unlogged_exception()
    {
        // Callers of their own, so that the limits the fuzz spends are nobody else's.
        var partner = await fixture.DedicatedPartnerTokenAsync("fuzz-partner");
        var author = await fixture.DedicatedCitizenTokenAsync("fuzz-citizen@demo.test", "GM0363");
        var filed = await fixture.DataAsync("""mutation { fileComplaint(input: { arrangementId: "gladheid-amstelland", serviceCode: "strooien-fietspaden", description: "Fuzzed photos go here", location: { address: "Dam 1" } }) { complaint { key } } }""", token: author);
        var complaint = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        var cases = GraphQLDocuments(1_500, null)
            .Concat(GraphQLDocuments(200, partner))
            .Concat(GraphQLVariables(1_300, null))
            .Concat(GraphQLVariables(200, partner))
            .Concat(RawBodies(600))
            .Concat(GetRequests(300))
            .Concat(Open311Forms(600))
            .Concat(Open311Queries(300))
            .Concat(Photos(300, complaint, author, partner))
            .ToList();
        var errorsBefore = fixture.Logs.Entries.Count(e => e.Level >= LogLevel.Error);

        var outcomes = new List<Outcome>();
        using var client = fixture.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        foreach (var chunk in cases.Chunk(8))
        {
            outcomes.AddRange(await Task.WhenAll(chunk.Select(async c =>
            {
                using var request = c.Make();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                return new Outcome(c, response.StatusCode, body, clock.Elapsed);
            })));
        }

        var serverErrors = outcomes.Where(o => (int)o.Status >= 500 && !(o.Status == HttpStatusCode.ServiceUnavailable && o.Body.Contains("STORAGE_UNAVAILABLE", StringComparison.Ordinal))).ToList();
        var internalErrors = outcomes.Where(o => o.Body.Contains("INTERNAL_ERROR", StringComparison.Ordinal)).ToList();
        var logged = fixture.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Skip(errorsBefore).ToList();
        output.WriteLine($"fuzz: {outcomes.Count} cases (seed {Seed}): {serverErrors.Count} answered 5xx, {internalErrors.Count} internal errors, {logged.Count} errors logged");
        foreach (var group in outcomes.GroupBy(o => o.Case.Kind))
        {
            output.WriteLine($"  {group.Key,-14} {group.Count(),5} in {group.Sum(o => o.Took.TotalSeconds),5:0.0} s: " + string.Join(", ", group.GroupBy(o => (int)o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));
        }
        foreach (var bad in serverErrors.Concat(internalErrors).Take(20)) output.WriteLine($"  FAILED {bad.Case.Kind} {(int)bad.Status}: {bad.Case.Summary} -> {bad.Body[..Math.Min(300, bad.Body.Length)]}");
        foreach (var slow in outcomes.OrderByDescending(o => o.Took).Take(5)) output.WriteLine($"  slowest {slow.Took.TotalMilliseconds:0} ms: {slow.Case.Kind} {(int)slow.Status} {slow.Case.Summary}");
        foreach (var entry in logged.DistinctBy(e => (e.Category, e.Exception?.GetType())).Take(10))
        {
            output.WriteLine($"  LOGGED {entry.Category}: {entry.Message} {entry.Exception?.GetType().Name}: {entry.Exception?.Message}\n{entry.Exception?.StackTrace?[..Math.Min(1500, entry.Exception.StackTrace.Length)]}");
        }

        Assert.True(outcomes.Count >= 5_000, $"only {outcomes.Count} cases");
        Assert.Empty(serverErrors);
        Assert.Empty(internalErrors);
        Assert.Empty(logged);
        // The control: the fuzzer does reach past the transport into validation and the resolvers.
        Assert.Contains(outcomes, o => o.Status == HttpStatusCode.OK && o.Body.Contains("\"data\"", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Case.Kind == "photo" && o.Status == HttpStatusCode.UnsupportedMediaType);
    }
}
