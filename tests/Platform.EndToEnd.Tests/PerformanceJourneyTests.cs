using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Performance agreements in a real browser through the whole platform: Hoorn's contract manager finds the demo's
/// indicators and last month's deviation, adds an indicator for litter reports; the executing organisation reports last
/// month's figure with a Dutch decimal comma, above the target; the deviation is on the page at once, drawn in the chart
/// and mailed to the contract manager with the page's link; a second report of the month is refused in words with
/// nothing changed; the overview across Hoorn's arrangements asks for attention.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class PerformanceJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string Page = "/console/arrangements/afval-nhn/performance";

    [Fact]
    public async Task A_member_sets_an_indicator_the_executor_reports_a_figure_and_the_deviation_is_shown_and_mailed_at_once()
    {
        var name = $"Meldingen van zwerfafval {Guid.NewGuid().ToString("N")[..6]}";
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        var firstOfLastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var lastMonth = firstOfLastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        await using var manager = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "performance");
        await manager.SignInAsync("manager@demo.test", "/console");
        await manager.Page.ClickAsync($"main a[href='{Page}']");
        await manager.ExpectAsync("section[aria-labelledby=define]");
        Assert.Contains("Containers geleegd op de afgesproken dag", await manager.Page.InnerTextAsync("section[aria-labelledby=deviations]")); // the demo's deviation
        Assert.Contains("aandacht nodig", await manager.Page.InnerTextAsync("section[aria-labelledby=board]"));
        Assert.Equal(0, await manager.Page.Locator("section[aria-labelledby=report]").CountAsync()); // members do not report
        await manager.CheckAsync("page");

        await manager.Page.FillAsync("#define-goal", "Leefbaarheid");
        await manager.Page.FillAsync("#define-name", name);
        await manager.Page.FillAsync("#define-unit", "meldingen");
        await manager.Page.FillAsync("#define-target", "25");
        await manager.Page.SelectOptionAsync("#define-direction", "AT_MOST");
        await manager.Page.FillAsync("#define-from", firstOfLastMonth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await manager.Page.ClickAsync("section[aria-labelledby=define] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        Assert.Contains(name, await manager.Page.InnerTextAsync("section[aria-labelledby=operations]"));

        await using var executor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "performance-executor");
        await executor.SignInAsync("executor@demo.test", Page);
        await executor.ExpectAsync("section[aria-labelledby=report]");
        Assert.Equal(0, await executor.Page.Locator("section[aria-labelledby=define]").CountAsync()); // the executor does not set the what
        var key = await executor.Page.Locator("#report-indicator option", new() { HasText = name }).GetAttributeAsync("value");
        await executor.Page.SelectOptionAsync("#report-indicator", key!);
        Assert.Equal(lastMonth, await executor.Page.InputValueAsync("#report-period")); // last month is offered
        await executor.Page.FillAsync("#report-value", "31,5");
        await executor.Page.FillAsync("#report-note", "Na de kermis");
        // Split per member (optional, folded away): Hoorn's and Medemblik's own figures.
        await executor.Page.ClickAsync("section[aria-labelledby=report] details summary");
        await executor.Page.FillAsync("#report-member-GM0405", "40");
        await executor.Page.FillAsync("#report-member-GM0420", "20,5");
        await executor.Page.ClickAsync("section[aria-labelledby=report] button[type=submit]");
        await executor.ExpectAsync("[role=status]");
        Assert.Contains(name, await executor.Page.InnerTextAsync("section[aria-labelledby=deviations]"));
        var hoorn = await executor.Page.InnerTextAsync($"section[aria-labelledby=per-member] tr:has(td:text-is('{name}')):has(td:has-text('Hoorn'))");
        Assert.Contains("40", hoorn);
        Assert.Contains("gemeld", hoorn);
        Assert.Contains("20,5", await executor.Page.InnerTextAsync($"section[aria-labelledby=per-member] tr:has(td:text-is('{name}')):has(td:has-text('Medemblik'))"));
        Assert.Contains("31,5", await executor.Page.InnerTextAsync($"article#{key}"));
        Assert.Equal(1, await executor.Page.Locator($"article#{key} svg rect.miss").CountAsync()); // drawn as a miss
        await executor.CheckAsync("reported");

        // The month once more: refused in words, the figure unchanged.
        await executor.Page.SelectOptionAsync("#report-indicator", key!);
        await executor.Page.FillAsync("#report-value", "12");
        await executor.Page.ClickAsync("section[aria-labelledby=report] button[type=submit]");
        await executor.ExpectAsync("#err-report-period");
        Assert.Contains("al gemeld", await executor.Page.InnerTextAsync("#err-report-period"));
        await executor.GotoAsync(Page);
        Assert.DoesNotContain("12 meldingen", await executor.Page.InnerTextAsync($"article#{key}"));

        // The deviation reaches the members' contract managers by mail, with the page's link.
        var mail = Assert.Single(await platform.MailsAsync("manager@demo.test", name, 1));
        Assert.StartsWith($"Afwijking {lastMonth}", mail.Subject);
        var link = PageLink().Match(mail.Text);
        Assert.True(link.Success, mail.Text);
        Assert.Equal(Page, new Uri(link.Value).AbsolutePath);

        await manager.GotoAsync("/console/dashboard");
        var row = await manager.Page.InnerTextAsync("tbody tr:has(a[href='/console/arrangements/afval-nhn'])");
        Assert.Contains("aandacht nodig", row);
        Assert.Contains("afwijkingen", row);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/console/arrangements/afval-nhn/performance")]
    private static partial Regex PageLink();
}
