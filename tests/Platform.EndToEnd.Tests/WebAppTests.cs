using Microsoft.Playwright;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The portal and console in a real browser (Debian's Chromium through Playwright) against the
/// running platform: the journeys of the issue, axe-core on every page, and no request off this machine.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebAppTests(PlatformFixture platform, BrowserFixture browser)
{
    private Task<WebSession> OpenAsync(string journey, int width = 1280) => WebSession.OpenAsync(browser, platform.WebAdminUrl, journey, width);

    /// <summary>A small valid PNG (1 x 1 pixel), as a phone would send a photo.</summary>
    private static readonly byte[] Png = Platform.Tests.Shared.TestImages.Png(160, 120);

    [Fact]
    public async Task A_citizen_files_a_complaint_with_a_photo_and_follows_it_to_closed()
    {
        await using var citizen = await OpenAsync("complaint");
        await citizen.SignInAsync("citizen@demo.test", "/");
        Assert.Contains("Regelingen van Hoorn", await citizen.Page.InnerTextAsync("main")); // a resident starts at their own municipality
        await citizen.CheckAsync("tariffs");
        await citizen.GotoAsync("/complaints/new");
        await citizen.CheckAsync("form");

        // Sent without a description: the error names it, and what was typed stays.
        await citizen.Page.FillAsync("#address", "Westerdijk 12, Hoorn");
        await citizen.Page.ClickAsync("main button[type=submit]");
        Assert.Equal("true", await citizen.Page.GetAttributeAsync("#description", "aria-invalid"));
        Assert.Equal("Beschrijf wat er aan de hand is.", await citizen.Page.InnerTextAsync("#err-description"));
        Assert.Equal("Westerdijk 12, Hoorn", await citizen.Page.InputValueAsync("#address"));
        await citizen.CheckAsync("form-error");

        await citizen.Page.SelectOptionAsync("#service", "afval-nhn|bouwpuin");
        await citizen.Page.FillAsync("#description", "A pile of debris dumped on the dike");
        await citizen.Page.SetInputFilesAsync("#photos", new FilePayload { Name = "dike.png", MimeType = "image/png", Buffer = Png });
        await citizen.Page.ClickAsync("main button[type=submit]");
        await citizen.ExpectAsync(".facts .status");
        var complaintPath = new Uri(citizen.Page.Url).AbsolutePath;
        Assert.Equal("Ingediend", await citizen.Page.InnerTextAsync(".facts .status"));
        Assert.Equal(1, await citizen.Page.Locator(".photos img").CountAsync());
        await citizen.CheckAsync("filed");

        await using var executor = await OpenAsync("complaint-executor");
        await executor.SignInAsync("executor@demo.test", complaintPath);
        await executor.Page.ClickAsync("button[value=RESOLVE]");
        await executor.ExpectAsync(".facts .status:text('Opgelost')");
        await executor.CheckAsync("resolved");
        await executor.GotoAsync("/console");
        var console = await executor.Page.InnerTextAsync("main");
        Assert.Contains("Gemeenschappelijke Regeling Afval Noord-Holland Noord", console); // the arrangement it works for
        Assert.DoesNotContain("Samenwerking Gladheidbestrijding Amstelland", console);

        await citizen.GotoAsync(complaintPath);
        await citizen.Page.ClickAsync("button[value=CONFIRM]");
        await citizen.ExpectAsync(".facts .status:text('Gesloten')");
        var timeline = await citizen.Page.InnerTextAsync(".timeline");
        Assert.Contains("Foto toegevoegd", timeline);
        Assert.Contains("Opgelost gemeld", timeline);
        Assert.Contains("Bevestigd en gesloten", timeline);
        await citizen.CheckAsync("closed");

        await citizen.GotoAsync("/complaints");
        Assert.Contains("A pile of debris dumped on the dike", await citizen.Page.InnerTextAsync("main"));
        await citizen.CheckAsync("mine");
    }

    [Fact]
    public async Task A_board_member_votes_and_sees_the_tally_change()
    {
        await using var board = await OpenAsync("vote");
        await board.SignInAsync("board@demo.test", "/proposals/p-demo-bouwpuin");
        var before = await YesAsync(board.Page);
        Assert.Contains("Wat de uitkomst zou veranderen", await board.Page.InnerTextAsync("main"));
        await board.CheckAsync("before");

        await board.Page.CheckAsync("#vote-YES");
        await board.Page.ClickAsync("form button:text('Stem uitbrengen')");
        await board.ExpectAsync("[role=status]");
        Assert.Contains("Uw stem is opgeslagen.", await board.Page.InnerTextAsync("[role=status]"));

        Assert.Equal(before + 8, await YesAsync(board.Page)); // Hoorn's weight: 74,700 inhabitants, one vote per started 10,000
        Assert.Equal("Voor", (await board.Page.InnerTextAsync("section[aria-labelledby=vote] p strong")).Trim());
        await board.CheckAsync("after");

        await using var anonymous = await OpenAsync("vote-public");
        await anonymous.GotoAsync("/proposals/p-demo-bouwpuin");
        Assert.Equal(before + 8, await YesAsync(anonymous.Page)); // the tally is public
        Assert.Equal(0, await anonymous.Page.Locator("#vote-YES").CountAsync());
        await anonymous.CheckAsync("public");
    }

    [Fact]
    public async Task A_resident_supports_and_comments_and_the_municipality_hides_a_comment_with_its_reason()
    {
        await using var citizen = await OpenAsync("support");
        await citizen.SignInAsync("citizen@demo.test", "/proposals/p-demo-bouwpuin");
        await citizen.Page.ClickAsync("main button:text('Ik steun dit voorstel')");
        await citizen.ExpectAsync("[role=status]");
        Assert.Contains("U steunt dit voorstel.", await citizen.Page.InnerTextAsync("main"));

        await citizen.Page.ClickAsync("main button:text('Reactie plaatsen')"); // nothing typed yet
        Assert.Equal("Schrijf eerst een tekst.", await citizen.Page.InnerTextAsync("#err-comment"));
        await citizen.CheckAsync("comment-error");
        await citizen.Page.FillAsync("#comment-text", "Call the dumper at Kerkstraat 4 to account!");
        await citizen.Page.ClickAsync("main button:text('Reactie plaatsen')");
        await citizen.ExpectAsync("[role=status]");
        Assert.Contains("Call the dumper at Kerkstraat 4", await citizen.Page.InnerTextAsync("ol.comments"));
        await citizen.CheckAsync("commented");

        await using var admin = await OpenAsync("moderation");
        await admin.SignInAsync("admin@demo.test", "/proposals/p-demo-bouwpuin");
        var item = admin.Page.Locator("ol.comments li", new() { HasText = "Kerkstraat 4" });
        await item.Locator("input[name='Hide.Reason']").FillAsync("Names a resident's address.");
        await item.Locator("button").ClickAsync();
        await admin.ExpectAsync("[role=status]");
        var comments = await admin.Page.InnerTextAsync("ol.comments");
        Assert.DoesNotContain("Kerkstraat 4", comments);
        Assert.Contains("Verborgen door de gemeente: Names a resident's address.", comments);
        await admin.CheckAsync("hidden");
    }

    [Fact]
    public async Task A_member_council_submits_its_opinion_on_a_plan_before_voting_opens()
    {
        await using var amsterdam = await OpenAsync("opinion");
        await amsterdam.SignInAsync("admin.amsterdam@demo.test", "/proposals/p-demo-strooiplan");
        Assert.Equal(0, await amsterdam.Page.Locator("#vote-YES").CountAsync()); // the opinion period comes first
        await amsterdam.Page.FillAsync("#opinion-text", "Grit the cycle paths to schools before 07:30 as well.");
        await amsterdam.Page.ClickAsync("main button:text('Zienswijze indienen')");
        await amsterdam.ExpectAsync("[role=status]");
        Assert.Contains("Grit the cycle paths to schools before 07:30 as well.", await amsterdam.Page.InnerTextAsync("section[aria-labelledby=opinions]"));
        await amsterdam.CheckAsync("submitted");
    }

    private static async Task<long> YesAsync(IPage page) =>
        long.Parse(await page.Locator(".tally .figures strong").First.InnerTextAsync());

    [Fact]
    public async Task An_operator_approves_a_new_municipality()
    {
        await using var applicant = await OpenAsync("onboarding");
        await applicant.GotoAsync("/apply");
        await applicant.Page.FillAsync("#code", "Purmerend");
        await applicant.Page.FillAsync("#name", "Purmerend");
        await applicant.Page.FillAsync("#inhabitants", "94000");
        await applicant.Page.FillAsync("#inhabitantsReferenceDate", "2024-01-01");
        await applicant.Page.FillAsync("#contactName", "Sanne de Vries");
        await applicant.Page.FillAsync("#contactEmail", "s.devries@purmerend.example");
        await applicant.Page.ClickAsync("main button[type=submit]");
        Assert.Equal("true", await applicant.Page.GetAttributeAsync("#code", "aria-invalid"));
        Assert.Equal("Sanne de Vries", await applicant.Page.InputValueAsync("#contactName"));
        await applicant.CheckAsync("apply-error");

        await applicant.Page.FillAsync("#code", "GM0439");
        await applicant.Page.ClickAsync("main button[type=submit]");
        await applicant.ExpectAsync("[role=status]");
        Assert.Contains("Purmerend (GM0439)", await applicant.Page.InnerTextAsync("[role=status]"));
        await applicant.CheckAsync("applied");

        await using var operatorSession = await OpenAsync("onboarding-operator");
        await operatorSession.SignInAsync("operator@demo.test", "/console/onboarding");
        await operatorSession.CheckAsync("pending");
        await operatorSession.Page.ClickAsync("article[aria-labelledby=app-GM0439-1] button:text('Goedkeuren')");
        await operatorSession.ExpectAsync("[role=status]");
        var article = await operatorSession.Page.InnerTextAsync("article[aria-labelledby=app-GM0439-1]");
        Assert.Contains("Goedgekeurd", article);
        Assert.Contains("De contactpersoon is uitgenodigd.", article);
        await operatorSession.CheckAsync("approved");
        // The invitation went through the platform's SMTP server (smtp4dev), with the link that sets a password.
        Assert.Contains("/account/invitation?user=", await platform.MailTextAsync("s.devries@purmerend.example", "account"));

        await operatorSession.GotoAsync("/?gemeente=GM0439");
        Assert.Contains("Regelingen van Purmerend", await operatorSession.Page.InnerTextAsync("main"));
    }

    [Fact]
    public async Task An_operator_registers_an_executing_organisation_whose_admin_invites_and_removes_staff()
    {
        await using var operatorSession = await OpenAsync("organisation-operator");
        await operatorSession.SignInAsync("operator@demo.test", "/console/organisations");
        await operatorSession.Page.FillAsync("#org-id", "groen-e2e");
        await operatorSession.Page.FillAsync("#org-name", "Groenbeheer Zaanstreek");
        await operatorSession.Page.FillAsync("#org-adminName", "Ria Visser");
        await operatorSession.Page.FillAsync("#org-adminEmail", "r.visser@groen-e2e.example");
        await operatorSession.Page.ClickAsync("section[aria-labelledby=register] button[type=submit]");
        await operatorSession.ExpectAsync("[role=status]");
        Assert.Contains("Groenbeheer Zaanstreek", await operatorSession.Page.InnerTextAsync("main"));
        await operatorSession.CheckAsync("registered");

        // The first admin follows the link from the mail (read from smtp4dev) and chooses a password.
        await using var admin = await OpenAsync("organisation-admin", 320);
        await admin.AcceptInvitationAsync(platform, "r.visser@groen-e2e.example");

        await admin.SignInAsync("r.visser@groen-e2e.example", "/console");
        await admin.Page.ClickAsync("a[href='/console/people']");
        await admin.InviteAsync("j.bakker@groen-e2e.example", "Jan Bakker", "executor-staff");
        Assert.Contains("j.bakker@groen-e2e.example", await admin.Page.InnerTextAsync("table"));
        await admin.CheckAsync("invited");
        Assert.Contains("/account/invitation?user=", await platform.MailTextAsync("j.bakker@groen-e2e.example", "account"));

        await admin.Page.ClickAsync("button[aria-label='Jan Bakker verwijderen']");
        await admin.ExpectAsync("[role=status]");
        var row = await admin.Page.InnerTextAsync("tr:has-text('j.bakker@groen-e2e.example')");
        Assert.Contains("Verwijderd", row);
        await admin.CheckAsync("removed");
    }

    [Fact]
    public async Task An_admin_creates_a_partner_client_that_reads_tariffs_and_once_revoked_gets_no_token()
    {
        await using var admin = await OpenAsync("credentials", 320);
        await admin.SignInAsync("admin@demo.test", "/console");
        await admin.Page.ClickAsync("a[href='/console/credentials']");
        await admin.Page.FillAsync("#client-name", "Zaaksysteem Hoorn");
        await admin.Page.CheckAsync("#scope-arrangements-read");
        await admin.Page.ClickAsync("section[aria-labelledby=clients] form[novalidate] button[type=submit]");
        await admin.ExpectAsync("#new-secret");
        var secret = (await admin.Page.InnerTextAsync("#new-secret")).Trim();
        var clientId = System.Text.RegularExpressions.Regex.Match(await admin.Page.InnerTextAsync("[role=status]"), @"(gm0405-[0-9a-f]{8})").Groups[1].Value;
        await admin.CheckAsync("client-created");

        // The partner's system: client credentials, then the tariffs through the gateway.
        var token = await platform.Tokens.AccessTokenAsync(clientId, secret);
        var tariffs = await platform.GraphQLAsync("""{ arrangement(id: "afval-nhn") { tariffs { amount } } viewer { subject } }""", token: token);
        Assert.Equal(clientId, tariffs["viewer"]!["subject"]!.GetValue<string>());
        Assert.NotEmpty(tariffs["arrangement"]!["tariffs"]!.AsArray());

        await admin.Page.ClickAsync("button[aria-label='Zaaksysteem Hoorn intrekken']");
        await admin.ExpectAsync("[role=status]");
        Assert.Contains("Ingetrokken", await admin.Page.InnerTextAsync("section[aria-labelledby=clients]"));
        await admin.CheckAsync("client-revoked");
        await Assert.ThrowsAsync<Platform.Tests.Shared.TokenRefusedException>(() => platform.Tokens.AccessTokenAsync(clientId, secret));
    }

    [Fact]
    public async Task An_admin_registers_a_webhook_in_the_console_reads_its_delivery_log_delivers_one_again_and_removes_it()
    {
        await using var receiver = await Platform.Tests.Shared.WebhookReceiver.StartAsync();
        await using var admin = await OpenAsync("webhooks");
        await admin.SignInAsync("admin@demo.test", "/console");
        await admin.Page.ClickAsync("a[href='/console/webhooks']");
        await admin.Page.FillAsync("#hook-url", receiver.Url.ToString());
        await admin.Page.ClickAsync("section[aria-labelledby=register] button[type=submit]");
        Assert.Contains("Kies ten minste één soort gebeurtenis", await admin.Page.InnerTextAsync("[role=alert]")); // no type chosen
        Assert.Equal(receiver.Url.ToString(), await admin.Page.InputValueAsync("#hook-url")); // what was typed is kept
        await admin.CheckAsync("webhook-refused");
        await admin.Page.CheckAsync("#type-nl-regelingen-complaint-filed");
        await admin.Page.ClickAsync("section[aria-labelledby=register] button[type=submit]");
        await admin.ExpectAsync("#new-secret");
        var secret = (await admin.Page.InnerTextAsync("#new-secret")).Trim();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await admin.CheckAsync("webhook-registered");

        var filed = await platform.GraphQLAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "bouwpuin", description: "Puin bij het station", location: { address: "Stationsplein 1, Hoorn" } }) { complaint { key } } }
            """, token: await platform.Tokens.UserAccessTokenAsync("citizen@demo.test"));
        var key = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        await receiver.WaitUntilAsync(r => r.Any(x => x.Body.Contains(key, StringComparison.Ordinal)), "the delivery");
        var first = receiver.Received.First(x => x.Body.Contains(key, StringComparison.Ordinal));
        new StandardWebhooks.StandardWebhook(secret).Verify(first.Body, first.Headers);

        await admin.GotoAsync("/console/webhooks");
        var log = await admin.Page.InnerTextAsync("table");
        Assert.Contains("nl.regelingen.complaint.filed", log);
        Assert.Contains("Afgeleverd", log);
        await admin.CheckAsync("webhook-log");
        var eventId = first.Headers["webhook-id"].ToString();
        await admin.Page.ClickAsync($"button[aria-label='Gebeurtenis {eventId} opnieuw afleveren']");
        await admin.ExpectAsync("[role=status]");
        await receiver.WaitUntilAsync(r => r.Count(x => x.Headers["webhook-id"].ToString() == eventId) == 2, "the redelivery");

        await admin.Page.ClickAsync($"button[aria-label='Webhook {receiver.Url} verwijderen']");
        await admin.ExpectAsync("[role=status]");
        Assert.Contains("Er zijn nog geen webhooks", await admin.Page.InnerTextAsync("main"));
        await admin.CheckAsync("webhook-removed");
    }

    [Fact]
    public async Task A_resident_creates_an_account_confirms_it_by_mail_and_files_a_complaint()
    {
        await using var resident = await OpenAsync("register", 320);
        await resident.GotoAsync("/complaints/new");
        await resident.Page.ClickAsync("main a[href='/account/register']");
        await resident.ExpectAsync("#municipality");
        Assert.Equal("nl", await resident.Page.GetAttributeAsync("html", "lang"));
        await resident.CheckAsync("register-form");
        await resident.Page.FillAsync("#email", "l.dekker@hoorn-e2e.example");
        await resident.Page.FillAsync("#name", "Lisa Dekker");
        await resident.Page.SelectOptionAsync("#municipality", "GM0405");
        await resident.Page.FillAsync("#password", "Demo!2345");
        await resident.Page.FillAsync("#confirm", "Demo!2345");
        await resident.Page.ClickAsync("main button[type=submit]");
        Assert.Contains("Kijk in uw e-mail", await resident.Page.InnerTextAsync("main"));

        var mail = await platform.MailTextAsync("l.dekker@hoorn-e2e.example", "Bevestig");
        await resident.Page.GotoAsync(System.Text.RegularExpressions.Regex.Match(mail, @"http://127\.0\.0\.1:\d+/account/confirm\?user=\S+").Value);
        Assert.Contains("Uw e-mailadres is bevestigd", await resident.Page.InnerTextAsync("main"));

        await resident.SignInAsync("l.dekker@hoorn-e2e.example", "/complaints/new");
        await resident.Page.FillAsync("#description", "Bouwpuin gestort langs het fietspad");
        await resident.Page.FillAsync("#address", "Dorpsstraat 1, Hoorn");
        await resident.Page.ClickAsync("main button[type=submit]");
        await resident.ExpectAsync(".facts .status");
        Assert.Equal("Ingediend", await resident.Page.InnerTextAsync(".facts .status"));
        Assert.Contains("Bouwpuin gestort langs het fietspad", await resident.Page.InnerTextAsync("main"));
        await resident.CheckAsync("filed");
    }

    public static readonly TheoryData<string, string> IdentityPages = new()
    {
        { "account/login", "nl" }, { "account/login", "en" }, { "account/register", "nl" }, { "account/register", "en" },
        { "account/forgot", "nl" }, { "account/forgot", "en" }, { "account/signed-out", "en" }, { "account/reset?user=x&token=y", "nl" },
    };

    [Theory]
    [MemberData(nameof(IdentityPages))]
    public async Task The_identity_servers_pages_pass_axe_in_both_languages(string path, string lang)
    {
        await using var visitor = await OpenAsync($"identity-{lang}", 320);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        await visitor.Page.GotoAsync($"{platform.IdentityUrl}{path}{separator}lang={lang}");

        Assert.Equal(lang, await visitor.Page.GetAttributeAsync("html", "lang"));
        var violations = await visitor.AxeAsync();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.True(await visitor.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 320);
    }

    [Fact]
    public async Task A_session_outlives_its_access_token_by_refreshing_it()
    {
        await using var manager = await OpenAsync("refresh");
        await manager.SignInAsync("manager@demo.test", "/complaints");
        var until = DateTime.UtcNow + PlatformFixture.AccessTokenLifetime + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < until)
        {
            // Each page (with its stylesheet, in parallel) runs with a token that is about to expire.
            await manager.GotoAsync("/complaints");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }

        // The token from the sign-in has expired; the page still gets the staff view from the gateway.
        await manager.GotoAsync("/complaints");
        Assert.Equal(0, await manager.Page.Locator("[role=alert]").CountAsync());
        Assert.Equal("Meldingen", (await manager.Page.InnerTextAsync("h1")).Trim());
        Assert.Contains("manager@demo.test", await manager.Page.InnerTextAsync("header"));
    }

    /// <summary>Each width in each language: Dutch (the default) and English (chosen with the header's switch, a cookie).</summary>
    public static readonly TheoryData<int, string> WidthsAndLanguages = new() { { 1280, "nl" }, { 320, "nl" }, { 1280, "en" }, { 320, "en" } };

    [Theory]
    [MemberData(nameof(WidthsAndLanguages))]
    public async Task Every_public_page_passes_axe_for_wcag_2_2_aa(int width, string language)
    {
        await using var visitor = await OpenAsync($"pages-{width}-{language}", width);
        if (language == "en")
        {
            await visitor.GotoAsync("/culture?lang=en&returnUrl=%2F");
            Assert.Equal("en", await visitor.Page.GetAttributeAsync("html", "lang"));
        }
        var violations = new List<string>();
        foreach (var path in new[] { "/", "/?gemeente=GM0405", "/?gemeente=GM0405&q=bouwpuin", "/arrangements/afval-nhn", "/arrangements/afval-nhn/tariffs/bouwpuin",
                     "/proposals/p-demo-bouwpuin", "/proposals/p-demo-strooiplan", "/apply", "/complaints/new", "/complaints/new?municipality=GM0405", "/complaints", "/console", "/does-not-exist",
                     "/arrangements/afval-nhn/decisions", "/complaints/follow/not-a-link", "/reports", "/reports?gemeente=GM0405", "/t/GM0363/reports?open=true",
                     "/account/signin?returnUrl=%2Fconsole" /* the identity server's sign-in page */ })
        {
            await visitor.Page.GotoAsync(new Uri(platform.WebAdminUrl, path).ToString());
            violations.AddRange(await visitor.AxeAsync());
            if (path is "/arrangements/afval-nhn" or "/arrangements/afval-nhn/decisions" or "/?gemeente=GM0405")
            {
                // Pages read through the typed client: what they show came out of their records.
                Assert.Equal(0, await visitor.Page.Locator("[role=alert]").CountAsync());
                var shown = path switch
                {
                    "/arrangements/afval-nhn" => "section[aria-labelledby=members] tbody tr",
                    "/arrangements/afval-nhn/decisions" => "section[aria-labelledby=rules] li",
                    _ => "section.arrangement td.amount",
                };
                Assert.True(await visitor.Page.Locator(shown).CountAsync() > 0, $"{path} shows nothing at {shown}");
            }
            if (path.Contains("/tariffs/", StringComparison.Ordinal))
            {
                // Read through the typed client (TariffHistoryAnswer): each version a row with its price and date.
                var rows = visitor.Page.Locator("table tbody tr");
                Assert.True(await rows.CountAsync() > 0, $"{path} shows no tariff versions");
                Assert.Contains("€", await rows.First.Locator("td.amount").InnerTextAsync());
            }
            if (width == 320)
            {
                // Reflow (WCAG 1.4.10): nothing wider than the screen but the tables' own scroll regions.
                var overflow = await visitor.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                Assert.True(overflow <= 320, $"{path} is {overflow} px wide at 320 px");
            }
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Signed_in_pages_pass_axe_and_the_language_switch_changes_the_texts()
    {
        await using var manager = await OpenAsync("signed-in", 320);
        await manager.SignInAsync("manager@demo.test");
        var violations = new List<string>();
        foreach (var path in new[] { "/", "/arrangements/afval-nhn", "/complaints", "/complaints?overdue=true&status=SUBMITTED", "/console", "/proposals/p-demo-bouwpuin",
                     "/console/arrangements/new", "/console/arrangements/afval-nhn", "/console/arrangements/afval-nhn/propose?kind=SERVICE_LEVEL_CHANGE",
                     "/console/arrangements/afval-nhn/propose?kind=PLAN_ADOPTION", "/console/awaiting", "/account",
                     "/console/arrangements/afval-nhn/performance", "/console/arrangements/afval-nhn/price-reviews", "/console/dashboard", "/console/arrangements/afval-nhn/plans" })
        {
            await manager.GotoAsync(path);
            violations.AddRange(await manager.AxeAsync());
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await manager.GotoAsync("/arrangements/afval-nhn");
        Assert.Contains("Meldingen van uw gemeente", await manager.Page.InnerTextAsync("main"));
        // The arrangement names its services in Dutch; the English interface shows the translations it gave.
        Assert.Contains("Bouwpuin aanleveren op de milieustraat", await manager.Page.InnerTextAsync("main"));
        Assert.Equal(1, await manager.Page.Locator("figure.chart svg").First.CountAsync());

        await manager.Page.ClickAsync("a[hreflang=en]");
        Assert.Equal("en", await manager.Page.GetAttributeAsync("html", "lang"));
        Assert.Contains("Your municipality's complaints", await manager.Page.InnerTextAsync("main"));
        Assert.Contains("Construction debris (bouwpuin) at the recycling centre", await manager.Page.InnerTextAsync("main"));
        Assert.DoesNotContain("Bouwpuin aanleveren", await manager.Page.InnerTextAsync("main"));
        await manager.CheckAsync("english");
        // The same signed-in pages in English pass axe too.
        foreach (var path in new[] { "/", "/complaints", "/console", "/proposals/p-demo-bouwpuin", "/console/arrangements/new", "/console/arrangements/afval-nhn",
                     "/console/arrangements/afval-nhn/propose?kind=TARIFF_CHANGE", "/console/awaiting", "/account", "/console/arrangements/afval-nhn/performance",
                     "/console/arrangements/afval-nhn/price-reviews", "/console/dashboard", "/console/arrangements/afval-nhn/plans" })
        {
            await manager.GotoAsync(path);
            violations.AddRange(await manager.AxeAsync());
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await manager.GotoAsync("/arrangements/afval-nhn");

        await manager.Page.ClickAsync("header button:text('Sign out')");
        await manager.Page.WaitForURLAsync(url => url.StartsWith(platform.WebAdminUrl.ToString(), StringComparison.Ordinal) && !url.Contains("signout", StringComparison.Ordinal));
        Assert.Equal(1, await manager.Page.Locator("header a:text('Sign in')").CountAsync());
        // Signed out at the identity server too: signing in again asks for the password.
        await manager.Page.GotoAsync(new Uri(platform.WebAdminUrl, "/account/signin").ToString());
        Assert.Equal(1, await manager.Page.Locator("#password").CountAsync());
    }
}
