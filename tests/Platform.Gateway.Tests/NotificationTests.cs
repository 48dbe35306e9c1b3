using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Gateway.Tests;

/// <summary>
/// Notifications through the real parts: the resident's mail arrives at the SMTP server with a one-click unsubscribe
/// header, the link switches that mail off (and a changed link does not), settings are the person's own, and partners
/// and staff read the event feed page by page.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class NotificationTests(GatewayFixture fixture)
{
    private const string File = """
        mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { field code message } } }
        """;

    private const string Transition = """
        mutation($input: TransitionComplaintInput!) { transitionComplaint(input: $input) { complaint { status } userErrors { field code message } } }
        """;

    private const string Unsubscribe = """
        mutation($input: UnsubscribeInput!) { unsubscribe(input: $input) { unsubscribed userErrors { field code message } } }
        """;

    private const string Settings = "{ notificationSettings { language preferences { kind delivery } } }";

    private const string Events = """
        query($first: Int, $after: String) { events(first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } nodes { id type subject municipality executingOrganisation data } } }
        """;

    /// <summary>Every event the token's organisation may read, page after page from the start.</summary>
    private async Task<List<JsonNode>> AllEventsAsync(string token, int pageSize = 100)
    {
        var seen = new List<JsonNode>();
        string? after = null;
        for (var page = 0; page < 500; page++)
        {
            var events = (await fixture.DataAsync(Events, new { first = pageSize, after }, token: token))["events"]!;
            seen.AddRange(events["nodes"]!.AsArray().Select(n => n!));
            if (!events["pageInfo"]!["hasNextPage"]!.GetValue<bool>()) break;
            after = events["pageInfo"]!["endCursor"]!.GetValue<string>();
        }
        return seen;
    }

    [GeneratedRegex(@"List-Unsubscribe:\s*<(?<url>[^>]+)>")]
    private static partial Regex ListUnsubscribe();

    private async Task<(string Token, string Complaint)> FileAsync(string email)
    {
        var token = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");
        return (token, await FileWithAsync(token));
    }

    private async Task<string> FileWithAsync(string token)
    {
        var filed = (await fixture.DataAsync(File, new
        {
            input = new
            {
                arrangementId = "afval-nhn", serviceCode = "bouwpuin", description = $"Puin bij de sloot ({Guid.NewGuid():N})",
                location = new { latitude = 52.6424, longitude = 5.0602, address = "Dorpsstraat 1, Hoorn" },
            },
        }, token: token))["fileComplaint"]!;
        Assert.Empty(filed["userErrors"]!.AsArray());
        return filed["complaint"]!["key"]!.GetValue<string>();
    }

    private async Task ActAsync(string complaint, string action)
    {
        var done = (await fixture.DataAsync(Transition, new { input = new { complaintId = complaint, action } }, token: await fixture.TokenAsync("executor@demo.test")))["transitionComplaint"]!;
        Assert.Empty(done["userErrors"]!.AsArray());
    }

    private static string NewAddress(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24] + "@example.nl";

    /// <summary>
    /// Every event of the organisation, page after page (oldest first) as a consumer reads on: the other tests of the
    /// collection add events too, so the one looked for need not be among the first hundred.
    /// </summary>
    private async Task<List<JsonNode>> AllEventsAsync(string token)
    {
        var events = new List<JsonNode>();
        string? after = null;
        for (var page = 0; page < 50; page++)
        {
            var connection = (await fixture.DataAsync(Events, new { first = 100, after }, token: token))["events"]!;
            events.AddRange(connection["nodes"]!.AsArray().Select(n => n!));
            if (connection["pageInfo"]!["hasNextPage"]!.GetValue<bool>() is false) break;
            after = connection["pageInfo"]!["endCursor"]!.GetValue<string>();
        }
        return events;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"Timed out waiting for {what}.");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task The_resident_is_mailed_each_status_change_and_the_one_click_link_stops_it_while_a_changed_link_does_not()
    {
        var email = NewAddress("volg");
        var (_, complaint) = await FileAsync(email);
        await ActAsync(complaint, "ACKNOWLEDGE");

        var mail = await fixture.Mail.WaitForAsync(email, "Uw melding over");
        Assert.Contains("in behandeling genomen", mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:5999/complaints/{complaint}", mail.Text, StringComparison.Ordinal);
        var source = await fixture.Mail.SourceAsync(mail.Id);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", source, StringComparison.Ordinal);
        var oneClick = new Uri(Regex.Replace(ListUnsubscribe().Match(source).Groups["url"].Value, @"\s", ""));
        Assert.Equal("/unsubscribe/one-click", oneClick.AbsolutePath);
        var link = System.Web.HttpUtility.ParseQueryString(oneClick.Query);

        // Changed links: another address with this signature, another kind, a signature that was edited.
        foreach (var (person, kind, token) in new[]
        {
            ("iemand.anders@example.nl", link["k"], link["t"]), (link["p"], "new-complaints", link["t"]), (link["p"], link["k"], link["t"]![..^2] + "xx"),
        })
        {
            var refused = (await fixture.DataAsync(Unsubscribe, new { input = new { person, kind, token } }))["unsubscribe"]!;
            Assert.False(refused["unsubscribed"]!.GetValue<bool>());
            Assert.Equal("INVALID_SIGNATURE", refused["userErrors"]![0]!["code"]!.GetValue<string>());
        }
        var unknownKind = (await fixture.DataAsync(Unsubscribe, new { input = new { person = link["p"], kind = "everything", token = link["t"] } }))["unsubscribe"]!;
        Assert.Equal(("kind", "OUT_OF_RANGE"), (unknownKind["userErrors"]![0]!["field"]!.GetValue<string>(), unknownKind["userErrors"]![0]!["code"]!.GetValue<string>()));

        // Nothing changed yet: the next step is mailed too.
        await ActAsync(complaint, "START_WORK");
        await fixture.Mail.WaitForAsync(email, "wordt aan gewerkt");

        var done = (await fixture.DataAsync(Unsubscribe, new { input = new { person = link["p"], kind = link["k"], token = link["t"] } }))["unsubscribe"]!;
        Assert.True(done["unsubscribed"]!.GetValue<bool>());
        var again = (await fixture.DataAsync(Unsubscribe, new { input = new { person = link["p"], kind = link["k"], token = link["t"] } }))["unsubscribe"]!;
        Assert.True(again["unsubscribed"]!.GetValue<bool>()); // a second click is harmless

        await ActAsync(complaint, "RESOLVE");
        // The executing organisation's feed shows the resolve event: by then the notifier has seen it too.
        await WaitUntilAsync(async () => (await AllEventsAsync(await fixture.TokenAsync("executor@demo.test")))
            .Any(n => n["subject"]!.GetValue<string>() == complaint && n["data"]!.GetValue<string>().Contains("\"to\":\"Resolved\"", StringComparison.Ordinal)), "the resolve event");
        await Task.Delay(TimeSpan.FromSeconds(6)); // longer than a notifier round
        Assert.Equal(2, (await fixture.Mail.MailsToAsync(email)).Count);
    }

    [Fact]
    public async Task Settings_are_read_and_changed_by_the_person_only_and_a_wrong_language_changes_nothing()
    {
        var email = NewAddress("instel");
        var token = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");
        var before = (await fixture.DataAsync(Settings, token: token))["notificationSettings"]!;
        Assert.Equal("nl", before["language"]!.GetValue<string>());
        Assert.Equal(["COMPLAINT_UPDATES", "FOLLOWED_REPORTS"], before["preferences"]!.AsArray().Select(p => p!["kind"]!.GetValue<string>()));

        const string Change = """
            mutation($input: ChangeNotificationSettingsInput!) { changeNotificationSettings(input: $input) { settings { language preferences { kind delivery } } userErrors { field code message } } }
            """;
        var wrong = (await fixture.DataAsync(Change, new { input = new { language = "de" } }, token: token))["changeNotificationSettings"]!;
        Assert.Equal(("language", "OUT_OF_RANGE"), (wrong["userErrors"]![0]!["field"]!.GetValue<string>(), wrong["userErrors"]![0]!["code"]!.GetValue<string>()));
        var (status, body) = await fixture.PostAsync(Change, new { input = new { preferences = new[] { new { kind = "ALL", delivery = "OFF" } } } }, token: token);
        Assert.True(status == HttpStatusCode.BadRequest || body["errors"] is not null, body.ToJsonString());
        Assert.Equal("nl", (await fixture.DataAsync(Settings, token: token))["notificationSettings"]!["language"]!.GetValue<string>());

        var changed = (await fixture.DataAsync(Change, new { input = new { language = "en", preferences = new[] { new { kind = "COMPLAINT_UPDATES", delivery = "OFF" } } } }, token: token))["changeNotificationSettings"]!;
        Assert.Empty(changed["userErrors"]!.AsArray());
        Assert.Equal("en", changed["settings"]!["language"]!.GetValue<string>());
        Assert.Equal("OFF", changed["settings"]!["preferences"]![0]!["delivery"]!.GetValue<string>());

        // Signed out there are no settings to read, and none to change.
        Assert.Null((await fixture.DataAsync(Settings))["notificationSettings"]);
        var (_, anonymous) = await fixture.PostAsync(Change, new { input = new { language = "nl" } });
        Assert.NotNull(anonymous["errors"]);
        Assert.Equal("en", (await fixture.DataAsync(Settings, token: token))["notificationSettings"]!["language"]!.GetValue<string>());
    }

    [Fact]
    public async Task Staff_read_their_organisations_events_page_by_page_and_others_are_refused()
    {
        var email = NewAddress("feed");
        var (citizenToken, complaint) = await FileAsync(email);
        await ActAsync(complaint, "ACKNOWLEDGE");
        var executor = await fixture.TokenAsync("executor@demo.test");

        // Page through the whole feed; this complaint's two events come in order, each once.
        var seen = await AllEventsAsync(executor, pageSize: 50);
        var mine = seen.Where(n => n["subject"]!.GetValue<string>() == complaint).ToList();
        Assert.Equal(["nl.regelingen.complaint.filed", "nl.regelingen.complaint.status-changed"], mine.Select(n => n["type"]!.GetValue<string>()));
        Assert.Equal(seen.Count, seen.Select(n => n["id"]!.GetValue<string>()).Distinct().Count());
        Assert.All(seen, n => Assert.Equal("afvalbedrijf-nhn", n["executingOrganisation"]!.GetValue<string>()));
        Assert.DoesNotContain(email, string.Join(" ", seen.Select(n => n.ToJsonString())), StringComparison.OrdinalIgnoreCase);

        // A resident, an anonymous caller, a cursor of another list.
        var (_, resident) = await fixture.PostAsync(Events, new { first = 2 }, token: citizenToken);
        Assert.Equal("FORBIDDEN", resident["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var (_, anonymous) = await fixture.PostAsync(Events, new { first = 2 });
        Assert.NotNull(anonymous["errors"]);
        var (_, wrongCursor) = await fixture.PostAsync(Events, new { first = 2, after = "not-a-cursor" }, token: executor);
        Assert.Contains("'after'", wrongCursor["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_municipality_reads_its_arrangements_proposals_and_members_in_the_feed_and_another_municipality_does_not()
    {
        // The demo data proposes in afval-nhn and adds its members; Hoorn is a member, Amsterdam is not.
        var hoorn = await AllEventsAsync(await fixture.TokenAsync("manager@demo.test"));
        var wide = hoorn.Where(n => n["municipality"] is null).ToList();
        Assert.Contains(wide, n => n["type"]!.GetValue<string>() == "nl.regelingen.membership.joined" && n["data"]!.GetValue<string>().Contains("\"municipality\":\"GM0405\"", StringComparison.Ordinal));
        Assert.Contains(wide, n => n["type"]!.GetValue<string>().StartsWith("nl.regelingen.proposal.", StringComparison.Ordinal));

        var amsterdam = await AllEventsAsync(await fixture.TokenAsync("admin.amsterdam@demo.test"));
        Assert.DoesNotContain(amsterdam, n => n["data"]!.GetValue<string>().Contains("\"arrangementId\":\"afval-nhn\"", StringComparison.Ordinal));
        Assert.DoesNotContain(amsterdam, n => wide.Any(w => w["id"]!.GetValue<string>() == n["id"]!.GetValue<string>()));
    }
}
