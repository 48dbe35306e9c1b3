using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Access;
using Platform.Grains;
using Platform.Grains.Arrangements;

namespace Platform.Gateway.Tests;

/// <summary>
/// Answers to anonymous public queries are kept and served again, and never after a change of what they show has
/// returned: whether the change came through this gateway, or straight from a grain call elsewhere in the cluster.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PublicAnswerCacheTests(GatewayFixture fixture)
{
    private static string MembersQuery(string key) => $$"""{ arrangement(id: "{{key}}") { key members { municipality { code } } } }""";

    private async Task<(string? Cache, string Body)> PostAsync(string query, string? token = null, bool fresh = false, HttpStatusCode expected = HttpStatusCode.OK, string path = "/graphql")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (fresh) request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
        using var response = await fixture.CreateClient().SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return (response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null, await response.Content.ReadAsStringAsync());
    }

    private static string[] Members(string body) =>
        JsonNode.Parse(body)!["data"]!["arrangement"]!["members"]!.AsArray().Select(m => m!["municipality"]!["code"]!.GetValue<string>()).Order().ToArray();

    private async Task<string> NewArrangementAsync()
    {
        var key = $"cache-{Guid.NewGuid():N}"[..20];
        var created = await fixture.DataAsync("mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { userErrors { code } } }",
            new { input = new { key, name = $"Regeling {key}", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "rest", name = "Restafval" } } } },
            token: await fixture.OperatorAsync());
        Assert.Empty(created["createArrangement"]!["userErrors"]!.AsArray());
        return key;
    }

    private async Task AddMemberThroughGatewayAsync(string key, string code)
    {
        var added = await fixture.DataAsync("mutation($input: AddMemberInput!) { addMember(input: $input) { userErrors { code } } }",
            new { input = new { arrangementId = key, municipalityCode = code } }, token: await fixture.OperatorAsync());
        Assert.Empty(added["addMember"]!["userErrors"]!.AsArray());
    }

    [Fact]
    public async Task A_kept_answer_is_served_again_and_never_after_a_mutation_through_the_gateway_returned()
    {
        var key = await NewArrangementAsync();
        var first = await PostAsync(MembersQuery(key));
        var again = await PostAsync(MembersQuery(key));

        Assert.Equal("MISS", first.Cache);
        Assert.Equal("HIT", again.Cache);
        Assert.Equal(first.Body, again.Body);
        Assert.Empty(Members(again.Body));

        // Each change is read at once after it returned, with the answer kept just before it.
        string[] codes = ["GM0405", "GM0441", "GM0498"];
        for (var i = 0; i < codes.Length; i++)
        {
            Assert.Equal("HIT", (await PostAsync(MembersQuery(key))).Cache);
            await AddMemberThroughGatewayAsync(key, codes[i]);
            var after = await PostAsync(MembersQuery(key));
            Assert.Equal(codes[..(i + 1)].Order().ToArray(), Members(after.Body));
        }
    }

    [Fact]
    public async Task A_change_made_by_a_grain_call_elsewhere_in_the_cluster_ends_the_kept_answer_before_it_returns()
    {
        var key = await NewArrangementAsync();
        await PostAsync(MembersQuery(key));
        Assert.Equal("HIT", (await PostAsync(MembersQuery(key))).Cache);

        // Not through any gateway: a grain call as another silo's grain or a reminder would make it.
        var grains = fixture.Services.GetRequiredService<IGrainFactory>();
        CommandResult result;
        using (CallerContext.As(Caller.System("cache-test")))
        {
            result = await grains.GetGrain<IArrangementGrain>(key).AddMemberAsync(new AddMember("GM0405"));
        }
        var after = await PostAsync(MembersQuery(key));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal("MISS", after.Cache);
        Assert.Equal(["GM0405"], Members(after.Body));
    }

    [Fact]
    public async Task Signed_in_callers_and_callers_who_ask_for_a_fresh_answer_always_get_the_query_run()
    {
        var query = MembersQuery("afval-nhn");
        await PostAsync(query);
        Assert.Equal("HIT", (await PostAsync(query)).Cache);

        var signedIn = await PostAsync(query, token: await fixture.TokenAsync("citizen@demo.test"));
        var fresh = await PostAsync(query, fresh: true);

        // Neither is served from the store (nor keeps anything in it): the query ran.
        Assert.Null(signedIn.Cache);
        Assert.Null(fresh.Cache);
        Assert.Equal(Members((await PostAsync(query)).Body), Members(fresh.Body));
    }

    [Fact]
    public async Task Queries_of_what_is_not_public_data_are_not_kept()
    {
        const string viewer = "{ viewer { kind } }";
        await PostAsync(viewer);
        var again = await PostAsync(viewer);
        // An answer with an error (a field anonymous callers may not read) is not kept either.
        await PostAsync("{ organisation(id: \"GM0405\") { key people { email } } }", expected: HttpStatusCode.Unauthorized);
        var refused = await PostAsync("{ organisation(id: \"GM0405\") { key people { email } } }", expected: HttpStatusCode.Unauthorized);

        Assert.Null(again.Cache);
        Assert.Contains("\"anonymous\"", again.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Null(refused.Cache);
    }

    [Fact]
    public async Task What_depends_on_the_date_is_not_served_past_midnight_in_Amsterdam()
    {
        const string query = """{ arrangement(id: "afval-nhn") { tariffs { service { code } amount validFrom } } }""";
        await PostAsync(query);
        Assert.Equal("HIT", (await PostAsync(query)).Cache);
        fixture.Clock.Offset = TimeSpan.FromDays(1);
        try
        {
            Assert.Equal("MISS", (await PostAsync(query)).Cache);
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task On_the_web_server_a_kept_answer_goes_out_before_the_host_makes_a_request_of_it()
    {
        using var host = new HostRequests();
        using var http = HostRequests.Client(fixture.CreateClient().BaseAddress!);
        var query = MembersQuery(await NewArrangementAsync());
        async Task<(string? Cache, System.Diagnostics.ActivityTraceId Trace)> SendAsync()
        {
            var (trace, traceparent) = HostRequests.NewTrace();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (response.Headers.GetValues("X-Cache").Single(), trace);
        }

        var executed = await SendAsync();
        var kept = await SendAsync();

        Assert.Equal("MISS", executed.Cache);
        Assert.True(host.Started(executed.Trace));
        Assert.Equal("HIT", kept.Cache);
        // No request Activity, metrics, logging scope or middleware for it (PublicAnswerFront).
        Assert.False(host.Started(kept.Trace));
    }

    [Fact]
    public async Task Each_query_text_has_its_own_answer()
    {
        var key = await NewArrangementAsync();
        var plain = await PostAsync(MembersQuery(key));
        var other = await PostAsync(MembersQuery(key).Replace("key ", "name key ", StringComparison.Ordinal));

        Assert.Equal("MISS", plain.Cache);
        Assert.Equal("MISS", other.Cache);
        Assert.Contains("Regeling", other.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Regeling", plain.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kept_answer_by_GET_carries_the_same_ETag_and_revalidates_to_304()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString(MembersQuery("afval-nhn"));
        var client = fixture.CreateClient();
        using var first = await client.GetAsync(url);
        using var second = await client.GetAsync(url);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", second.Headers.ETag!.Tag);
        using var notModified = await client.SendAsync(revalidate);

        Assert.Equal("HIT", second.Headers.GetValues("X-Cache").Single());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(["public", "no-cache"], second.Headers.CacheControl!.ToString().Split(", "));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("HIT", notModified.Headers.GetValues("X-Cache").Single());
        // Served before the rest of the pipeline, with the same protection headers as an executed answer.
        foreach (var header in new[] { "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy" })
        {
            Assert.Equal(first.Headers.GetValues(header).Single(), second.Headers.GetValues(header).Single());
        }
    }

    [Fact]
    public async Task A_tenant_page_has_answers_of_its_own_and_an_unknown_tenant_never_gets_one()
    {
        var query = MembersQuery("afval-nhn");
        await PostAsync(query, path: "/t/GM0405/graphql");
        var tenant = await PostAsync(query, path: "/t/GM0405/graphql");
        var unknown = await PostAsync(query, expected: HttpStatusCode.NotFound, path: "/t/GM9999/graphql");
        var unknownAgain = await PostAsync(query, expected: HttpStatusCode.NotFound, path: "/t/GM9999/graphql");

        Assert.Equal("HIT", tenant.Cache);
        Assert.Null(unknown.Cache);
        Assert.Null(unknownAgain.Cache);
        Assert.Contains("TENANT_NOT_FOUND", unknownAgain.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_too_large_to_be_looked_up_is_run_every_time_and_not_kept()
    {
        // Over the lookup limit (16 KiB) by padding the variables: the answer is the same, but nothing is kept for it.
        var body = new JsonObject { ["query"] = MembersQuery("afval-nhn"), ["variables"] = new JsonObject { ["pad"] = new string('x', 17 * 1024) } }.ToJsonString();
        async Task<HttpResponseMessage> SendAsync() =>
            await fixture.CreateClient().PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        using var first = await SendAsync();
        using var second = await SendAsync();

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(first.Headers.Contains("X-Cache"));
        Assert.False(second.Headers.Contains("X-Cache"));
        Assert.Equal(Members((await PostAsync(MembersQuery("afval-nhn"))).Body), Members(await second.Content.ReadAsStringAsync()));
    }
}
