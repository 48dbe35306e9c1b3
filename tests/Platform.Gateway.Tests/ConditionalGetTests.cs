using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

/// <summary>Public reads by GET carry an ETag that caches revalidate: 304 while the answer is the same, the new answer once it changed.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ConditionalGetTests(GatewayFixture fixture)
{
    private static string Url(string key) =>
        "/graphql?query=" + Uri.EscapeDataString($$"""{ arrangement(id: "{{key}}") { key members { municipality { code } } } }""");

    private async Task<HttpResponseMessage> GetAsync(string url, string? ifNoneMatch = null, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return await fixture.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task A_public_read_revalidates_to_304_until_a_mutation_changes_it_and_then_answers_anew()
    {
        var key = $"etag-{Guid.NewGuid():N}"[..20];
        var created = await fixture.DataAsync("mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { userErrors { code } } }",
            new { input = new { key, name = $"Regeling {key}", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "rest", name = "Restafval" } } } },
            token: await fixture.OperatorAsync());
        Assert.Empty(created["createArrangement"]!["userErrors"]!.AsArray());

        using var first = await GetAsync(Url(key));
        var etag = first.Headers.ETag?.Tag;
        using var unchanged = await GetAsync(Url(key), etag);
        await fixture.DataAsync("mutation($input: AddMemberInput!) { addMember(input: $input) { userErrors { code } } }",
            new { input = new { arrangementId = key, municipalityCode = "GM0405" } }, token: await fixture.OperatorAsync());
        using var changed = await GetAsync(Url(key), etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.Equal(["public", "no-cache"], first.Headers.CacheControl!.ToString().Split(", "));
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag?.Tag);
        var members = JsonNode.Parse(await changed.Content.ReadAsStringAsync())!["data"]!["arrangement"]!["members"]!.AsArray();
        Assert.Equal(["GM0405"], members.Select(m => m!["municipality"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_signed_in_read_is_kept_by_no_shared_cache_and_gets_no_ETag()
    {
        using var response = await GetAsync(Url("afval-nhn"), token: await fixture.TokenAsync("citizen@demo.test"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl!.Private && response.Headers.CacheControl.NoStore);
    }
}
