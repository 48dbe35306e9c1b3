using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

/// <summary>
/// Incidents through GraphQL with the demo people: the executing organisation reports, a contract manager raises it a
/// level, the level decides once, an alderman marks it political and resolves it; a skipped level, missing and wrong
/// input and a resident are refused with nothing changed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class IncidentTests(GatewayFixture fixture)
{
    private const string Fields = "key title level status political steps { level reason by note decideBy decision decidedBy } viewerCan { decide raise }";

    private static readonly string Report = $$"""
        mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { incident { {{Fields}} } userErrors { field code message } } }
        """;

    private static readonly string Raise = $$"""
        mutation($input: RaiseIncidentInput!) { raiseIncident(input: $input) { incident { {{Fields}} } userErrors { field code message } } }
        """;

    private static readonly string Decide = $$"""
        mutation($input: DecideIncidentInput!) { decideIncident(input: $input) { incident { {{Fields}} } userErrors { field code message } } }
        """;

    private static List<(string, string)> Errors(JsonNode payload) =>
        [.. payload["userErrors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))];

    /// <summary>A fresh arrangement of Hoorn (the demo people's municipality) run by the demo executing organisation.</summary>
    private async Task<string> ArrangementAsync()
    {
        var key = $"strooi-{Guid.NewGuid():N}"[..18];
        // Accounts of these tests only: their writes spend no other test's rate limit (120 a minute per account).
        var token = await fixture.DedicatedOperatorTokenAsync("incident.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Gladheid West-Friesland\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"strooien\", name: \"Strooien\" }] }) { userErrors { code } } }", new { key }, token: token);
        await fixture.DataAsync("mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: \"GM0405\" }) { userErrors { code } } }", new { key }, token: token);
        return key;
    }

    private Task<string> ExecutorAsync() => fixture.DedicatedStaffTokenAsync("incident.executor@demo.test", "afvalbedrijf-nhn", "executor-staff");

    [Fact]
    public async Task The_salt_runs_out_reported_raised_decided_at_each_level_and_resolved_by_the_alderman()
    {
        var arrangement = await ArrangementAsync();
        var executor = await ExecutorAsync();
        var manager = await fixture.DedicatedStaffTokenAsync("incident.manager@demo.test", "GM0405", "contract-manager");
        var alderman = await fixture.DedicatedStaffTokenAsync("incident.alderman@demo.test", "GM0405", "alderman");

        // The arrangement tells each caller whether they may report: its executing organisation and members' contract managers.
        const string MayReport = "query($id: ID!) { arrangement(id: $id) { viewerCan { reportIncidents } } }";
        async Task<bool> MayReportAsync(string? token) =>
            (await fixture.DataAsync(MayReport, new { id = arrangement }, token: token))["arrangement"]!["viewerCan"]!["reportIncidents"]!.GetValue<bool>();
        var citizen = await fixture.TokenAsync("citizen@demo.test");
        var answers = new List<bool>();
        foreach (var token in new[] { executor, manager, alderman, citizen, null }) answers.Add(await MayReportAsync(token));
        Assert.Equal([true, true, false, false, false], answers);

        var reported = (await fixture.DataAsync(Report, new { input = new { arrangementId = arrangement, title = "Het strooizout is op", description = "De loods is leeg; de leverancier levert pas vrijdag." } }, token: executor))["reportIncident"]!;
        Assert.Empty(Errors(reported));
        var incident = reported["incident"]!;
        var key = incident["key"]!.GetValue<string>();
        Assert.Equal(("OPERATIONS", "OPEN"), (incident["level"]!.GetValue<string>(), incident["status"]!.GetValue<string>()));
        Assert.Equal("incident.executor@demo.test", incident["steps"]![0]!["by"]!.GetValue<string>());
        Assert.NotNull(incident["steps"]![0]!["decideBy"]);
        Assert.True(incident["viewerCan"]!["decide"]!.GetValue<bool>());

        // Straight to the aldermen without marking it political skips a level: refused, nothing moves.
        var skipped = (await fixture.DataAsync(Raise, new { input = new { incidentId = key, to = "ALDERMEN_COMMITTEE", note = "Meteen naar de wethouder" } }, token: manager))["raiseIncident"]!;
        Assert.Equal([("to", "SKIPS_A_STEP")], Errors(skipped));
        var raised = (await fixture.DataAsync(Raise, new { input = new { incidentId = key, to = "CONTRACT_MANAGERS", note = "Buurregio's vragen om zout" } }, token: manager))["raiseIncident"]!;
        Assert.Empty(Errors(raised));
        Assert.Equal(("CONTRACT_MANAGERS", "RAISED", "incident.manager@demo.test"), (raised["incident"]!["level"]!.GetValue<string>(), raised["incident"]!["steps"]![1]!["reason"]!.GetValue<string>(), raised["incident"]!["steps"]![1]!["by"]!.GetValue<string>()));

        var decided = (await fixture.DataAsync(Decide, new { input = new { incidentId = key, decision = "Zout lenen bij Medemblik tot vrijdag" } }, token: manager))["decideIncident"]!;
        Assert.Empty(Errors(decided));
        Assert.False(decided["incident"]!["viewerCan"]!["decide"]!.GetValue<bool>());
        var twice = (await fixture.DataAsync(Decide, new { input = new { incidentId = key, decision = "Toch iets anders" } }, token: manager))["decideIncident"]!;
        Assert.Equal([("decision", "ALREADY_EXISTS")], Errors(twice));

        // The school calls the alderman: political, to the committee, which resolves it.
        var political = (await fixture.DataAsync(Raise, new { input = new { incidentId = key, to = "ALDERMEN_COMMITTEE", note = "Ouders bellen de wethouder", political = true } }, token: alderman))["raiseIncident"]!;
        Assert.Empty(Errors(political));
        Assert.True(political["incident"]!["political"]!.GetValue<bool>());
        var resolved = (await fixture.DataAsync(Decide, new { input = new { incidentId = key, decision = "Zout inkopen als meerwerk; strooiplan aanpassen", resolves = true } }, token: alderman))["decideIncident"]!;
        Assert.Empty(Errors(resolved));
        Assert.Equal(("RESOLVED", 3), (resolved["incident"]!["status"]!.GetValue<string>(), resolved["incident"]!["steps"]!.AsArray().Count));

        // Listed on the arrangement for its people, not for anonymous callers; a resident is refused the incident itself.
        var listed = (await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { incidents { key status } } }", new { id = arrangement }, token: manager))["arrangement"]!["incidents"]!.AsArray();
        Assert.Equal([key], listed.Select(i => i!["key"]!.GetValue<string>()));
        Assert.Empty((await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { incidents { key } } }", new { id = arrangement }))["arrangement"]!["incidents"]!.AsArray());
        var (status, body) = await fixture.PostAsync("query($id: ID!) { incident(id: $id) { title } }", new { id = key }, token: await fixture.TokenAsync("citizen@demo.test"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_long_and_wrongly_typed_input_and_unknown_ids_are_named_and_nothing_is_stored()
    {
        var arrangement = await ArrangementAsync();
        var executor = await ExecutorAsync();

        var missing = (await fixture.DataAsync(Report, new { input = new { arrangementId = arrangement, title = " ", description = new string('x', 4_001) } }, token: executor))["reportIncident"]!;
        Assert.Equal([("title", "REQUIRED"), ("description", "TOO_LONG")], Errors(missing));
        var unknown = (await fixture.DataAsync(Report, new { input = new { arrangementId = "no-such-arrangement", title = "Zout op", description = "Leeg" } }, token: executor))["reportIncident"]!;
        Assert.Equal([("arrangementId", "NOT_FOUND")], Errors(unknown));
        Assert.Empty((await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { incidents { key } } }", new { id = arrangement }, token: executor))["arrangement"]!["incidents"]!.AsArray());

        var (typeStatus, typeBody) = await fixture.PostAsync(Raise, new { input = new { incidentId = "inc-x", to = "UPWARDS", note = "x" } }, token: executor);
        Assert.Equal(HttpStatusCode.BadRequest, typeStatus);
        Assert.Contains("UPWARDS", typeBody["errors"]![0]!["message"]!.GetValue<string>());
        var noIncident = (await fixture.DataAsync(Decide, new { input = new { incidentId = "inc-does-not-exist", decision = "Niets" } }, token: executor))["decideIncident"]!;
        Assert.Equal([("incidentId", "NOT_FOUND")], Errors(noIncident));
        Assert.Null((await fixture.DataAsync("query { incident(id: \"inc-does-not-exist\") { key } }", token: executor))["incident"]);

        var (anonymousStatus, _) = await fixture.PostAsync(Report, new { input = new { arrangementId = arrangement, title = "Zout op", description = "Leeg" } });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStatus);
    }
}
