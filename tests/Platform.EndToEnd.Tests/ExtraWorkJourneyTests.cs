using System.Text.RegularExpressions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Extra work in a real browser through the whole platform: Hoorn's contract manager asks for salt to be bought in, the
/// executing organisation quotes it with a Dutch decimal comma, the contract manager approves it from the mail's link,
/// an invoice above the quote is refused with nothing changed, the invoice within it is recorded, and Hoorn's ledger
/// line sets it against the baseline the contract manager records.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class ExtraWorkJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task A_member_asks_the_executor_quotes_the_member_approves_from_the_mail_and_the_invoice_stays_within_the_quote()
    {
        var title = $"Strooizout bijkopen {Guid.NewGuid().ToString("N")[..6]}";
        await using var manager = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "extra-work");
        await manager.SignInAsync("manager@demo.test", "/console");
        await manager.Page.ClickAsync("main a[href='/console/arrangements/afval-nhn/extra-work']");
        await manager.ExpectAsync("#work-title");
        await manager.CheckAsync("list");
        await manager.Page.FillAsync("#work-title", title);
        await manager.Page.FillAsync("#work-description", "40 ton zout voor de routes naar scholen, nog deze week.");
        await manager.Page.ClickAsync("section[aria-labelledby=request] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        Assert.Matches(WorkPath(), manager.Page.Url);
        var path = new Uri(manager.Page.Url).AbsolutePath;
        Assert.Contains("gevraagd", await manager.Page.InnerTextAsync("dl.facts"));
        Assert.Equal(0, await manager.Page.Locator("section[aria-labelledby=approve]").CountAsync()); // no quote yet

        await using var executor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "extra-work-executor");
        await executor.SignInAsync("executor@demo.test", "/console/awaiting");
        await executor.ExpectAsync("section[aria-labelledby=extra-work]");
        Assert.Contains(title, await executor.Page.InnerTextAsync("section[aria-labelledby=extra-work]"));
        await executor.GotoAsync(path);
        await executor.Page.FillAsync("#quote-amount", "1250,50");
        await executor.Page.FillAsync("#quote-note", "40 ton à € 31,26");
        await executor.Page.ClickAsync("section[aria-labelledby=quote] button[type=submit]");
        await executor.ExpectAsync("[role=status]");
        Assert.Contains("1.250,50", await executor.Page.InnerTextAsync("dl.facts"));

        // The quote reaches the member that asked by mail, with the request's page.
        var mail = Assert.Single(await platform.MailsAsync("manager@demo.test", title, 1), m => m.Subject.StartsWith("Offerte", StringComparison.Ordinal));
        var link = WorkLink().Match(mail.Text);
        Assert.True(link.Success, mail.Text);
        Assert.Equal(path, new Uri(link.Value).AbsolutePath);
        await manager.Page.GotoAsync(link.Value);
        await manager.ExpectAsync("section[aria-labelledby=approve]");
        await manager.CheckAsync("quote");
        await manager.Page.ClickAsync("section[aria-labelledby=approve] button:not(.secondary)");
        await manager.ExpectAsync("[role=status]");
        Assert.Contains("goedgekeurd", await manager.Page.InnerTextAsync("dl.facts"));

        // Above the approved quote: refused in words, nothing invoiced.
        await executor.GotoAsync(path);
        await executor.Page.FillAsync("#invoice-amount", "1300");
        await executor.Page.ClickAsync("section[aria-labelledby=invoice] button[type=submit]");
        await executor.ExpectAsync("#err-invoice-amount");
        Assert.Contains("meer dan de goedgekeurde offerte", await executor.Page.InnerTextAsync("#err-invoice-amount"));
        Assert.Equal("1300", await executor.Page.InputValueAsync("#invoice-amount")); // what was typed stays
        await executor.CheckAsync("above-quote");
        await executor.GotoAsync(path);
        Assert.Contains("goedgekeurd", await executor.Page.InnerTextAsync("dl.facts"));
        await executor.Page.FillAsync("#invoice-amount", "1200");
        await executor.Page.FillAsync("#invoice-note", "Factuur 2026-114");
        await executor.Page.ClickAsync("section[aria-labelledby=invoice] button[type=submit]");
        await executor.ExpectAsync("[role=status]");
        Assert.Contains("gefactureerd", await executor.Page.InnerTextAsync("dl.facts"));
        Assert.Equal(0, await executor.Page.Locator("#invoice-amount").CountAsync());

        await manager.GotoAsync("/console/arrangements/afval-nhn/extra-work");
        await manager.Page.FillAsync("#baseline-amount", "1000");
        await manager.Page.ClickAsync("section[aria-labelledby=ledger] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        var hoorn = await manager.Page.InnerTextAsync("section[aria-labelledby=ledger] tbody tr:has-text('GM0405')");
        Assert.Contains("1.000,00", hoorn); // the baseline
        Assert.Contains("1.200,00", hoorn); // at least this invoice (the suite's platform is shared)
        Assert.Contains(title, await manager.Page.InnerTextAsync("section[aria-labelledby=requests]"));
        await manager.CheckAsync("ledger");

        // The overview across Hoorn's arrangements shows the spend against the baseline too.
        await manager.GotoAsync("/console/dashboard");
        var row = await manager.Page.InnerTextAsync("tbody tr:has(a[href='/console/arrangements/afval-nhn'])");
        Assert.Contains("gefactureerd", row);
        Assert.Contains("van de nulmeting", row);
        await manager.CheckAsync("dashboard");
    }

    [GeneratedRegex(@"/extra-work/xw-[^/?]+\?done=requested$")]
    private static partial Regex WorkPath();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/extra-work/\S+")]
    private static partial Regex WorkLink();
}
