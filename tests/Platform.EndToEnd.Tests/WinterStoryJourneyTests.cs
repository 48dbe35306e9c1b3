using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Issue 15's story through the running platform, in real time: a winter in which the salt runs out. Hoorn and Amsterdam
/// share a gritting arrangement carried out by Afvalbedrijf Noord-Holland Noord. The executing organisation reports the
/// incident; nobody decides, so the cluster's reminders move it to the contract managers and then to the aldermen (45 s
/// and 75 s in this AppHost), and Hoorn's alderman decides in the browser; the salt is bought in as extra work, quoted,
/// approved and invoiced; the executing organisation's amended gritting plan gets both councils' opinions (the second in
/// the browser, which opens voting at once) and both boards' votes (the second in the browser, which closes the vote);
/// last month's figure is a deviation; and the next consultation lists the stock agreement that was not kept. Every call
/// goes over HTTP with the identity server's tokens, every mail is read from the platform's SMTP server.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WinterStoryJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    private static string Day(int fromToday) => DateTime.Today.AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private readonly Dictionary<string, (string Token, DateTimeOffset At)> signedIn = [];

    /// <summary>An access token of <paramref name="email"/> young enough for the next call (this AppHost issues them for 40 s).</summary>
    private async Task<string> TokenAsync(string email)
    {
        if (signedIn.TryGetValue(email, out var held) && DateTimeOffset.UtcNow - held.At < PlatformFixture.AccessTokenLifetime / 2) return held.Token;
        var token = await platform.Tokens.UserAccessTokenAsync(email);
        signedIn[email] = (token, DateTimeOffset.UtcNow);
        return token;
    }

    private async Task<JsonNode> RunAsync(string field, string mutation, object input, string email)
    {
        var payload = (await platform.GraphQLAsync(mutation, new { input }, await TokenAsync(email)))[field]!;
        Assert.True(payload["userErrors"]!.AsArray().Count == 0, payload.ToJsonString());
        return payload;
    }

    [Fact]
    public async Task A_winter_in_which_the_salt_runs_out_through_the_running_platform()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var key = $"gladheid-winter-{suffix}";
        const string operatorAccount = "operator@demo.test", manager = "manager@demo.test", executor = "executor@demo.test", hoornAdmin = "admin@demo.test",
            hoornBoard = "board@demo.test", amsterdamAdmin = "admin.amsterdam@demo.test";

        // The operator records the arrangement; Amsterdam's admin invites the board member who will vote for Amsterdam.
        await RunAsync("createArrangement", "mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { userErrors { code message } } }",
            new { key, name = $"Gladheid Hoorn–Amsterdam {suffix}", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "strooien", name = "Strooien hoofdroutes" } } }, operatorAccount);
        foreach (var code in new[] { "GM0405", "GM0363" })
        {
            await RunAsync("addMember", "mutation($input: AddMemberInput!) { addMember(input: $input) { userErrors { code message } } }", new { arrangementId = key, municipalityCode = code }, operatorAccount);
        }
        var amsterdamBoardEmail = $"bestuur.{suffix}@amsterdam.example";
        await RunAsync("invitePerson", "mutation($input: InvitePersonInput!) { invitePerson(input: $input) { userErrors { code message } } }",
            new { organisationId = "GM0363", email = amsterdamBoardEmail, name = "Bestuurder Amsterdam", role = "board-member" }, amsterdamAdmin);

        // Autumn: the norm for the main routes, and a tactical consultation agreeing that the salt stock is topped up in three days.
        await RunAsync("defineIndicator", "mutation($input: DefineIndicatorInput!) { defineIndicator(input: $input) { userErrors { code message } } }",
            new { arrangementId = key, goal = "Veiligheid", name = "Hoofdroutes voor 07:00 gestrooid", unit = "%", target = 95, direction = "AT_LEAST", period = "MONTH", appliesFrom = Day(-62) }, manager);
        const string Schedule = "mutation($input: ScheduleConsultationInput!) { scheduleConsultation(input: $input) { consultation { key } userErrors { code message } } }";
        var autumn = (await RunAsync("scheduleConsultation", Schedule, new { arrangementId = key, level = "TACTICAL", title = "Contractoverleg herfst", scheduledAt = DateTimeOffset.UtcNow, agenda = new[] { "Zoutvoorraad" } }, manager))["consultation"]!["key"]!.GetValue<string>();
        await RunAsync("recordConsultationMinutes", "mutation($input: RecordConsultationMinutesInput!) { recordConsultationMinutes(input: $input) { userErrors { code message } } }",
            new { consultationId = autumn, minutes = "De voorraad is 280 ton, onder de afgesproken 1.200 ton.", decisions = new[] { "Voorraad aanvullen" },
                actionItems = new[] { new { text = "Zoutvoorraad aanvullen tot 1.200 ton", owner = "afvalbedrijf-nhn", due = Day(3) } } }, manager);

        // The salt runs out. Nobody decides: from here the cluster's reminders move the incident up by themselves.
        var incidentTitle = $"Het strooizout is op {suffix}";
        var incident = (await RunAsync("reportIncident", "mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { incident { key } userErrors { code message } } }",
            new { arrangementId = key, title = incidentTitle, description = "De loods is leeg; de leverancier levert pas over vijf dagen." }, executor))["incident"]!["key"]!.GetValue<string>();
        var reportedAt = DateTimeOffset.UtcNow;

        // Meanwhile the salt is bought in as extra work: asked by Hoorn, quoted, approved, invoiced within the quote.
        var salt = (await RunAsync("requestExtraWork", "mutation($input: RequestExtraWorkInput!) { requestExtraWork(input: $input) { extraWork { key } userErrors { code message } } }",
            new { arrangementId = key, title = "40 ton strooizout bijkopen", description = "Bij de buurregio, deze week geleverd." }, manager))["extraWork"]!["key"]!.GetValue<string>();
        await RunAsync("quoteExtraWork", "mutation($input: QuoteExtraWorkInput!) { quoteExtraWork(input: $input) { userErrors { code message } } }", new { extraWorkId = salt, amount = 5060.00m, note = "40 ton à € 126,50" }, executor);
        await RunAsync("approveExtraWorkQuote", "mutation($input: ApproveExtraWorkQuoteInput!) { approveExtraWorkQuote(input: $input) { userErrors { code message } } }", new { extraWorkId = salt }, manager);
        var invoiced = await RunAsync("invoiceExtraWork", "mutation($input: InvoiceExtraWorkInput!) { invoiceExtraWork(input: $input) { extraWork { status invoicedAmount } userErrors { code message } } }",
            new { extraWorkId = salt, amount = 5060.00m }, executor);
        Assert.Equal(("INVOICED", 5060.00m), (invoiced["extraWork"]!["status"]!.GetValue<string>(), invoiced["extraWork"]!["invoicedAmount"]!.GetValue<decimal>()));

        // The executing organisation drafts the gritting plan in the console, amends it after the shortage (a second version)
        // and proposes it for adoption, citing the month's gritting complaints; a draft without its period is refused first.
        string planKey;
        var planTitle = $"Gladheidsplan {suffix}";
        await using (var drafter = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "winter-plan"))
        {
            await drafter.SignInAsync("executor@demo.test", $"/console/arrangements/{key}/plans");
            await drafter.ExpectAsync("#plan-title");
            await drafter.Page.FillAsync("#plan-title", planTitle);
            await drafter.Page.FillAsync("#plan-body", "Hoofdroutes voor 07:00 gestrooid; voorraad 1.200 ton op 1 november.");
            await drafter.Page.ClickAsync("section[aria-labelledby=draft] button[type=submit]");
            await drafter.ExpectAsync("#err-plan-period");
            Assert.Equal("Hoofdroutes voor 07:00 gestrooid; voorraad 1.200 ton op 1 november.", await drafter.Page.InputValueAsync("#plan-body"));
            await drafter.CheckAsync("draft-refused");
            await drafter.Page.FillAsync("#plan-period", "winter 2026-2027");
            await drafter.Page.ClickAsync("section[aria-labelledby=draft] button[type=submit]");
            await drafter.ExpectAsync("[role=status]");
            Assert.EndsWith($"/console/arrangements/{key}/plans/1?done=plan-saved", drafter.Page.Url);
            await drafter.Page.FillAsync("#plan-body", "Hoofdroutes voor 07:00 gestrooid; voorraad 1.400 ton op 1 november; bij minder dan 400 ton bestelt de uitvoerder bij en meldt het aan de contractmanagers.");
            await drafter.Page.FillAsync("#plan-note", "Na het zouttekort: een grotere buffer");
            await drafter.Page.ClickAsync("section[aria-labelledby=draft] button[type=submit]");
            await drafter.ExpectAsync("[role=status]");
            Assert.Equal(2, await drafter.Page.Locator("section[aria-labelledby=versions] li").CountAsync());
            Assert.Contains("Na het zouttekort", await drafter.Page.InnerTextAsync("section[aria-labelledby=versions]"));
            await drafter.CheckAsync("second-version");
            await drafter.Page.FillAsync("#plan-motivation", "Na het zouttekort: een grotere buffer en een meldplicht.");
            await drafter.Page.SelectOptionAsync("#plan-evidence-service", "strooien");
            await drafter.Page.FillAsync("#plan-evidence-from", Day(-30));
            await drafter.Page.FillAsync("#plan-evidence-to", Day(0));
            await drafter.Page.ClickAsync("section[aria-labelledby=propose] button[type=submit]");
            await drafter.ExpectAsync("[role=status]");
            Assert.Contains("/proposals/", drafter.Page.Url);
            Assert.Equal($"{planTitle} (winter 2026-2027)", await drafter.Page.InnerTextAsync("h1"));
            await drafter.CheckAsync("proposed");
            planKey = new Uri(drafter.Page.Url).AbsolutePath.Split('/')[^1];
        }
        var plan = (await platform.GraphQLAsync("query($id: ID!) { proposal(id: $id) { phase kind text evidence { serviceCode } } }", new { id = planKey }))["proposal"]!;
        Assert.Equal(("OPINION", "PLAN_ADOPTION", "strooien"), (plan["phase"]!.GetValue<string>(), plan["kind"]!.GetValue<string>(), plan["evidence"]!["serviceCode"]!.GetValue<string>()));
        Assert.StartsWith("Hoofdroutes voor 07:00 gestrooid; voorraad 1.400 ton", plan["text"]!.GetValue<string>());
        await RunAsync("submitOpinion", "mutation($input: SubmitOpinionInput!) { submitOpinion(input: $input) { userErrors { code message } } }", new { proposalId = planKey, text = "Hoorn stemt in." }, hoornAdmin);

        // Amsterdam's council is the last to speak, in the browser: voting opens at once instead of after 28 days.
        await using (var council = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "winter-council"))
        {
            await council.SignInAsync("admin.amsterdam@demo.test", $"/proposals/{planKey}");
            await council.ExpectAsync("#opinion-text");
            await council.Page.FillAsync("#opinion-text", "Amsterdam stemt in, mits de fietspaden naar scholen meegaan.");
            await council.Page.ClickAsync("section[aria-labelledby=opinion] button[type=submit]");
            await council.ExpectAsync("[role=status]");
            Assert.Contains("Stemming open", await council.Page.InnerTextAsync("dl.facts"));
            Assert.Equal(0, await council.Page.Locator("#opinion-text").CountAsync());
            await council.CheckAsync("voting-opened");
        }

        // Hoorn's board votes; Amsterdam's new board member accepts the invitation and casts the last vote, which closes it.
        await RunAsync("castVote", "mutation($input: CastVoteInput!) { castVote(input: $input) { userErrors { code message } } }", new { proposalId = planKey, choice = "YES" }, hoornBoard);
        Assert.Equal("VOTING", (await platform.GraphQLAsync("query($id: ID!) { proposal(id: $id) { phase } }", new { id = planKey }))["proposal"]!["phase"]!.GetValue<string>());
        await using (var board = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "winter-board"))
        {
            await board.AcceptInvitationAsync(platform, amsterdamBoardEmail);
            await board.SignInAsync(amsterdamBoardEmail, $"/proposals/{planKey}");
            await board.ExpectAsync("#vote-YES");
            await board.Page.CheckAsync("#vote-YES");
            await board.Page.ClickAsync("section[aria-labelledby=vote] button[type=submit]");
            await board.ExpectAsync("[role=status]");
            Assert.Contains("Gesloten", await board.Page.InnerTextAsync("dl.facts"));
            Assert.Contains("aangenomen", await board.Page.InnerTextAsync("main"));
            await board.CheckAsync("plan-adopted");
        }
        var adopted = (await platform.GraphQLAsync("query($id: ID!) { proposal(id: $id) { phase outcome tally { yes no } } }", new { id = planKey }))["proposal"]!;
        Assert.Equal(("CLOSED", "ADOPTED", 2, 0), (adopted["phase"]!.GetValue<string>(), adopted["outcome"]!.GetValue<string>(),
            adopted["tally"]!["yes"]!.GetValue<int>(), adopted["tally"]!["no"]!.GetValue<int>()));
        Assert.Contains((await platform.MailsAsync("board@demo.test", $"Uitslag: {planTitle} (winter 2026-2027)", 1)), m => m.Subject.EndsWith("aangenomen", StringComparison.Ordinal));

        // Hoorn's dashboard: the incident still open, the salt invoiced, and the plan's complaints to be counted again in three months.
        await using (var dashboard = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "winter-dashboard"))
        {
            await dashboard.SignInAsync("manager@demo.test", "/console/dashboard");
            var row = dashboard.Page.Locator("tbody tr", new() { HasText = $"Gladheid Hoorn–Amsterdam {suffix}" });
            Assert.True(await row.CountAsync() == 1, await dashboard.Page.InnerTextAsync("main"));
            var cells = await row.Locator("td").AllInnerTextsAsync();
            Assert.StartsWith("1", cells[0]);
            Assert.Contains("5.060,00 gefactureerd", cells[3]);
            Assert.Contains(planTitle, cells[5]);
            Assert.Contains("eerste meting op", cells[5]);
            Assert.Equal($"/proposals/{planKey}", await row.Locator("td").Nth(5).Locator("a").GetAttributeAsync("href"));
            await dashboard.CheckAsync("dashboard");

            // The member reads the plan, adopted now, but has no form to change it.
            await dashboard.GotoAsync($"/console/arrangements/{key}/plans/1");
            Assert.Contains("vastgesteld", await dashboard.Page.InnerTextAsync("dl.facts"));
            Assert.Equal(0, await dashboard.Page.Locator("#plan-body").CountAsync());
            await dashboard.CheckAsync("plan-adopted");
        }

        // Last month's figure arrives: 88 % of the main routes in time, against at least 95 %: a deviation at once.
        var lastMonth = DateTime.Today.AddDays(1 - DateTime.Today.Day).AddDays(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var reported = await RunAsync("reportIndicatorFigure", "mutation($input: ReportIndicatorFigureInput!) { reportIndicatorFigure(input: $input) { performanceAgreement { overall indicators { latest { period value deviation } } } userErrors { code message } } }",
            new { arrangementId = key, indicatorKey = "ind-1", period = lastMonth, value = 88, unit = "%", note = "Vijf dagen zonder zout" }, executor);
        var latest = reported["performanceAgreement"]!["indicators"]![0]!["latest"]!;
        Assert.Equal((lastMonth, 88m, true), (latest["period"]!.GetValue<string>(), latest["value"]!.GetValue<decimal>(), latest["deviation"]!.GetValue<bool>()));
        Assert.Equal($"Afwijking {lastMonth}: Hoofdroutes voor 07:00 gestrooid", Assert.Single(await platform.MailsAsync("manager@demo.test", $"Afwijking {lastMonth}: Hoofdroutes voor 07:00 gestrooid", 1)).Subject);

        // The next consultation, in a week: the stock was never topped up, so that agreement is on its agenda.
        var spring = (await RunAsync("scheduleConsultation", Schedule, new { arrangementId = key, level = "TACTICAL", title = "Contractoverleg na de winter", scheduledAt = DateTimeOffset.UtcNow.AddDays(7) }, manager))["consultation"]!["key"]!.GetValue<string>();
        var notKept = (await platform.GraphQLAsync("query($id: ID!) { consultation(id: $id) { notKept { consultationKey item { text owner done } } } }", new { id = spring }, await TokenAsync(manager)))["consultation"]!["notKept"]!.AsArray();
        var carried = Assert.Single(notKept)!;
        Assert.Equal((autumn, "Zoutvoorraad aanvullen tot 1.200 ton", "afvalbedrijf-nhn", false),
            (carried["consultationKey"]!.GetValue<string>(), carried["item"]!["text"]!.GetValue<string>(), carried["item"]!["owner"]!.GetValue<string>(), carried["item"]!["done"]!.GetValue<bool>()));

        // The incident reached the aldermen by itself, each step at its deadline and not before; Hoorn's alderman is mailed.
        const string Steps = "query($id: ID!) { incident(id: $id) { level status steps { level reason enteredAt decision } } }";
        JsonNode seen;
        var waitUntil = reportedAt + PlatformFixture.EscalationOperations + PlatformFixture.EscalationContractManagers + TimeSpan.FromSeconds(90);
        while (true)
        {
            seen = (await platform.GraphQLAsync(Steps, new { id = incident }, await TokenAsync(manager)))["incident"]!;
            if (seen["level"]!.GetValue<string>() == "ALDERMEN_COMMITTEE" || DateTimeOffset.UtcNow > waitUntil) break;
            await Task.Delay(2_000);
        }
        var steps = seen["steps"]!.AsArray();
        Assert.Equal([("OPERATIONS", "REPORTED"), ("CONTRACT_MANAGERS", "DEADLINE_PASSED"), ("ALDERMEN_COMMITTEE", "DEADLINE_PASSED")],
            steps.Select(s => (s!["level"]!.GetValue<string>(), s["reason"]!.GetValue<string>())));
        var entered = steps.Select(s => s!["enteredAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.True(entered[1] - entered[0] >= PlatformFixture.EscalationOperations - TimeSpan.FromSeconds(1), "moved to the contract managers before their deadline");
        Assert.True(entered[2] - entered[1] >= PlatformFixture.EscalationContractManagers - TimeSpan.FromSeconds(1), "moved to the aldermen before their deadline");
        var aldermanMail = Assert.Single(await platform.MailsAsync("alderman@demo.test", incidentTitle, 1));
        Assert.Contains("niet op tijd besloot", aldermanMail.Text);

        // The alderman decides in the browser; the decision is recorded at the aldermen's step and told to the members.
        await using (var alderman = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "winter-alderman"))
        {
            await alderman.SignInAsync("alderman@demo.test", $"/incidents/{incident}");
            await alderman.ExpectAsync("#decision-text");
            await alderman.ResolveIncidentAsync("Zout inkopen bij de buurregio als meerwerk; het gladheidsplan wordt aangepast.");
            Assert.Contains("Opgelost", await alderman.Page.InnerTextAsync("dl.facts"));
            await alderman.CheckAsync("decided");
        }
        var decided = (await platform.GraphQLAsync(Steps, new { id = incident }, await TokenAsync(manager)))["incident"]!;
        Assert.Equal("RESOLVED", decided["status"]!.GetValue<string>());
        Assert.Equal("Zout inkopen bij de buurregio als meerwerk; het gladheidsplan wordt aangepast.", decided["steps"]![2]!["decision"]!.GetValue<string>());
        Assert.Contains(await platform.MailsAsync("manager@demo.test", incidentTitle, 2), m => m.Subject.StartsWith("Besloten en opgelost", StringComparison.Ordinal));
    }
}
