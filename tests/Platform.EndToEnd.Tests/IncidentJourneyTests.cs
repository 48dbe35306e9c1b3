using System.Text.RegularExpressions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// An incident in a real browser through the whole platform: the executing organisation reports it and raises it to
/// the contract managers (a raise without a note is refused and changes nothing); Hoorn's contract manager follows the
/// link in the mail, finds it waiting on the awaiting page, and resolves it with a decision.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class IncidentJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task The_executor_reports_and_raises_an_incident_and_the_contract_manager_resolves_it_from_the_mail()
    {
        var title = $"Strooizout op in depot Hoorn {Guid.NewGuid().ToString("N")[..6]}";
        await using var executor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "incident");
        await executor.SignInAsync("executor@demo.test", "/console");
        await executor.Page.ClickAsync("main a[href='/console/arrangements/afval-nhn/incidents']");
        await executor.ExpectAsync("#incident-title");
        await executor.CheckAsync("list");

        await executor.Page.FillAsync("#incident-title", title);
        await executor.Page.FillAsync("#incident-description", "Het depot heeft nog zout voor één ronde; de leverancier levert pas vrijdag.");
        await executor.Page.ClickAsync("section[aria-labelledby=report] button[type=submit]");
        await executor.ExpectAsync("[role=status]");
        Assert.Matches(IncidentPath(), executor.Page.Url);
        Assert.Equal(title, await executor.Page.InnerTextAsync("h1"));
        Assert.Contains("de uitvoering", await executor.Page.InnerTextAsync("dl.facts"));
        Assert.Equal(1, await executor.Page.Locator("section[aria-labelledby=steps] tbody tr").CountAsync());

        // A raise without a reason: the field says so, the incident stays where it was.
        await executor.Page.ClickAsync("section[aria-labelledby=raise] button[type=submit]");
        await executor.ExpectAsync("#err-raise-note");
        Assert.Contains("Schrijf waarom het omhoog gaat.", await executor.Page.InnerTextAsync("#err-raise-note"));
        await executor.CheckAsync("raise-refused");
        await executor.GotoAsync(new Uri(executor.Page.Url).PathAndQuery.Split('?')[0]);
        Assert.Equal(1, await executor.Page.Locator("section[aria-labelledby=steps] tbody tr").CountAsync());

        Assert.Equal("CONTRACT_MANAGERS", await executor.Page.InputValueAsync("#raise-to"));
        await executor.Page.FillAsync("#raise-note", "Wij kunnen niet zelf bijkopen; de leden moeten kiezen welke routes voorgaan.");
        await executor.Page.ClickAsync("section[aria-labelledby=raise] button[type=submit]");
        await executor.ExpectAsync("[role=status]");
        Assert.Contains("de contractmanagers", await executor.Page.InnerTextAsync("dl.facts"));
        Assert.Equal(2, await executor.Page.Locator("section[aria-labelledby=steps] tbody tr").CountAsync());
        Assert.Equal(0, await executor.Page.Locator("#decision-text").CountAsync()); // the executor no longer decides at this level
        await executor.CheckAsync("raised");
        var path = new Uri(executor.Page.Url).AbsolutePath;

        // The contract manager is mailed at the level the incident reached, with a link to the incident itself.
        var mails = await platform.MailsAsync("manager@demo.test", title, 1);
        var mail = Assert.Single(mails, m => m.Subject.StartsWith("Incident voor de contractmanagers", StringComparison.Ordinal));
        var link = IncidentLink().Match(mail.Text);
        Assert.True(link.Success, mail.Text);
        Assert.Equal(path, new Uri(link.Value).AbsolutePath);

        await using var manager = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "incident-manager");
        await manager.SignInAsync("manager@demo.test", "/console/awaiting");
        await manager.ExpectAsync("section[aria-labelledby=incidents]");
        Assert.Contains(title, await manager.Page.InnerTextAsync("section[aria-labelledby=incidents]"));
        await manager.GotoAsync(path);
        await manager.ResolveIncidentAsync("Strooiroutes naar scholen en ziekenhuis gaan voor; Hoorn koopt 40 ton bij via de provincie.");
        Assert.Contains("Opgelost", await manager.Page.InnerTextAsync("dl.facts"));
        Assert.Contains("Hoorn koopt 40 ton bij", await manager.Page.InnerTextAsync("section[aria-labelledby=steps]"));
        Assert.Equal(0, await manager.Page.Locator("#decision-text").CountAsync());
        Assert.Equal(0, await manager.Page.Locator("#raise-note").CountAsync());
        await manager.CheckAsync("resolved");

        await manager.GotoAsync("/console/arrangements/afval-nhn/incidents");
        Assert.Contains(title, await manager.Page.InnerTextAsync("section[aria-labelledby=resolved-incidents]"));
        Assert.DoesNotContain(title, await manager.Page.InnerTextAsync("section[aria-labelledby=open-incidents]"));
    }

    [Fact]
    public async Task An_incident_operations_does_not_decide_reaches_the_contract_managers_by_itself_at_its_deadline()
    {
        var title = $"Strooiwagen kapot {Guid.NewGuid().ToString("N")[..6]}";
        await using var executor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "incident-deadline");
        await executor.SignInAsync("executor@demo.test", "/console/arrangements/afval-nhn/incidents");
        await executor.ExpectAsync("#incident-title");
        await executor.Page.FillAsync("#incident-title", title);
        await executor.Page.FillAsync("#incident-description", "Twee van de drie strooiwagens staan stil; de routes van vannacht zijn niet rond te krijgen.");
        await executor.Page.ClickAsync("section[aria-labelledby=report] button[type=submit]");
        await executor.ExpectAsync("[role=status]");
        var path = new Uri(executor.Page.Url).AbsolutePath;
        var reportedAt = DateTimeOffset.UtcNow;
        Assert.Contains("de uitvoering", await executor.Page.InnerTextAsync("dl.facts"));

        // Nobody decides; at the deadline (45 s in this AppHost) the cluster's reminder moves it up and the contract managers are mailed.
        var mails = new List<(string Subject, string Text)>();
        for (var attempt = 0; attempt < 4 && mails.Count == 0; attempt++)
        {
            mails = [.. (await platform.MailsAsync("manager@demo.test", title, 1)).Where(m => m.Subject.StartsWith("Incident voor de contractmanagers", StringComparison.Ordinal))];
        }
        var mail = Assert.Single(mails);
        Assert.Contains("niet op tijd besloot", mail.Text);
        Assert.True(DateTimeOffset.UtcNow - reportedAt >= PlatformFixture.EscalationOperations - TimeSpan.FromSeconds(2), "moved up before its deadline");

        await using var manager = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "incident-deadline-manager");
        await manager.SignInAsync("manager@demo.test", path);
        await manager.ExpectAsync("#decision-text");
        Assert.Contains("de contractmanagers", await manager.Page.InnerTextAsync("dl.facts"));
        var steps = await manager.Page.InnerTextAsync("section[aria-labelledby=steps]");
        Assert.Contains("termijn verstreken", steps);
        await manager.ResolveIncidentAsync("Hoorn leent een strooiwagen van Medemblik; routes naar scholen eerst.");
        Assert.Contains("Opgelost", await manager.Page.InnerTextAsync("dl.facts"));
        await manager.CheckAsync("decided-after-deadline");
    }

    [GeneratedRegex(@"/incidents/inc-[^/?]+\?done=reported$")]
    private static partial Regex IncidentPath();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/incidents/\S+")]
    private static partial Regex IncidentLink();
}
