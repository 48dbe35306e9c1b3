using System.Net;
using System.Text.Json.Nodes;
using Platform.Domain.Plans;
using Platform.Domain.Proposals;

namespace Platform.Gateway.Tests;

/// <summary>
/// Plans through GraphQL: the executing organisation drafts a plan, saves a second version and proposes it; the proposal
/// carries the latest text and the plan is fixed. Missing and wrong-typed fields are request errors, too-long ones are
/// named, a member's or a stranger's draft is refused, a plan proposed twice or one that does not exist is named, and
/// nothing is stored by any of them. The members read the plans; a resident and another tenant do not.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PlanTests(GatewayFixture fixture)
{
    private const string Save = """
        mutation($input: SavePlanDraftInput!) { savePlanDraft(input: $input) { plan { key number title period text status versions { version note } viewerCanEdit proposalKey } userErrors { field code message } } }
        """;

    private const string Propose = """
        mutation($input: ProposePlanInput!) { proposePlan(input: $input) { plan { status proposalKey viewerCanEdit proposal { kind title text proposerMunicipality phase } } userErrors { field code message } } }
        """;

    private const string Read = "query($id: ID!) { arrangement(id: $id) { plans { viewerCanDraft items { number title status versions { version } } } } }";

    private static List<(string Field, string Code)> Errors(JsonNode payload) =>
        [.. payload["userErrors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))];

    [Fact]
    public async Task The_executor_drafts_in_versions_and_proposes_once_and_bad_input_changes_nothing()
    {
        var arrangement = $"plan-{Guid.NewGuid():N}"[..18];
        var operatorToken = await fixture.DedicatedOperatorTokenAsync("plans.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Gladheid West-Friesland\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"strooien\", name: \"Strooien\" }] }) { userErrors { code } } }", new { key = arrangement }, token: operatorToken);
        await fixture.DataAsync("mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: \"GM0405\" }) { userErrors { code } } }", new { key = arrangement }, token: operatorToken);
        var executor = await fixture.DedicatedStaffTokenAsync("plans.executor@demo.test", "afvalbedrijf-nhn", "executor-staff");
        var manager = await fixture.DedicatedStaffTokenAsync("plans.manager@demo.test", "GM0405", "contract-manager");
        var stranger = await fixture.DedicatedStaffTokenAsync("plans.stranger@demo.test", "gladheidsdienst-amstelland", "executor-staff");

        // Refused before anything is stored: a member drafts, another organisation drafts, fields missing, wrong types, too long.
        var draft = new { arrangementId = arrangement, title = "Gladheidsplan", period = "winter 2026-2027", text = "Hoofdroutes voor 07:00 gestrooid." };
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync(Save, new { input = draft }, token: manager)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync(Save, new { input = draft }, token: stranger)).Status);
        var (missingStatus, missingBody) = await fixture.PostAsync(Save, new { input = new { arrangementId = arrangement, title = "Plan" } }, token: executor);
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains("period", missingBody["errors"]![0]!["message"]!.GetValue<string>());
        var (typeStatus, _) = await fixture.PostAsync(Save, new { input = new { arrangementId = arrangement, number = "een", title = "Plan", period = "2027", text = "x" } }, token: executor);
        Assert.Equal(HttpStatusCode.BadRequest, typeStatus);
        var tooLong = (await fixture.DataAsync(Save, new { input = new { arrangementId = arrangement, title = new string('t', PlanRules.MaxTitle + 1), period = "2027", text = new string('x', ProposalRules.MaxTextLength + 1) } }, token: executor))["savePlanDraft"]!;
        Assert.Equal([("title", "TOO_LONG"), ("text", "TOO_LONG")], Errors(tooLong));
        Assert.Empty((await fixture.DataAsync(Read, new { id = arrangement }, token: executor))["arrangement"]!["plans"]!["items"]!.AsArray());

        // Drafted, then a second version with a note.
        var first = (await fixture.DataAsync(Save, new { input = draft }, token: executor))["savePlanDraft"]!;
        Assert.Empty(Errors(first));
        Assert.Equal(($"{arrangement}/1", 1, "DRAFT", true), (first["plan"]!["key"]!.GetValue<string>(), first["plan"]!["number"]!.GetValue<int>(),
            first["plan"]!["status"]!.GetValue<string>(), first["plan"]!["viewerCanEdit"]!.GetValue<bool>()));
        var second = (await fixture.DataAsync(Save, new { input = new { arrangementId = arrangement, number = 1, title = "Gladheidsplan", period = "winter 2026-2027", text = "Hoofdroutes voor 06:30; buffer 1.400 ton.", note = "Na het zouttekort" } }, token: executor))["savePlanDraft"]!["plan"]!;
        Assert.Equal([(2, "Na het zouttekort"), (1, (string?)null)], second["versions"]!.AsArray().Select(v => (v!["version"]!.GetValue<int>(), v["note"]?.GetValue<string>())));
        var unknown = (await fixture.DataAsync(Save, new { input = new { arrangementId = arrangement, number = 9, title = "x", period = "y", text = "z" } }, token: executor))["savePlanDraft"]!;
        Assert.Equal([("number", "NOT_FOUND")], Errors(unknown));

        // The member reads it and may not draft; a resident and another tenant's staff see no plans.
        var seen = (await fixture.DataAsync(Read, new { id = arrangement }, token: manager))["arrangement"]!["plans"]!;
        Assert.False(seen["viewerCanDraft"]!.GetValue<bool>());
        Assert.Equal(2, seen["items"]![0]!["versions"]!.AsArray().Count);
        Assert.Null((await fixture.DataAsync(Read, new { id = arrangement }, token: await fixture.TokenAsync("citizen@demo.test")))["arrangement"]!["plans"]);
        Assert.Null((await fixture.DataAsync(Read, new { id = arrangement }, token: await fixture.TokenAsync("admin.amsterdam@demo.test")))["arrangement"]!["plans"]);

        // Proposed: a member may not, a motivation is needed, a plan that does not exist is named; then once, and it is fixed.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync(Propose, new { input = new { arrangementId = arrangement, number = 1, motivation = "Vaststellen" } }, token: manager)).Status);
        Assert.Equal([("motivation", "REQUIRED")], Errors((await fixture.DataAsync(Propose, new { input = new { arrangementId = arrangement, number = 1, motivation = " " } }, token: executor))["proposePlan"]!));
        Assert.Equal([("number", "NOT_FOUND")], Errors((await fixture.DataAsync(Propose, new { input = new { arrangementId = arrangement, number = 4, motivation = "Vaststellen" } }, token: executor))["proposePlan"]!));
        var proposed = (await fixture.DataAsync(Propose, new { input = new { arrangementId = arrangement, number = 1, motivation = "Na het zouttekort: een grotere buffer." } }, token: executor))["proposePlan"]!;
        Assert.Empty(Errors(proposed));
        var plan = proposed["plan"]!;
        Assert.Equal(("PROPOSED", false), (plan["status"]!.GetValue<string>(), plan["viewerCanEdit"]!.GetValue<bool>()));
        Assert.Equal(("PLAN_ADOPTION", "Gladheidsplan (winter 2026-2027)", "Hoofdroutes voor 06:30; buffer 1.400 ton.", "afvalbedrijf-nhn", "OPINION"),
            (plan["proposal"]!["kind"]!.GetValue<string>(), plan["proposal"]!["title"]!.GetValue<string>(), plan["proposal"]!["text"]!.GetValue<string>(),
             plan["proposal"]!["proposerMunicipality"]!.GetValue<string>(), plan["proposal"]!["phase"]!.GetValue<string>()));
        Assert.Equal([("number", "ALREADY_EXISTS")], Errors((await fixture.DataAsync(Propose, new { input = new { arrangementId = arrangement, number = 1, motivation = "Nog eens" } }, token: executor))["proposePlan"]!));
        Assert.Equal([("number", "ILLEGAL_TRANSITION")], Errors((await fixture.DataAsync(Save, new { input = new { arrangementId = arrangement, number = 1, title = "Gladheidsplan", period = "winter 2026-2027", text = "Toch anders." } }, token: executor))["savePlanDraft"]!));
        var after = (await fixture.DataAsync(Read, new { id = arrangement }, token: executor))["arrangement"]!["plans"]!["items"]!.AsArray();
        Assert.Equal(("PROPOSED", 2), (after[0]!["status"]!.GetValue<string>(), after[0]!["versions"]!.AsArray().Count));
        // The proposal is public, under its own key.
        Assert.Equal(plan["proposalKey"]!.GetValue<string>(), (await fixture.DataAsync("query($id: ID!) { proposal(id: $id) { key } }", new { id = plan["proposalKey"]!.GetValue<string>() }))["proposal"]!["key"]!.GetValue<string>());
    }
}
