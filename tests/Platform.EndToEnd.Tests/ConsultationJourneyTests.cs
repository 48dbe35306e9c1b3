using System.Globalization;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// A consultation in a real browser: Hoorn's contract manager schedules a tactical meeting and records its minutes (an
/// action item without an owner is refused first, with what was typed kept); the executing organisation marks its own
/// item done; Hoorn's open item is on the next meeting's agenda as an agreement not kept, and on Hoorn's awaiting page.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ConsultationJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    private static DateTime Amsterdam(TimeSpan from) => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow + from, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime;

    [Fact]
    public async Task Minutes_with_action_items_are_recorded_owners_mark_theirs_done_and_the_next_agenda_lists_what_was_not_kept()
    {
        var title = $"Contractoverleg {Guid.NewGuid().ToString("N")[..6]}";
        var today = Amsterdam(TimeSpan.Zero).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var manager = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "consultation");
        await manager.SignInAsync("manager@demo.test", "/console");
        await manager.Page.ClickAsync("main a[href='/console/arrangements/afval-nhn/consultations']");
        await manager.ExpectAsync("#mtg-title");
        await manager.Page.FillAsync("#mtg-title", title);
        await manager.Page.SelectOptionAsync("#mtg-level", "TACTICAL");
        await manager.Page.FillAsync("#mtg-when", Amsterdam(TimeSpan.FromMinutes(-5)).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await manager.Page.FillAsync("#mtg-agenda", "Zoutvoorraad\nKlachten over fietspaden");
        await manager.CheckAsync("list");
        await manager.Page.ClickAsync("section[aria-labelledby=schedule] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        var path = new Uri(manager.Page.Url).AbsolutePath;
        Assert.StartsWith("/consultations/mtg-", path, StringComparison.Ordinal);
        Assert.Contains("Zoutvoorraad", await manager.Page.InnerTextAsync("section[aria-labelledby=agenda]"));

        // The first try names the row without an owner and keeps what was typed.
        await manager.Page.FillAsync("#mtg-minutes", "Voorraad 280 ton, onder de grens van 300 ton.");
        await manager.Page.FillAsync("#mtg-decisions", "Zout bijkopen als meerwerk");
        await manager.Page.FillAsync("#item-0-text", "Offerte voor 40 ton zout");
        await manager.Page.FillAsync("#item-0-due", today);
        await manager.Page.FillAsync("#item-1-text", "Strooiroutes scholen aanleveren");
        await manager.Page.SelectOptionAsync("#item-1-owner", "GM0405");
        await manager.Page.FillAsync("#item-1-due", today);
        await manager.Page.ClickAsync("section[aria-labelledby=record] button[type=submit]");
        await manager.ExpectAsync("#err-item-0-owner");
        Assert.Contains("Kies wie deze afspraak uitvoert", await manager.Page.InnerTextAsync("#err-item-0-owner"));
        Assert.Equal("Strooiroutes scholen aanleveren", await manager.Page.InputValueAsync("#item-1-text"));
        await manager.CheckAsync("owner-missing");
        await manager.Page.SelectOptionAsync("#item-0-owner", "afvalbedrijf-nhn");
        await manager.Page.ClickAsync("section[aria-labelledby=record] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        Assert.Equal(2, await manager.Page.Locator("section[aria-labelledby=items] tbody tr").CountAsync());
        Assert.Contains("Zout bijkopen als meerwerk", await manager.Page.InnerTextAsync("section[aria-labelledby=minutes]"));

        // The executing organisation marks its own item done; Hoorn's is not its to mark.
        await using var executor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "consultation-executor");
        await executor.SignInAsync("executor@demo.test", path);
        await executor.ExpectAsync("section[aria-labelledby=items]");
        Assert.Equal(1, await executor.Page.Locator("section[aria-labelledby=items] button").CountAsync());
        await executor.Page.ClickAsync("section[aria-labelledby=items] button[aria-label='Afspraak 1 is gedaan']");
        await executor.ExpectAsync("[role=status]");
        Assert.Contains("gedaan", await executor.Page.InnerTextAsync("section[aria-labelledby=items] tbody tr:first-child"));
        await executor.CheckAsync("done");

        // Next week's meeting lists Hoorn's open item as not kept; the done one is not there.
        await manager.GotoAsync("/console/arrangements/afval-nhn/consultations");
        await manager.Page.FillAsync("#mtg-title", title + " vervolg");
        await manager.Page.FillAsync("#mtg-when", Amsterdam(TimeSpan.FromDays(7)).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await manager.Page.ClickAsync("section[aria-labelledby=schedule] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        var agenda = await manager.Page.InnerTextAsync("section[aria-labelledby=agenda]");
        Assert.Contains("Strooiroutes scholen aanleveren", agenda);
        Assert.DoesNotContain("Offerte voor 40 ton zout", agenda);
        Assert.Equal(0, await manager.Page.Locator("#mtg-minutes").CountAsync()); // not before its day
        await manager.CheckAsync("next-agenda");
        await manager.GotoAsync("/console/awaiting");
        Assert.Contains("Strooiroutes scholen aanleveren", await manager.Page.InnerTextAsync("section[aria-labelledby=action-items]"));
    }
}
