using System.Text.RegularExpressions;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // two platforms at once would starve two cores

namespace Platform.EndToEnd.Tests;

/// <summary>
/// A new deployment, demo data off: nothing but an operator. Everything a region needs is done in the browser,
/// every mail read from the platform's SMTP server: municipalities onboarded and their people invited, an
/// executing organisation registered with its staff, an arrangement set up with service levels, tariffs and a
/// decision rule, complaints filed with and without an account and resolved, a change proposed and voted on,
/// and a partner client made, used and revoked.
/// </summary>
[Collection(EmptyPlatformCollection.Name)]
public sealed partial class EmptyPlatformJourneyTests(EmptyPlatformFixture platform, BrowserFixture browser)
{
    private const string Password = "Demo!2345";

    private Task<WebSession> OpenAsync(string journey, int width = 1280) => WebSession.OpenAsync(browser, platform.WebAdminUrl, $"empty-{journey}", width);

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/account/confirm\?user=\S+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/complaints/follow/[A-Za-z0-9_-]+")]
    private static partial Regex FollowLink();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/unsubscribe\?\S+")]
    private static partial Regex UnsubscribeLink();

    private static async Task ApplyAsync(WebSession applicant, string code, string name, string inhabitants, string contact, string email)
    {
        await applicant.GotoAsync("/apply");
        await applicant.Page.FillAsync("#code", code);
        await applicant.Page.FillAsync("#name", name);
        await applicant.Page.FillAsync("#inhabitants", inhabitants);
        await applicant.Page.FillAsync("#inhabitantsReferenceDate", "2025-01-01");
        await applicant.Page.FillAsync("#contactName", contact);
        await applicant.Page.FillAsync("#contactEmail", email);
        await applicant.Page.ClickAsync("main button[type=submit]");
        await applicant.ExpectAsync("[role=status]");
    }

