using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

/// <summary>
/// Consultations through GraphQL: a tactical meeting is scheduled and held with decisions and action items for a member
/// and the executing organisation; only the owner marks its item done, once; the next meeting's agenda lists the
/// agreement that was not kept; minutes without an owner or with a due date before the meeting are refused with
/// nothing stored, and residents and outsiders see nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsultationTests(GatewayFixture fixture)
{
    private const string Fields = "key level title status minutes decisions agenda actionItems { number text owner due done doneBy overdue } parties viewerCan { recordMinutes completeActionItems }";

    private static readonly string Schedule = $$"""
        mutation($input: ScheduleConsultationInput!) { scheduleConsultation(input: $input) { consultation { {{Fields}} } userErrors { field code message } } }
        """;

    private static readonly string Minutes = $$"""
        mutation($input: RecordConsultationMinutesInput!) { recordConsultationMinutes(input: $input) { consultation { {{Fields}} } userErrors { field code message } } }
        """;

    private static readonly string Complete = $$"""
        mutation($input: CompleteActionItemInput!) { completeActionItem(input: $input) { consultation { {{Fields}} } userErrors { field code message } } }
        """;

    private static List<(string, string)> Errors(JsonNode payload) =>
        [.. payload["userErrors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))];

    /// <summary>A date counted from today in Amsterdam, where the meeting's day is taken.</summary>
    private static string Day(int days) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<string> ArrangementAsync()
    {
        var key = $"overleg-{Guid.NewGuid():N}"[..19];
        var token = await fixture.DedicatedOperatorTokenAsync("mtg.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Gladheid West-Friesland\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"strooien\", name: \"Strooien\" }] }) { userErrors { code } } }", new { key }, token: token);
        foreach (var code in new[] { "GM0405", "GM0420" })
        {
            await fixture.DataAsync("mutation($key: ID!, $code: String!) { addMember(input: { arrangementId: $key, municipalityCode: $code }) { userErrors { code } } }", new { key, code }, token: token);
        }
        return key;
    }

    private async Task<JsonNode> RunAsync(string mutation, string field, object input, string token) => (await fixture.DataAsync(mutation, new { input }, token: token))[field]!;

    [Fact]
    public async Task A_meeting_is_held_its_owners_mark_their_items_done_and_the_next_agenda_lists_the_agreements_not_kept()
    {
        var arrangement = await ArrangementAsync();
        var manager = await fixture.DedicatedStaffTokenAsync("mtg.manager@demo.test", "GM0405", "contract-manager");
        var medemblik = await fixture.DedicatedStaffTokenAsync("mtg.medemblik@demo.test", "GM0420", "contract-manager");
        var executor = await fixture.DedicatedStaffTokenAsync("mtg.executor@demo.test", "afvalbedrijf-nhn", "executor-staff");

        const string MayOrganise = "query($id: ID!) { arrangement(id: $id) { viewerCan { scheduleConsultations } } }";
        var mayOrganise = new List<bool>();
        foreach (var token in new[] { manager, executor, await fixture.TokenAsync("citizen@demo.test"), await fixture.TokenAsync("admin.amsterdam@demo.test") })
        {
            mayOrganise.Add((await fixture.DataAsync(MayOrganise, new { id = arrangement }, token: token))["arrangement"]!["viewerCan"]!["scheduleConsultations"]!.GetValue<bool>());
        }
        Assert.Equal([true, true, false, false], mayOrganise);

        var scheduled = await RunAsync(Schedule, "scheduleConsultation", new { arrangementId = arrangement, level = "TACTICAL", title = "Contractoverleg november", scheduledAt = DateTimeOffset.UtcNow, agenda = new[] { "Zoutvoorraad", "Klachten fietspaden" } }, manager);
        Assert.Empty(Errors(scheduled));
        var meeting = scheduled["consultation"]!;
        var id = meeting["key"]!.GetValue<string>();
        Assert.Equal(("TACTICAL", "SCHEDULED", 2), (meeting["level"]!.GetValue<string>(), meeting["status"]!.GetValue<string>(), meeting["agenda"]!.AsArray().Count));
        Assert.Equal(["GM0405", "GM0420", "afvalbedrijf-nhn"], meeting["parties"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(meeting["viewerCan"]!["recordMinutes"]!.GetValue<bool>());

        var held = await RunAsync(Minutes, "recordConsultationMinutes", new
        {
            consultationId = id,
            minutes = "Voorraad is 280 ton; onder de grens van 300.",
            decisions = new[] { "Bijkopen als meerwerk" },
            actionItems = new object[]
            {
                new { text = "Offerte voor 40 ton zout", owner = "afvalbedrijf-nhn", due = Day(0) },
                new { text = "Strooiroutes scholen aanleveren", owner = "GM0420", due = Day(0) },
                new { text = "Evaluatie na de winter", owner = "GM0405", due = Day(120) },
            },
        }, manager);
        Assert.Empty(Errors(held));
        Assert.Equal(("HELD", 3), (held["consultation"]!["status"]!.GetValue<string>(), held["consultation"]!["actionItems"]!.AsArray().Count));
        Assert.Equal([("consultationId", "ALREADY_EXISTS")], Errors(await RunAsync(Minutes, "recordConsultationMinutes", new { consultationId = id, minutes = "Nog eens" }, manager)));

        // Each party marks only its own item done, once.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync(Complete, new { input = new { consultationId = id, number = 2 } }, token: manager)).Status);
        var mine = (await fixture.DataAsync($"query($id: ID!) {{ consultation(id: $id) {{ {Fields} }} }}", new { id }, token: executor))["consultation"]!;
        Assert.Equal([1], mine["viewerCan"]!["completeActionItems"]!.AsArray().Select(n => n!.GetValue<int>()));
        var done = await RunAsync(Complete, "completeActionItem", new { consultationId = id, number = 1 }, executor);
        Assert.Empty(Errors(done));
        Assert.True(done["consultation"]!["actionItems"]![0]!["done"]!.GetValue<bool>());
        Assert.Equal("mtg.executor@demo.test", done["consultation"]!["actionItems"]![0]!["doneBy"]!.GetValue<string>());
        Assert.Equal([("number", "ALREADY_EXISTS")], Errors(await RunAsync(Complete, "completeActionItem", new { consultationId = id, number = 1 }, executor)));
        Assert.Equal([("number", "NOT_FOUND")], Errors(await RunAsync(Complete, "completeActionItem", new { consultationId = id, number = 9 }, executor)));

        // The next meeting (in a week): Medemblik's item, due today and still open, is on its agenda; the done and the later ones are not.
        var next = (await RunAsync(Schedule, "scheduleConsultation", new { arrangementId = arrangement, level = "TACTICAL", title = "Contractoverleg december", scheduledAt = DateTimeOffset.UtcNow.AddDays(7) }, executor))["consultation"]!;
        Assert.False(next["viewerCan"]!["recordMinutes"]!.GetValue<bool>()); // not before its day
        var nextId = next["key"]!.GetValue<string>();
        Assert.Equal([("consultationId", "NOT_OPEN")], Errors(await RunAsync(Minutes, "recordConsultationMinutes", new { consultationId = nextId, minutes = "Te vroeg" }, executor)));
        var agenda = (await fixture.DataAsync("query($id: ID!) { consultation(id: $id) { notKept { consultationKey item { number text owner } } } }", new { id = nextId }, token: medemblik))["consultation"]!["notKept"]!.AsArray();
        var carried = Assert.Single(agenda)!;
        Assert.Equal((id, 2, "GM0420"), (carried["consultationKey"]!.GetValue<string>(), carried["item"]!["number"]!.GetValue<int>(), carried["item"]!["owner"]!.GetValue<string>()));

        // Listed per party, and open only.
        var open = (await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { consultations { key } actionItems(open: true) { item { owner } } medemblik: actionItems(owner: \"GM0420\") { item { number } } } }", new { id = arrangement }, token: medemblik))["arrangement"]!;
        Assert.Equal(2, open["consultations"]!.AsArray().Count);
        Assert.Equal(["GM0420", "GM0405"], open["actionItems"]!.AsArray().Select(a => a!["item"]!["owner"]!.GetValue<string>()));
        Assert.Equal([2], open["medemblik"]!.AsArray().Select(a => a!["item"]!["number"]!.GetValue<int>()));

        // Residents and other tenants see none of it.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync("query($id: ID!) { consultation(id: $id) { title } }", new { id }, token: await fixture.TokenAsync("citizen@demo.test"))).Status);
        Assert.Empty((await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { consultations { key } } }", new { id = arrangement }, token: await fixture.TokenAsync("admin.amsterdam@demo.test")))["arrangement"]!["consultations"]!.AsArray());
    }

    [Fact]
    public async Task Minutes_without_an_owner_or_with_a_due_date_before_the_meeting_and_other_wrong_input_are_named_and_nothing_is_stored()
    {
        var arrangement = await ArrangementAsync();
        var manager = await fixture.DedicatedStaffTokenAsync("mtg.manager@demo.test", "GM0405", "contract-manager");

        var wrongSchedule = await RunAsync(Schedule, "scheduleConsultation", new { arrangementId = arrangement, level = "STRATEGIC", title = " ", scheduledAt = DateTimeOffset.UtcNow.AddDays(-10), agenda = new[] { "" } }, manager);
        Assert.Equal([("title", "REQUIRED"), ("scheduledAt", "OUT_OF_RANGE"), ("agenda[0]", "REQUIRED")], Errors(wrongSchedule));
        var (levelStatus, levelBody) = await fixture.PostAsync(Schedule, new { input = new { arrangementId = arrangement, level = "WEEKLY", title = "Overleg", scheduledAt = DateTimeOffset.UtcNow } }, token: manager);
        Assert.Equal(HttpStatusCode.BadRequest, levelStatus);
        Assert.Contains("WEEKLY", levelBody["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync(Schedule, new { input = new { arrangementId = arrangement, level = "STRATEGIC", title = "Overleg", scheduledAt = DateTimeOffset.UtcNow } }, token: await fixture.TokenAsync("citizen@demo.test"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.PostAsync(Schedule, new { input = new { arrangementId = arrangement, level = "STRATEGIC", title = "Overleg", scheduledAt = DateTimeOffset.UtcNow } })).Status);

        var id = (await RunAsync(Schedule, "scheduleConsultation", new { arrangementId = arrangement, level = "OPERATIONAL", title = "Werkoverleg", scheduledAt = DateTimeOffset.UtcNow }, manager))["consultation"]!["key"]!.GetValue<string>();
        var wrongMinutes = await RunAsync(Minutes, "recordConsultationMinutes", new
        {
            consultationId = id,
            minutes = "Besproken",
            actionItems = new object[]
            {
                new { text = "Zonder eigenaar", due = Day(3) },
                new { text = "Te vroeg", owner = "GM0405", due = Day(-1) },
                new { text = "Onbekende partij", owner = "GM0363", due = Day(3) },
                new { text = "Zonder datum", owner = "GM0405" },
            },
        }, manager);
        Assert.Equal([("actionItems[0].owner", "REQUIRED"), ("actionItems[1].due", "INVALID_PERIOD"), ("actionItems[2].owner", "NOT_FOUND"), ("actionItems[3].due", "REQUIRED")], Errors(wrongMinutes));
        var (dateStatus, _) = await fixture.PostAsync(Minutes, new { input = new { consultationId = id, minutes = "x", actionItems = new[] { new { text = "x", owner = "GM0405", due = "morgen" } } } }, token: manager);
        Assert.Equal(HttpStatusCode.BadRequest, dateStatus);
        Assert.Equal([("minutes", "TOO_LONG")], Errors(await RunAsync(Minutes, "recordConsultationMinutes", new { consultationId = id, minutes = new string('x', 20_001) }, manager)));
        Assert.Equal([("consultationId", "NOT_FOUND")], Errors(await RunAsync(Complete, "completeActionItem", new { consultationId = "mtg-does-not-exist", number = 1 }, manager)));

        var stored = (await fixture.DataAsync($"query($id: ID!) {{ consultation(id: $id) {{ {Fields} }} }}", new { id }, token: manager))["consultation"]!;
        Assert.Equal(("SCHEDULED", 0), (stored["status"]!.GetValue<string>(), stored["actionItems"]!.AsArray().Count));
        Assert.Null(stored["minutes"]);
    }
}
