using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ReadModel;
using Xunit.Abstractions;

namespace Platform.Gateway.Tests;

/// <summary>
/// The abuse probe's findings, each as a request an attacker would send: one-request denial of service,
/// aliased and batched mutations, floods from one address or one account, cross-tenant Open311 writes,
/// malformed input. Every test would fail on the gateway as it was before these defences.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SecurityTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private static string Code(JsonNode body) => body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpContent content, string? address = null,
        string? token = null, string path = "/graphql")
    {
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (address is not null) request.Headers.Add(GatewayFixture.ClientAddressHeader, address);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try { body = JsonNode.Parse(text); } catch (JsonException) { }
        return (response.StatusCode, body, response);
    }

    private static StringContent Json(string query, object? variables = null) =>
        new(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");

    private async Task<int> ComplaintRowsAsync()
    {
        await using var store = await fixture.Services.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync();
        return await store.Complaints.CountAsync();
    }

    /// <summary>F0 selects a field; each next fragment spreads the one before twice: F24 expands to 2^24 spreads.</summary>
    private static string FragmentFanOut(int levels)
    {
        var text = new StringBuilder("query { arrangement(id: \"afval-nhn\") { ...F" + levels + " } }\nfragment F0 on Arrangement { name }\n");
        for (var i = 1; i <= levels; i++) text.Append($"fragment F{i} on Arrangement {{ ...F{i - 1} ...F{i - 1} }}\n");
        return text.ToString();
    }

    [Fact]
    public async Task Abuse_probe_a_fragment_fan_out_of_2_to_the_24_is_refused_in_under_a_second()
    {
        var query = FragmentFanOut(24);
        await SendAsync(Json("{ __typename }")); // warm the path, so the clock below measures the refusal only

        var clock = Stopwatch.StartNew();
        var (status, body, _) = await SendAsync(Json(query));
        clock.Stop();

        output.WriteLine($"{Encoding.UTF8.GetByteCount(query)}-byte document expanding to 2^24 spreads: HTTP {(int)status} in {clock.Elapsed.TotalMilliseconds:0.0} ms");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("QUERY_TOO_LARGE", Code(body!));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_modest_fan_out_within_the_limit_still_runs()
    {
        // 2^9 = 512 spreads of one field: large but legitimate-sized, so the limit does not bite early.
        var (status, body, _) = await SendAsync(Json(FragmentFanOut(9)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Gemeenschappelijke Regeling Afval Noord-Holland Noord", body!["data"]!["arrangement"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }", "NO_FRAGMENT_CYCLES")]
    [InlineData("query { a1: viewer { kind } a2: viewer { kind } a3: viewer { kind } a4: viewer { kind } a5: viewer { kind } a6: viewer { kind } }", "TOO_MANY_ALIASES")]
    [InlineData("query { arrangement(id: \"afval-nhn\") { members { municipality { arrangements { members { municipality { arrangements { members { municipality { arrangements { members { municipality { name } } } } } } } } } } } } }", "QUERY_TOO_DEEP")]
    public async Task A_document_beyond_a_limit_is_refused_before_validation_and_named(string query, string code)
    {
        var (status, body, _) = await SendAsync(Json(query));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, Code(body!));
        Assert.Null(body!["data"]);
    }

    [Fact]
    public async Task Abuse_probe_5000_aliased_fileComplaint_mutations_are_refused_and_file_nothing()
    {
        var text = new StringBuilder("mutation($i: FileComplaintInput!) {");
        for (var i = 0; i < 5000; i++) text.Append($" c{i}:fileComplaint(input:$i){{clientMutationId}}");
        text.Append(" }");
        var input = new { arrangementId = "afval-nhn", serviceCode = "bouwpuin", description = "x", location = new { address = "Dijk 1" } };
        var before = await ComplaintRowsAsync();

        var (status, body, _) = await SendAsync(Json(text.ToString(), new { i = input }), token: await fixture.TokenAsync("citizen@demo.test"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        // Whichever limit the measurement passes first: 5,000 selections, or 5,000 names for one field.
        Assert.Contains(Code(body!), new[] { "TOO_MANY_ALIASES", "QUERY_TOO_LARGE" });
        Assert.Equal(before, await ComplaintRowsAsync());
    }

    [Fact]
    public async Task Abuse_probe_500_aliased_anonymous_applications_are_refused_and_store_nothing()
    {
        var text = new StringBuilder("mutation {");
        for (var i = 0; i < 500; i++)
        {
            text.Append($" a{i}: applyForOnboarding(input: {{ code: \"GM0344\", name: \"Utrecht\", inhabitants: 1, inhabitantsReferenceDate: \"2024-01-01\", contactName: \"X\", contactEmail: \"x{i}@spam.test\" }}) {{ userErrors {{ code }} }}");
        }
        text.Append(" }");

        var (status, body, _) = await SendAsync(Json(text.ToString()));
        var stored = await fixture.DataAsync("""{ onboardingApplication(code: "GM0344") { code } }""", token: await fixture.OperatorAsync());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("TOO_MANY_ALIASES", Code(body!));
        Assert.Null(stored["onboardingApplication"]);
    }

    [Fact]
    public async Task Two_different_mutations_in_one_request_are_refused()
    {
        var query = """
            mutation {
              a: applyForOnboarding(input: { code: "GM0345", name: "A", inhabitants: 1, inhabitantsReferenceDate: "2024-01-01", contactName: "X", contactEmail: "a@x.test" }) { userErrors { code } }
              b: supportProposal(input: { proposalId: "p-demo-bouwpuin" }) { userErrors { code } }
            }
            """;

        var (status, body, _) = await SendAsync(Json(query));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("TOO_MANY_MUTATIONS", Code(body!));
    }

    [Fact]
    public async Task Abuse_probe_a_loop_of_anonymous_applications_from_one_address_gets_429_after_the_limit()
    {
        const string address = "203.0.113.10";
        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 30; i++)
        {
            var (status, _, response) = await SendAsync(Json("""
                mutation($email: String!) { applyForOnboarding(input: { code: "GM0346", name: "Loop", inhabitants: 1, inhabitantsReferenceDate: "2024-01-01", contactName: "X", contactEmail: $email }) { userErrors { code } } }
                """, new { email = $"loop{i}@spam.test" }), address);
            statuses.Add(status);
            retryAfter ??= response.Headers.RetryAfter?.ToString();
        }
        var stored = await fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<Platform.Grains.Onboarding.IOnboardingGrain>("GM0346").ListAsync();
        var (otherAddress, _, _) = await SendAsync(Json("{ viewer { kind } }"), "203.0.113.11");

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotNull(retryAfter);
        Assert.Equal(20, stored.Count);
        Assert.Equal(HttpStatusCode.OK, otherAddress);
    }

    [Fact]
    public async Task Abuse_probe_one_partner_flooding_writes_gets_429_after_its_limit_and_others_are_not_affected()
    {
        var token = await fixture.DedicatedPartnerTokenAsync("throttle-probe");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 130; i++)
        {
            var (status, _, _) = await SendAsync(Json("""mutation { castVote(input: { proposalId: "p-demo-strooiplan", choice: NO }) { userErrors { code } } }"""), token: token);
            statuses.Add(status);
        }
        var (others, _, _) = await SendAsync(Json("""mutation { castVote(input: { proposalId: "p-demo-strooiplan", choice: NO }) { userErrors { code } } }"""),
            token: await fixture.TokenAsync("demo-partner-readonly"));

        // The probe partner has no vote (403) until its 120 writes a minute are spent, then 429.
        Assert.Equal(120, statuses.Count(s => s == HttpStatusCode.Forbidden));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.Forbidden, others);
    }

    [Fact]
    public async Task Introspection_and_suggestions_are_for_signed_in_callers_outside_Development()
    {
        var (anonymous, anonymousBody, _) = await SendAsync(Json("{ __schema { queryType { name } } }"));
        var signedIn = await fixture.DataAsync("{ __schema { queryType { name } } }", token: await fixture.TokenAsync("citizen@demo.test"));
        var (_, typo, _) = await SendAsync(Json("{ arrangment(id: \"afval-nhn\") { name } }"));
        var (_, typoSignedIn, _) = await SendAsync(Json("{ arrangment(id: \"afval-nhn\") { name } }"), token: await fixture.TokenAsync("citizen@demo.test"));

        Assert.Equal(HttpStatusCode.BadRequest, anonymous);
        Assert.Equal("INTROSPECTION_DISABLED", Code(anonymousBody!));
        Assert.Equal("Query", signedIn["__schema"]!["queryType"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain("Did you mean", typo!["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Contains("arrangment", typo["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Contains("Did you mean", typoSignedIn!["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_body_is_a_400_not_a_500()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"query":"{ arrangement(id: \"X\") { name } }"}""");
        bytes[bytes.Length - 8] = 0xFF;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var (status, body, _) = await SendAsync(content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_UTF8", Code(body!));
    }

    [Theory]
    [InlineData("""{"query":"query($id: ID!) { arrangement(id: $id) { name } }","variables":{"id":"\ud800"}}""")]
    [InlineData("""{"query":"{ arrangement(id: \"\udfff\") { name } }"}""")]
    public async Task A_lone_surrogate_in_the_query_or_its_variables_is_a_400(string json)
    {
        var (status, body, _) = await SendAsync(new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_JSON", Code(body!));
    }

    [Theory]
    [InlineData("""{ arrangement(id: " ") { name } }""")]
    [InlineData("""{ arrangement(id: "") { name } }""")]
    [InlineData("""{ complaint(id: "  ") { key } }""")]
    [InlineData("""{ node(id: " ") { id } }""")]
    [InlineData("""{ proposal(id: "\t") { title } }""")]
    public async Task A_blank_id_reads_nothing_without_an_error(string query)
    {
        var errorsBefore = fixture.Logs.Entries.Count(e => e.Level >= LogLevel.Error);

        var (status, body, _) = await SendAsync(Json(query));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body!["errors"]);
        Assert.All(body["data"]!.AsObject(), field => Assert.Null(field.Value));
        Assert.Equal(errorsBefore, fixture.Logs.Entries.Count(e => e.Level >= LogLevel.Error));
    }

    [Theory]
    [InlineData("""mutation { fileComplaint(input: { arrangementId: " ", serviceCode: "bouwpuin", description: "x", location: { address: "Dijk 1" } }) { userErrors { field code } } }""", "fileComplaint", "citizen@demo.test")]
    [InlineData("""mutation { publishTariffSchedule(input: { arrangementId: "  ", tariffs: [] }) { userErrors { field code } } }""", "publishTariffSchedule", "operator@demo.test")]
    [InlineData("""mutation { castVote(input: { proposalId: " ", choice: YES }) { userErrors { field code } } }""", "castVote", "board@demo.test")]
    [InlineData("""mutation { transitionComplaint(input: { complaintId: " ", action: CONFIRM }) { userErrors { field code } } }""", "transitionComplaint", "citizen@demo.test")]
    public async Task A_blank_id_in_a_mutation_is_a_named_user_error(string mutation, string field, string who)
    {
        var data = await fixture.DataAsync(mutation, token: await fixture.TokenAsync(who));

        var error = data[field]!["userErrors"]![0]!;
        Assert.Equal("NOT_FOUND", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_blank_complaint_id_in_the_photo_address_is_a_404()
    {
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/complaints/%20/photos") { Content = new ByteArrayContent([0xFF, 0xD8, 0xFF]) };
        request.Headers.Authorization = new("Bearer", await fixture.TokenAsync("citizen@demo.test"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lookups_of_500_guessed_complaint_ids_activate_no_complaint_grain()
    {
        var management = fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        async Task<int> ComplaintActivationsAsync() =>
            (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("ComplaintGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        var before = await ComplaintActivationsAsync();

        // 100 requests of 5 lookups each (5 aliases of one field is the most a request may ask).
        for (var request = 0; request < 100; request++)
        {
            var ids = Enumerable.Range(0, 5).Select(_ => $"c-{Guid.NewGuid():N}"[..14]).ToArray();
            var query = "query(" + string.Join(", ", ids.Select((_, i) => $"$i{i}: ID!")) + ") { " + string.Join(" ", ids.Select((_, i) => $"c{i}: complaint(id: $i{i}) {{ key }}")) + " }";
            var variables = ids.Select((id, i) => (id, i)).ToDictionary(x => $"i{x.i}", x => (object)x.id);
            var (status, body, _) = await SendAsync(Json(query, variables));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.All(body!["data"]!.AsObject(), f => Assert.Null(f.Value));
        }

        Assert.Equal(before, await ComplaintActivationsAsync());
    }
}