    private static string Day(int fromToday) => DateTime.Today.AddDays(fromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_empty_platform_is_set_up_and_used_entirely_through_the_browser()
    {
        // Nothing is there but the operator.
        var start = await platform.GraphQLAsync("{ municipalities(first: 5) { totalCount } arrangements(first: 5) { totalCount } organisations(first: 5) { totalCount } }");
        Assert.Equal((0, 0, 0), (start["municipalities"]!["totalCount"]!.GetValue<int>(), start["arrangements"]!["totalCount"]!.GetValue<int>(), start["organisations"]!["totalCount"]!.GetValue<int>()));

        // Two municipalities apply; the operator approves both.
        await using (var applicant = await OpenAsync("apply"))
        {
            await ApplyAsync(applicant, "GM0405", "Hoorn", "74700", "Karin Smit", "k.smit@hoorn.example");
            await ApplyAsync(applicant, "GM0498", "Drechterland", "20500", "Piet Kok", "p.kok@drechterland.example");
        }
        await using var operatorSession = await OpenAsync("operator");
        await operatorSession.SignInAsync(EmptyPlatformFixture.OperatorEmail, "/console/onboarding");
        foreach (var code in new[] { "GM0405", "GM0498" })
        {
            await operatorSession.Page.ClickAsync($"article[aria-labelledby=app-{code}-1] button:text('Goedkeuren')");
            await operatorSession.ExpectAsync($"article[aria-labelledby=app-{code}-1]:has-text('De contactpersoon is uitgenodigd.')");
        }
        await operatorSession.CheckAsync("approved");

        // Hoorn's admin accepts the invitation and invites a contract manager and a board member.
        await using var hoornAdmin = await OpenAsync("hoorn-admin");
        await hoornAdmin.AcceptInvitationAsync(platform, "k.smit@hoorn.example");
        await hoornAdmin.SignInAsync("k.smit@hoorn.example", "/console");
        await hoornAdmin.InviteAsync("m.jansen@hoorn.example", "Mark Jansen", "contract-manager");
        await hoornAdmin.InviteAsync("e.visser@hoorn.example", "Els Visser", "board-member");
        await hoornAdmin.CheckAsync("people");
        await using var manager = await OpenAsync("manager");
        await manager.AcceptInvitationAsync(platform, "m.jansen@hoorn.example");
        await using var board = await OpenAsync("board");
        await board.AcceptInvitationAsync(platform, "e.visser@hoorn.example");

        // The operator registers the executing organisation; its admin invites a staff member.
        await operatorSession.GotoAsync("/console/organisations");
        await operatorSession.Page.FillAsync("#org-id", "afval-westfriesland");
        await operatorSession.Page.FillAsync("#org-name", "Afvalbedrijf West-Friesland");
        await operatorSession.Page.FillAsync("#org-adminName", "Rob de Boer");
        await operatorSession.Page.FillAsync("#org-adminEmail", "r.deboer@afval-wf.example");
        await operatorSession.Page.ClickAsync("section[aria-labelledby=register] button[type=submit]");
        await operatorSession.ExpectAsync("[role=status]");
        await using var executorAdmin = await OpenAsync("executor-admin");
        await executorAdmin.AcceptInvitationAsync(platform, "r.deboer@afval-wf.example");
        await executorAdmin.SignInAsync("r.deboer@afval-wf.example", "/console");
        await executorAdmin.InviteAsync("s.bos@afval-wf.example", "Sem Bos", "executor-staff");
        await using var staff = await OpenAsync("staff");
        await staff.AcceptInvitationAsync(platform, "s.bos@afval-wf.example");

        // The contract manager sets up the arrangement: services with service levels, a second member, tariffs, a rule.
        await manager.SignInAsync("m.jansen@hoorn.example", "/console");
        await manager.Page.ClickAsync("a[href='/console/arrangements/new']");
        await manager.Page.FillAsync("#arr-name", "Afvalregeling West-Friesland");
        await manager.Page.FillAsync("#arr-key", "afval-wf");
        await manager.Page.SelectOptionAsync("#arr-executor", "afval-westfriesland");
        await manager.Page.FillAsync("#svc-0-code", "bouwpuin");
        await manager.Page.FillAsync("#svc-0-name", "Bouwpuin");
        await manager.Page.FillAsync("#svc-0-ack", "0"); // a promise of zero days is refused, and what was typed stays
        await manager.Page.FillAsync("#svc-0-resolve", "5");
        await manager.Page.FillAsync("#svc-1-code", "grofvuil");
        await manager.Page.FillAsync("#svc-1-name", "Grofvuil");
        await manager.Page.FillAsync("#svc-1-ack", "3");
        await manager.Page.FillAsync("#svc-1-resolve", "14");
        await manager.Page.SelectOptionAsync("#svc-1-counting", "CALENDAR_DAYS");
        await manager.Page.ClickAsync("main button[type=submit]");
        await manager.ExpectAsync("#err-svc-0-ack");
        Assert.Equal("true", await manager.Page.GetAttributeAsync("#svc-0-ack", "aria-invalid"));
        Assert.Equal("Grofvuil", await manager.Page.InputValueAsync("#svc-1-name"));
        await manager.CheckAsync("setup-error");
        await manager.Page.FillAsync("#svc-0-ack", "1");
        await manager.Page.ClickAsync("main button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        Assert.EndsWith("/console/arrangements/afval-wf?done=created", manager.Page.Url);
        await manager.CheckAsync("created");

        await manager.Page.SelectOptionAsync("#add-code", "GM0498");
        await manager.Page.ClickAsync("form[aria-labelledby=add-member] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        Assert.Contains("Drechterland (GM0498)", await manager.Page.InnerTextAsync("section[aria-labelledby=members]"));

        await manager.Page.FillAsync("#t-0-amount", "35,00");
        await manager.Page.FillAsync("#t-0-quantity", "0,5");
        await manager.Page.FillAsync("#t-0-measure", "m³");
        await manager.Page.FillAsync("#t-0-from", Day(0));
        await manager.Page.FillAsync("#t-1-amount", "25,00");
        await manager.Page.FillAsync("#t-1-quantity", "1");
        await manager.Page.FillAsync("#t-1-measure", "m³");
        await manager.Page.FillAsync("#t-1-from", Day(0));
        await manager.Page.ClickAsync("form[aria-labelledby=publish] button[type=submit]");
        await manager.ExpectAsync("[role=status]");

        await manager.Page.SelectOptionAsync("#rule-kind", "TARIFF_CHANGE");
        await manager.Page.SelectOptionAsync("#rule-threshold", "SIMPLE_MAJORITY");
        await manager.Page.FillAsync("#rule-opinion", "0");
        await manager.Page.FillAsync("#rule-voting", "7");
        await manager.Page.ClickAsync("form[aria-labelledby=set-rule] button[type=submit]");
        await manager.ExpectAsync("[role=status]");
        var log = await manager.Page.InnerTextAsync("section[aria-labelledby=history]");
        foreach (var entry in new[] { "Opgezet", "Lid toegelaten", "Tarieven gepubliceerd", "Besluitregel vastgelegd" }) Assert.Contains(entry, log);
        await manager.CheckAsync("set-up");

        await using var visitor = await OpenAsync("visitor");
        await visitor.GotoAsync("/arrangements/afval-wf");
        var page = await visitor.Page.InnerTextAsync("main");
        Assert.Contains("€ 35,00", page);
        Assert.Contains("in behandeling binnen 3, opgelost binnen 14 kalenderdagen", page); // the service level, in the portal
        await visitor.CheckAsync("portal");

        // A resident registers, confirms the address by mail and files a complaint.
        await using var resident = await OpenAsync("resident", 320);
        await resident.GotoAsync("/complaints/new");
        await resident.Page.ClickAsync("main a[href='/account/register']");
        await resident.Page.FillAsync("#email", "f.meijer@hoorn.example");
        await resident.Page.FillAsync("#name", "Fatima Meijer");
        await resident.Page.SelectOptionAsync("#municipality", "GM0405");
        await resident.Page.FillAsync("#password", Password);
        await resident.Page.FillAsync("#confirm", Password);
        await resident.Page.ClickAsync("main button[type=submit]");
        await resident.Page.GotoAsync(ConfirmLink().Match(await platform.MailTextAsync("f.meijer@hoorn.example", "Bevestig")).Value);
        Assert.Contains("Uw e-mailadres is bevestigd", await resident.Page.InnerTextAsync("main"));
        await resident.SignInAsync("f.meijer@hoorn.example", "/complaints/new");
        await resident.Page.SelectOptionAsync("#service", "afval-wf|bouwpuin");
        await resident.Page.FillAsync("#description", "Bouwpuin in de berm van de Koepoortsweg");
        await resident.Page.FillAsync("#address", "Koepoortsweg 10, Hoorn");
        await resident.Page.ClickAsync("main button[type=submit]");
        await resident.ExpectAsync(".facts .status");
        var residentComplaint = new Uri(resident.Page.Url).AbsolutePath;

        // A second resident files without an account and confirms through the mailed link.
        await using var neighbour = await OpenAsync("neighbour", 320);
        await neighbour.GotoAsync("/complaints/new");
        await neighbour.CheckAsync("choose-municipality");
        await neighbour.Page.SelectOptionAsync("#choose-municipality", "GM0405");
        await neighbour.Page.ClickAsync("form[method=get] button[type=submit]");
        await neighbour.ExpectAsync("#reporter-email");
        await neighbour.Page.SelectOptionAsync("#service", "afval-wf|grofvuil");
        await neighbour.Page.FillAsync("#description", "Grofvuil niet opgehaald aan de Grote Noord");
        await neighbour.Page.FillAsync("#address", "Grote Noord 5, Hoorn");
        await neighbour.Page.FillAsync("#reporter-email", "buurman@example.nl");
        await neighbour.Page.ClickAsync("main form[method=post] button[type=submit]");
        await neighbour.ExpectAsync("[role=status]");
        Assert.Contains("buurman@example.nl", await neighbour.Page.InnerTextAsync("[role=status]"));
        await neighbour.CheckAsync("mailed");
        var followLink = FollowLink().Match(await platform.MailTextAsync("buurman@example.nl", "Bevestig uw melding")).Value;
        await neighbour.Page.GotoAsync(followLink);
        await neighbour.ExpectAsync(".facts .status");
        Assert.Equal("Ingediend", await neighbour.Page.InnerTextAsync(".facts .status"));
        await neighbour.CheckAsync("confirmed");

        // The executing organisation's staff member finds both awaiting and resolves them.
        await staff.SignInAsync("s.bos@afval-wf.example", "/console/awaiting");
        var awaiting = await staff.Page.InnerTextAsync("section[aria-labelledby=complaints]");
        Assert.Contains("Koepoortsweg", awaiting);
        Assert.Contains("Grote Noord", awaiting);
        await staff.CheckAsync("awaiting");
        foreach (var text in new[] { "Koepoortsweg", "Grote Noord" })
        {
            await staff.GotoAsync("/console/awaiting");
            await staff.Page.ClickAsync($"section[aria-labelledby=complaints] a:has-text('{text}')");
            await staff.Page.ClickAsync("button[value=RESOLVE]");
            await staff.ExpectAsync(".facts .status:text('Opgelost')");
        }
        await neighbour.Page.GotoAsync(followLink);
        Assert.Equal("Opgelost", await neighbour.Page.InnerTextAsync(".facts .status"));
        await neighbour.Page.ClickAsync("button[value=CONFIRM]");
        await neighbour.ExpectAsync(".facts .status:text('Gesloten')");
        await resident.GotoAsync(residentComplaint);
        Assert.Equal("Opgelost", await resident.Page.InnerTextAsync(".facts .status"));

        // Each resident was mailed each status change of their complaint, in Dutch, once; a moment later there is no more.
        var neighbourMails = await platform.MailsAsync("buurman@example.nl", "Uw melding over", 2);
        Assert.Equal(["opgelost", "gesloten"], neighbourMails.Select(m => m.Subject[(m.Subject.LastIndexOf(':') + 2)..]));
        var residentMail = Assert.Single(await platform.MailsAsync("f.meijer@hoorn.example", "Uw melding over", 1));
        Assert.Contains($"{platform.WebAdminUrl.ToString().TrimEnd('/')}{residentComplaint}", residentMail.Text, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(2, (await platform.MailsAsync("buurman@example.nl", "Uw melding over", 3)).Count);
        // The unsubscribe link in the mail asks, then switches these mails off.
        await resident.Page.GotoAsync(UnsubscribeLink().Match(residentMail.Text).Value);
        Assert.Contains("f.meijer@hoorn.example", await resident.Page.InnerTextAsync("main"));
        await resident.Page.ClickAsync("main form button[type=submit]");
        await resident.ExpectAsync("[role=status]");
        Assert.Contains("U bent afgemeld", await resident.Page.InnerTextAsync("[role=status]"));
        await resident.GotoAsync("/account");
        Assert.Equal("OFF", await resident.Page.InputValueAsync("#notify-COMPLAINT_UPDATES"));
        await resident.CheckAsync("unsubscribed");

        // The board member proposes a tariff change in the console (a past date is refused first) and votes.
        await board.SignInAsync("e.visser@hoorn.example", "/console/arrangements/afval-wf/propose");
        await board.Page.FillAsync("#p-title", "Bouwpuin goedkoper tegen dumpen");
        await board.Page.FillAsync("#p-motivation", "Sinds de verhoging wordt er meer puin gedumpt.");
        await board.Page.SelectOptionAsync("#p-service", "bouwpuin");
        await board.Page.FillAsync("#p-amount", "20,00");
        await board.Page.FillAsync("#p-quantity", "0,5");
        await board.Page.FillAsync("#p-measure", "m³");
        await board.Page.FillAsync("#p-effective", Day(-1));
        await board.Page.ClickAsync("main form[method=post] button[type=submit]");
        await board.ExpectAsync("#err-p-effective");
        Assert.Equal("Bouwpuin goedkoper tegen dumpen", await board.Page.InputValueAsync("#p-title"));
        await board.CheckAsync("propose-error");
        await board.Page.FillAsync("#p-effective", Day(30));
        await board.Page.ClickAsync("main form[method=post] button[type=submit]");
        await board.ExpectAsync("#vote-YES");
        await board.CheckAsync("proposed");
        await board.GotoAsync("/console/awaiting");
        Assert.Contains("Bouwpuin goedkoper tegen dumpen", await board.Page.InnerTextAsync("section[aria-labelledby=votes]"));
        await board.Page.ClickAsync("section[aria-labelledby=votes] a");
        await board.Page.CheckAsync("#vote-YES");
        await board.Page.ClickAsync("form button:text('Stem uitbrengen')");
        await board.ExpectAsync("[role=status]");
        Assert.Contains("Uw stem is opgeslagen.", await board.Page.InnerTextAsync("[role=status]"));
        var log2 = await board.Page.InnerTextAsync("section[aria-labelledby=proposal-log]");
        Assert.Contains("Voorgesteld", log2);
        Assert.Contains("Gestemd", log2);
        await board.CheckAsync("voted");
        await visitor.GotoAsync("/arrangements/afval-wf/decisions");
        await visitor.CheckAsync("decisions");

        // Hoorn's admin makes a partner client; it reads the tariffs, and once revoked gets no token.
        await hoornAdmin.GotoAsync("/console/credentials");
        await hoornAdmin.Page.FillAsync("#client-name", "Zaaksysteem Hoorn");
        await hoornAdmin.Page.CheckAsync("#scope-arrangements-read");
        await hoornAdmin.Page.ClickAsync("section[aria-labelledby=clients] form[novalidate] button[type=submit]");
        await hoornAdmin.ExpectAsync("#new-secret");
        var secret = (await hoornAdmin.Page.InnerTextAsync("#new-secret")).Trim();
        var clientId = Regex.Match(await hoornAdmin.Page.InnerTextAsync("[role=status]"), @"(gm0405-[0-9a-f]{8})").Groups[1].Value;
        var token = await platform.Tokens.AccessTokenAsync(clientId, secret);
        var tariffs = await platform.GraphQLAsync("""{ arrangement(id: "afval-wf") { tariffs { amount service { code } } } }""", token: token);
        Assert.Equal(2, tariffs["arrangement"]!["tariffs"]!.AsArray().Count);
        await hoornAdmin.Page.ClickAsync("button[aria-label='Zaaksysteem Hoorn intrekken']");
        await hoornAdmin.ExpectAsync("[role=status]");
        await Assert.ThrowsAsync<Platform.Tests.Shared.TokenRefusedException>(() => platform.Tokens.AccessTokenAsync(clientId, secret));
    }
}
