using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;

namespace Platform.Gateway.Tests;

/// <summary>The public Atom feed of an arrangement's proposals, decisions and tariffs, as a news reader reads it.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ArrangementFeedTests(GatewayFixture fixture)
{
    private async Task<HttpResponseMessage> GetAsync(string url, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await fixture.CreateClient().SendAsync(request);
    }

    private static async Task<SyndicationFeed> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader), "not an Atom 1.0 feed");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    [Fact]
    public async Task The_demo_arrangements_feed_shows_its_proposal_and_tariffs_in_Dutch_and_in_English_and_no_board_reminders()
    {
        var dutch = await ReadAsync(await GetAsync("/arrangements/afval-nhn/feed.atom"));
        var english = await ReadAsync(await GetAsync("/arrangements/afval-nhn/feed.atom?lang=en"));

        Assert.Contains("Afval", dutch.Title.Text, StringComparison.Ordinal);
        Assert.EndsWith(": voorstellen en besluiten", dutch.Title.Text, StringComparison.Ordinal);
        Assert.EndsWith(": proposals and decisions", english.Title.Text, StringComparison.Ordinal);
        var opened = Assert.Single(dutch.Items, i => i.Links[0].Uri.AbsolutePath == "/proposals/p-demo-bouwpuin" && i.Categories[0].Name == "nl.regelingen.proposal.voting-opened");
        Assert.StartsWith("Stemming geopend: ", opened.Title.Text, StringComparison.Ordinal);
        Assert.StartsWith("tag:", opened.Id, StringComparison.Ordinal);
        Assert.EndsWith(":proposal:p-demo-bouwpuin:proposal.voting-opened", opened.Id, StringComparison.Ordinal);
        Assert.Contains(english.Items, i => i.Id == opened.Id && i.Title.Text.StartsWith("Voting opened: ", StringComparison.Ordinal));
        Assert.Contains(dutch.Items, i => i.Categories[0].Name == "nl.regelingen.tariff.published");
        Assert.All(dutch.Items, i => Assert.DoesNotContain(i.Categories[0].Name, new[] { "nl.regelingen.proposal.closing-soon", "nl.regelingen.membership.joined", "nl.regelingen.complaint.filed" }));
        // Newest first.
        Assert.Equal(dutch.Items.OrderByDescending(i => i.LastUpdatedTime).Select(i => i.Id), dutch.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task A_new_tariff_is_a_new_entry_with_a_new_ETag_and_until_then_the_feed_revalidates_to_304()
    {
        var key = $"feed-{Guid.NewGuid():N}"[..20];
        var token = await fixture.DedicatedOperatorTokenAsync("feed.operator@demo.test");
        var created = await fixture.DataAsync("mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { userErrors { code } } }",
            new { input = new { key, name = $"Regeling {key}", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "bouwpuin", name = "Bouwpuin" } } } }, token: token);
        Assert.Empty(created["createArrangement"]!["userErrors"]!.AsArray());

        using var empty = await GetAsync($"/arrangements/{key}/feed.atom");
        var etag = empty.Headers.ETag!.ToString();
        Assert.True(empty.Headers.ETag.IsWeak);
        Assert.Empty((await ReadAsync(empty)).Items);
        Assert.Contains("max-age=60", empty.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var unchanged = await GetAsync($"/arrangements/{key}/feed.atom", etag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());

        var published = await fixture.DataAsync("""
            mutation($id: ID!) { publishTariffSchedule(input: { arrangementId: $id, tariffs: [{ serviceCode: "bouwpuin", amount: 31.50, unitQuantity: 0.5, unitMeasure: "m³", validFrom: "2026-01-01" }] }) { userErrors { code message } } }
            """, new { id = key }, token: token);
        Assert.Empty(published["publishTariffSchedule"]!["userErrors"]!.AsArray());

        using var changed = await GetAsync($"/arrangements/{key}/feed.atom", etag);
        Assert.NotEqual(etag, changed.Headers.ETag!.ToString());
        var entry = Assert.Single((await ReadAsync(changed)).Items);
        Assert.Equal("Tarief bouwpuin: € 31,50 per 0.5 m³ vanaf 01-01-2026", entry.Title.Text);
        Assert.Equal($"/arrangements/{key}", entry.Links[0].Uri.AbsolutePath);
    }

    [Theory]
    [InlineData("/arrangements/does-not-exist/feed.atom", HttpStatusCode.NotFound, "does-not-exist")]
    [InlineData("/arrangements/afval-nhn/feed.atom?lang=de", HttpStatusCode.BadRequest, "'de' is not a language")]
    public async Task An_unknown_arrangement_or_language_is_named_in_the_answer(string url, HttpStatusCode status, string named)
    {
        using var response = await GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_very_long_id_is_not_found_and_not_an_error()
    {
        using var response = await GetAsync($"/arrangements/{new string('x', 5_000)}/feed.atom");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
