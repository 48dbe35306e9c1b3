using System.Globalization;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// An external price review in a real browser: Hoorn's contract manager agrees the interval, attaches a review (a report
/// address that is not https refused first, what was typed kept), sees the debris tariff of the report's date beside the
/// advised price, and starts a tariff-change proposal from the finding, which arrives filled in and, once proposed,
/// shows the review as its evidence.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PriceReviewJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task A_member_attaches_a_price_review_and_proposes_the_advised_tariff_from_its_finding()
    {
        var reviewer = $"Bureau Tariefadvies {Guid.NewGuid().ToString("N")[..6]}";
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        await using var manager = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "price-review");
        await manager.SignInAsync("manager@demo.test", "/console");
        await manager.Page.ClickAsync("main a[href='/console/arrangements/afval-nhn/price-reviews']");
        await manager.ExpectAsync("section[aria-labelledby=record]");

        await manager.Page.FillAsync("#review-years", "3");
        await manager.Page.ClickAsync("section[aria-labelledby=schedule] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        Assert.Contains("Elke 3 jaar", await manager.Page.InnerTextAsync("section[aria-labelledby=schedule]"));

        await manager.Page.FillAsync("#review-reviewer", reviewer);
        await manager.Page.FillAsync("#review-date", today.AddDays(-7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await manager.Page.FillAsync("#review-summary", "Het puintarief ligt ruim boven de kostprijs; dat werkt illegaal storten in de hand.");
        await manager.Page.FillAsync("#review-url", "http://www.example.nl/prijstoets.pdf");
        await manager.Page.SelectOptionAsync("#finding-0-service", "bouwpuin");
        await manager.Page.FillAsync("#finding-0-amount", "22,50");
        await manager.Page.ClickAsync("section[aria-labelledby=record] button[type=submit]");
        await manager.ExpectAsync("#err-review-url");
        Assert.Contains("https://", await manager.Page.InnerTextAsync("#err-review-url"));
        Assert.Equal(reviewer, await manager.Page.InputValueAsync("#review-reviewer")); // what was typed stays
        await manager.CheckAsync("wrong-url");
        await manager.Page.FillAsync("#review-url", "https://www.example.nl/prijstoets.pdf");
        await manager.Page.ClickAsync("section[aria-labelledby=record] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        var article = manager.Page.Locator("article", new() { HasText = reviewer });
        var row = await article.Locator("tbody tr").First.InnerTextAsync();
        Assert.Contains("35,00", row); // the debris tariff on the report's date
        Assert.Contains("22,50", row);
        await manager.CheckAsync("recorded");

        await article.Locator("a", new() { HasText = "Tariefwijziging voorstellen" }).ClickAsync();
        await manager.ExpectAsync("#p-review");
        Assert.Equal("bouwpuin", await manager.Page.InputValueAsync("#p-service"));
        Assert.Equal("22,50", await manager.Page.InputValueAsync("#p-amount"));
        Assert.Contains(reviewer, await manager.Page.Locator("#p-review option:checked").InnerTextAsync());
        await manager.Page.FillAsync("#p-title", "Bouwpuin naar € 22,50 per 0,5 m³");
        await manager.Page.FillAsync("#p-motivation", "De prijstoets wijst uit dat het tarief boven de kostprijs ligt.");
        await manager.Page.FillAsync("#p-measure", "m³");
        await manager.Page.FillAsync("#p-quantity", "0,5");
        await manager.Page.FillAsync("#p-effective", today.AddMonths(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await manager.Page.ClickAsync("main form[method=post] button[type=submit]");
        await manager.ExpectAsync("dl");
        var facts = await manager.Page.InnerTextAsync("main dl");
        Assert.Contains("Prijstoets", facts);
        Assert.Contains(reviewer, facts);
        Assert.Contains("geadviseerd € 22,50", facts);
        await manager.CheckAsync("proposal");
    }
}
