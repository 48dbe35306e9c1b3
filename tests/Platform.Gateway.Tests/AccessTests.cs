using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Platform.Tests.Shared;
using Xunit.Abstractions;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class AccessTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private const string Viewer = "{ viewer { kind subject organisation roles scopes } }";

    private static string Code(JsonNode body) => body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    [Fact]
    public async Task Without_a_token_the_caller_is_anonymous_and_reads_public_data()
    {
        var data = await fixture.DataAsync("""{ viewer { kind } arrangement(id: "afval-nhn") { name } }""");

        Assert.Equal("ANONYMOUS", data["viewer"]!["kind"]!.GetValue<string>());
        Assert.NotNull(data["arrangement"]);
    }

    [Fact]
    public async Task A_signed_in_person_is_known_by_email_organisation_and_roles()
    {
        var data = await fixture.DataAsync(Viewer, token: await fixture.TokenAsync("manager@demo.test"));

        var viewer = data["viewer"]!;
        Assert.Equal(("USER", "manager@demo.test", "GM0405"), (viewer["kind"]!.GetValue<string>(), viewer["subject"]!.GetValue<string>(), viewer["organisation"]!.GetValue<string>()));
        Assert.Equal(["contract-manager"], viewer["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task A_partner_client_is_known_by_client_id_organisation_and_scopes()
    {
        var data = await fixture.DataAsync(Viewer, token: await fixture.TokenAsync("demo-partner-readonly"));

        var viewer = data["viewer"]!;
        Assert.Equal(("PARTNER", "demo-partner-readonly", "GM0405"), (viewer["kind"]!.GetValue<string>(), viewer["subject"]!.GetValue<string>(), viewer["organisation"]!.GetValue<string>()));
        Assert.Equal(["arrangements:read"], viewer["scopes"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task A_partner_with_the_write_scope_publishes_tariffs_and_one_without_it_gets_403()
    {
        var key = await ArrangementOfHoornAsync();
        var publish = """
            mutation($id: ID!) { publishTariffSchedule(input: { arrangementId: $id, tariffs: [{ serviceCode: "bouwpuin", amount: 31.00, unitQuantity: 0.5, unitMeasure: "m³", validFrom: "2026-01-01" }] }) { userErrors { code } } }
            """;

        var (readOnlyStatus, readOnlyBody) = await fixture.PostAsync(publish, new { id = key }, token: await fixture.TokenAsync("demo-partner-readonly"));
        var writer = await fixture.DataAsync(publish, new { id = key }, token: await fixture.TokenAsync("demo-partner"));

        Assert.Equal(HttpStatusCode.Forbidden, readOnlyStatus);
        Assert.Equal("FORBIDDEN", Code(readOnlyBody));
        Assert.Contains("arrangements:write", readOnlyBody["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Empty(writer["publishTariffSchedule"]!["userErrors"]!.AsArray());
    }

    [Fact]
    public async Task The_admin_of_a_member_admits_a_member()
    {
        var key = await ArrangementOfHoornAsync();
        await fixture.DataAsync("""mutation { onboardMunicipality(input: { code: "GM0398", name: "Heerhugowaard", inhabitants: 58000, inhabitantsReferenceDate: "2024-01-01" }) { userErrors { code } } }""", token: await fixture.DedicatedOperatorTokenAsync("access.operator@demo.test"));

        var data = await fixture.DataAsync("mutation($id: ID!) { addMember(input: { arrangementId: $id, municipalityCode: \"GM0398\" }) { userErrors { code } member { municipality { code } } } }",
            new { id = key }, token: await fixture.TokenAsync("admin@demo.test"));

        Assert.Empty(data["addMember"]!["userErrors"]!.AsArray());
        Assert.Equal("GM0398", data["addMember"]!["member"]!["municipality"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_anonymous_mutation_gets_401_with_a_bearer_challenge_and_changes_nothing()
    {
        using var client = fixture.CreateClient();
        using var response = await client.PostAsync("/graphql", Json("""mutation { createArrangement(input: { key: "anon-try", name: "X", executingOrganisationId: "afvalbedrijf-nhn", services: [] }) { userErrors { code } } }"""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("UNAUTHENTICATED", Code(body));
        Assert.Null((await fixture.DataAsync("""{ arrangement(id: "anon-try") { name } }"""))["arrangement"]);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("expired")]
    [InlineData("foreign-issuer")]
    [InlineData("wrong-audience")]
    [InlineData("garbage")]
    public async Task A_bad_token_gets_401_even_for_public_data(string kind)
    {
        var valid = await fixture.TokenAsync("operator@demo.test");
        var token = kind switch
        {
            "tampered" => Tamper(valid),
            "expired" => Resign(valid, p => { p["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(); p["iat"] = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds(); }),
            "foreign-issuer" => Resign(valid, p => p["iss"] = "http://127.0.0.1:1/"),
            "wrong-audience" => Resign(valid, p => p["aud"] = "another-api"),
            _ => "not-a-token",
        };

        var (status, body) = await fixture.PostAsync(Viewer, token: token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("INVALID_TOKEN", Code(body));
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task A_resigned_but_otherwise_unchanged_token_is_accepted()
    {
        // The control for the bad-token cases: the forging itself is sound, only the changed claim fails.
        var token = Resign(await fixture.TokenAsync("operator@demo.test"), _ => { });

        var data = await fixture.DataAsync(Viewer, token: token);

        Assert.Equal("operator@demo.test", data["viewer"]!["subject"]!.GetValue<string>());
    }

    public static readonly string[] TenantACallers =
    [
        "anonymous", "citizen@demo.test", "admin@demo.test", "manager@demo.test", "board@demo.test", "alderman@demo.test",
        "executor@demo.test", "demo-partner", "demo-partner-readonly",
    ];

    /// <summary>How each mutation is aimed at tenant B (Amsterdam and its gritting arrangement).</summary>
    private static readonly Dictionary<string, string> AgainstTenantB = new()
    {
        ["onboardMunicipality"] = """mutation { onboardMunicipality(input: { code: "GM0363", name: "Amsterdam", inhabitants: 1, inhabitantsReferenceDate: "2024-01-01" }) { userErrors { code } } }""",
        ["setPortalTheme"] = """mutation { setPortalTheme(input: { municipalityCode: "GM0363", theme: "utrecht" }) { userErrors { code } } }""",
        ["setPortalColours"] = """mutation { setPortalColours(input: { municipalityCode: "GM0363", brand: "#004d40", brandText: "#ffffff", accent: "#8a1538" }) { userErrors { code } } }""",
        ["createArrangement"] = """mutation { createArrangement(input: { key: "gladheid-amstelland", name: "Takeover", executingOrganisationId: "afvalbedrijf-nhn", services: [] }) { userErrors { code } } }""",
        ["addMember"] = """mutation { addMember(input: { arrangementId: "gladheid-amstelland", municipalityCode: "GM0405" }) { userErrors { code } } }""",
        // Without the secret from tenant B's mail, a guess (here a well-formed one) finds nothing.
        ["confirmComplaint"] = """mutation { confirmComplaint(input: { followToken: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }) { userErrors { code } } }""",
        ["endMembership"] = """mutation { endMembership(input: { arrangementId: "gladheid-amstelland", municipalityCode: "GM0363", lastDay: "2099-12-31" }) { userErrors { code } } }""",
        ["approveOnboarding"] = """mutation { approveOnboarding(input: { code: "GM0362" }) { userErrors { code } } }""",
        ["rejectOnboarding"] = """mutation { rejectOnboarding(input: { code: "GM0362", reason: "No" }) { userErrors { code } } }""",
        ["fileComplaint"] = """mutation { fileComplaint(input: { arrangementId: "gladheid-amstelland", serviceCode: "strooien-fietspaden", description: "Not gritted", location: { address: "Dam 1, Amsterdam" } }) { complaint { key } userErrors { code } } }""",
        ["followReport"] = """mutation { followReport(input: { complaintId: "{complaintB}" }) { following userErrors { code } } }""",
        ["unfollowReport"] = """mutation { unfollowReport(input: { complaintId: "{complaintB}" }) { following userErrors { code } } }""",
        ["transitionComplaint"] = """mutation { transitionComplaint(input: { complaintId: "{complaintB}", action: RESOLVE }) { complaint { key } userErrors { code } } }""",
        ["proposeChange"] = """mutation { proposeChange(input: { arrangementId: "gladheid-amstelland", kind: POLICY_DECISION, title: "Takeover", motivation: "x", text: "We decide for you." }) { userErrors { code } } }""",
        ["submitOpinion"] = """mutation { submitOpinion(input: { proposalId: "p-demo-strooiplan", text: "Not yours to say" }) { userErrors { code } } }""",
        ["castVote"] = """mutation { castVote(input: { proposalId: "p-demo-strooiplan", choice: NO }) { userErrors { code } } }""",
        ["supportProposal"] = """mutation { supportProposal(input: { proposalId: "p-demo-strooiplan" }) { userErrors { code } } }""",
        ["commentOnProposal"] = """mutation { commentOnProposal(input: { proposalId: "p-demo-strooiplan", text: "Spam" }) { userErrors { code } } }""",
        ["hideProposalComment"] = """mutation { hideProposalComment(input: { proposalId: "p-demo-strooiplan", commentNumber: 1, reason: "Censored" }) { userErrors { code } } }""",
        ["setDecisionRule"] = """mutation { setDecisionRule(input: { arrangementId: "gladheid-amstelland", kind: PLAN_ADOPTION, weights: ONE_PER_MEMBER, quorum: { numerator: 0, denominator: 1 }, threshold: SIMPLE_MAJORITY, abstentions: IGNORED, opinionDays: 0, votingDays: 1 }) { userErrors { code } } }""",
        ["registerOrganisation"] = """mutation { registerOrganisation(input: { id: "gladheidsdienst-amstelland", name: "Takeover", adminEmail: "x@evil.test", adminName: "X" }) { userErrors { code } } }""",
        ["invitePerson"] = """mutation { invitePerson(input: { organisationId: "GM0363", email: "mole@evil.test", name: "Mole", role: "municipality-admin" }) { userErrors { code } } }""",
        ["changePersonRole"] = """mutation { changePersonRole(input: { organisationId: "GM0363", email: "admin.amsterdam@demo.test", role: "alderman" }) { userErrors { code } } }""",
        ["removePerson"] = """mutation { removePerson(input: { organisationId: "GM0363", email: "admin.amsterdam@demo.test" }) { userErrors { code } } }""",
        ["createPartnerClient"] = """mutation { createPartnerClient(input: { organisationId: "GM0363", name: "Mole", scopes: ["complaints:read"] }) { secret userErrors { code } } }""",
        ["rotatePartnerClientSecret"] = """mutation { rotatePartnerClientSecret(input: { organisationId: "GM0363", clientId: "demo-partner-amsterdam" }) { secret userErrors { code } } }""",
        ["revokePartnerClient"] = """mutation { revokePartnerClient(input: { organisationId: "GM0363", clientId: "demo-partner-amsterdam" }) { userErrors { code } } }""",
        ["createOpen311Key"] = """mutation { createOpen311Key(input: { organisationId: "GM0363", name: "Mole" }) { apiKey userErrors { code } } }""",
        ["revokeOpen311Key"] = """mutation { revokeOpen311Key(input: { organisationId: "GM0363", keyId: "k1" }) { userErrors { code } } }""",
        // An unsubscribe link for a person of tenant B, its signature forged: the link is the only credential, and it fails.
        ["unsubscribe"] = """mutation { unsubscribe(input: { person: "admin.amsterdam@demo.test", kind: "complaint-updates", token: "Zm9yZ2VkLXNpZ25hdHVyZS1mb3ItdGVuYW50LUI" }) { unsubscribed userErrors { code } } }""",
        ["registerWebhook"] = """mutation { registerWebhook(input: { organisationId: "GM0363", url: "https://mole.example/hook", eventTypes: ["nl.regelingen.complaint.filed"] }) { secret userErrors { code } } }""",
        ["removeWebhook"] = """mutation { removeWebhook(input: { organisationId: "GM0363", webhookId: "wh-000000000000" }) { done userErrors { code } } }""",
        ["redeliverWebhook"] = """mutation { redeliverWebhook(input: { organisationId: "GM0363", deliveryId: "1" }) { done userErrors { code } } }""",
        ["reportIncident"] = """mutation { reportIncident(input: { arrangementId: "gladheid-amstelland", title: "Takeover", description: "Reported in another tenant's name" }) { userErrors { code } } }""",
        ["raiseIncident"] = """mutation { raiseIncident(input: { incidentId: "{incidentB}", to: CONTRACT_MANAGERS, note: "Pushed by a stranger" }) { userErrors { code } } }""",
        ["decideIncident"] = """mutation { decideIncident(input: { incidentId: "{incidentB}", decision: "Decided by a stranger", resolves: true }) { userErrors { code } } }""",
        ["requestExtraWork"] = """mutation { requestExtraWork(input: { arrangementId: "gladheid-amstelland", title: "Takeover", description: "Extra work charged to another tenant" }) { userErrors { code } } }""",
        ["quoteExtraWork"] = """mutation { quoteExtraWork(input: { extraWorkId: "{extraWorkB}", amount: 1.00, note: "Quoted by a stranger" }) { userErrors { code } } }""",
        ["approveExtraWorkQuote"] = """mutation { approveExtraWorkQuote(input: { extraWorkId: "{extraWorkB}" }) { userErrors { code } } }""",
        ["declineExtraWorkQuote"] = """mutation { declineExtraWorkQuote(input: { extraWorkId: "{extraWorkB}", reason: "Declined by a stranger" }) { userErrors { code } } }""",
        ["invoiceExtraWork"] = """mutation { invoiceExtraWork(input: { extraWorkId: "{extraWorkB}", amount: 1.00 }) { userErrors { code } } }""",
        ["scheduleConsultation"] = """mutation { scheduleConsultation(input: { arrangementId: "gladheid-amstelland", level: TACTICAL, title: "Takeover", scheduledAt: "2030-01-07T09:00:00Z" }) { userErrors { code } } }""",
        ["recordConsultationMinutes"] = """mutation { recordConsultationMinutes(input: { consultationId: "{consultationB}", minutes: "Written by a stranger", actionItems: [{ text: "x", owner: "GM0363", due: "2030-01-01" }] }) { userErrors { code } } }""",
        ["completeActionItem"] = """mutation { completeActionItem(input: { consultationId: "{consultationB}", number: 1 }) { userErrors { code } } }""",
        ["defineIndicator"] = """mutation { defineIndicator(input: { arrangementId: "gladheid-amstelland", goal: "Veiligheid", name: "Takeover", unit: "%", target: 1, direction: AT_LEAST, period: MONTH }) { userErrors { code } } }""",
        ["removeIndicator"] = """mutation { removeIndicator(input: { arrangementId: "gladheid-amstelland", indicatorKey: "ind-1" }) { userErrors { code } } }""",
        ["reportIndicatorFigure"] = """mutation { reportIndicatorFigure(input: { arrangementId: "gladheid-amstelland", indicatorKey: "ind-1", period: "{lastMonth}", value: 1, unit: "%" }) { userErrors { code } } }""",
        ["makePerformanceAgreementDefinitive"] = """mutation { makePerformanceAgreementDefinitive(input: { arrangementId: "gladheid-amstelland", proposalId: "p-demo-strooiplan" }) { userErrors { code } } }""",
        ["setPriceReviewInterval"] = """mutation { setPriceReviewInterval(input: { arrangementId: "gladheid-amstelland", years: 1 }) { userErrors { code } } }""",
        ["recordPriceReview"] = """mutation { recordPriceReview(input: { arrangementId: "gladheid-amstelland", reviewer: "Takeover", reviewedOn: "2026-01-01", summary: "x", findings: [{ serviceCode: "zoutlevering", advisedAmount: 1 }] }) { userErrors { code } } }""",
        ["savePlanDraft"] = """mutation { savePlanDraft(input: { arrangementId: "gladheid-amstelland", title: "Takeover", period: "winter", text: "Drafted in another tenant's name" }) { userErrors { code } } }""",
        ["proposePlan"] = """mutation { proposePlan(input: { arrangementId: "gladheid-amstelland", number: 1, motivation: "Proposed by a stranger" }) { userErrors { code } } }""",
        ["setExtraWorkBaseline"] = """mutation { setExtraWorkBaseline(input: { arrangementId: "gladheid-amstelland", municipalityCode: "GM0363", annualAmount: 1.00 }) { userErrors { code } } }""",
        ["publishTariffSchedule"] = """mutation { publishTariffSchedule(input: { arrangementId: "gladheid-amstelland", tariffs: [{ serviceCode: "zoutlevering", amount: 1, unitQuantity: 1, unitMeasure: "tonne", validFrom: "2030-01-01" }] }) { userErrors { code } } }""",
    };

    /// <summary>
    /// Mutations outside the matrix: anyone may apply (it touches no existing tenant's objects), and closing an
    /// account and changing notification settings have no tenant-B version, since they act only on the caller's own
    /// account (tested in AccountTests and NotificationTests).
    /// </summary>
    private static readonly HashSet<string> Public = ["applyForOnboarding", "closeMyAccount", "changeNotificationSettings"];

    [Fact]
    public async Task Isolation_matrix_every_caller_of_tenant_A_is_denied_every_mutation_on_tenant_B()
    {
        var schema = fixture.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var mutations = schema.Mutation!.Fields.Select(f => f.Name).Where(name => !Public.Contains(name)).ToList();
        output.WriteLine($"public mutations, outside the matrix: {string.Join(", ", Public)}");
        var missing = mutations.Except(AgainstTenantB.Keys).ToList();
        Assert.True(missing.Count == 0, $"No tenant-B request for: {string.Join(", ", missing)}; add one so the matrix covers it.");
        var before = await TenantBStateAsync();
        var peopleBefore = await PeopleOfTenantBAsync();

        var complaintB = await ComplaintOfTenantBAsync();
        var incidentB = await IncidentOfTenantBAsync();
        var extraWorkB = await ExtraWorkOfTenantBAsync();
        var consultationB = await ConsultationOfTenantBAsync();
        var performanceBefore = await PerformanceOfTenantBAsync();
        var lastMonth = DateTime.UtcNow.AddDays(-DateTime.UtcNow.Day).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var cells = new List<(string Caller, string Field, HttpStatusCode Status, string Code)>();
        foreach (var caller in TenantACallers)
        {
            var token = caller == "anonymous" ? null : await fixture.TokenAsync(caller);
            foreach (var mutation in mutations)
            {
                var request = AgainstTenantB[mutation].Replace("{complaintB}", complaintB).Replace("{incidentB}", incidentB).Replace("{extraWorkB}", extraWorkB).Replace("{consultationB}", consultationB).Replace("{lastMonth}", lastMonth);
                var (status, body) = await fixture.PostAsync(request, token: token);
                // The account's write limit (120 a minute, SecurityTests) is not what this matrix tests: wait it out once.
                if (status == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(TimeSpan.FromSeconds(61));
                    (status, body) = await fixture.PostAsync(request, token: token);
                }
                var payload = body["data"]?[mutation];
                var code = body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>()
                    ?? payload?["userErrors"]?.AsArray().FirstOrDefault()?["code"]?.GetValue<string>()
                    ?? "none";
                cells.Add((caller, mutation, status, code));
            }
            // Queries that take tenant B's ids answer nothing that is not public.
            var (_, read) = await fixture.PostAsync("query($id: ID!) { complaint(id: $id) { key } node(id: $id) { id } }", new { id = complaintB }, token: token);
            cells.Add((caller, "complaint(id)", HttpStatusCode.OK, read["data"]?["complaint"] is null && read["data"]?["node"] is null ? "HIDDEN" : "VISIBLE"));
            var (_, incident) = await fixture.PostAsync("""query($id: ID!) { incident(id: $id) { title } arrangement(id: "gladheid-amstelland") { incidents { key } } }""", new { id = incidentB }, token: token);
            cells.Add((caller, "incident(id)", HttpStatusCode.OK, incident["data"]?["incident"] is null && incident["data"]?["arrangement"]?["incidents"]?.AsArray().Count == 0 ? "HIDDEN" : "VISIBLE"));
            var (_, work) = await fixture.PostAsync("""query($id: ID!) { extraWork(id: $id) { title } arrangement(id: "gladheid-amstelland") { extraWork { key } extraWorkLedger { year } } }""", new { id = extraWorkB }, token: token);
            var (_, meeting) = await fixture.PostAsync("""query($id: ID!) { consultation(id: $id) { title } arrangement(id: "gladheid-amstelland") { consultations { key } actionItems { consultationKey } } }""", new { id = consultationB }, token: token);
            cells.Add((caller, "consultation(id)", HttpStatusCode.OK, meeting["data"]?["consultation"] is null && meeting["data"]?["arrangement"]?["consultations"]?.AsArray().Count == 0
                && meeting["data"]?["arrangement"]?["actionItems"]?.AsArray().Count == 0 ? "HIDDEN" : "VISIBLE"));
            var (_, performance) = await fixture.PostAsync("""{ arrangement(id: "gladheid-amstelland") { performance { status } } }""", token: token);
            cells.Add((caller, "performance", HttpStatusCode.OK, performance["data"]?["arrangement"] is { } a && a["performance"] is null ? "HIDDEN" : "VISIBLE"));
            var (_, plans) = await fixture.PostAsync("""{ arrangement(id: "gladheid-amstelland") { plans { items { title } } } }""", token: token);
            cells.Add((caller, "plans", HttpStatusCode.OK, plans["data"]?["arrangement"] is { } p && p["plans"] is null ? "HIDDEN" : "VISIBLE"));
            cells.Add((caller, "extraWork(id)", HttpStatusCode.OK, work["data"]?["extraWork"] is null && work["data"]?["arrangement"]?["extraWork"]?.AsArray().Count == 0
                && work["data"]?["arrangement"]?["extraWorkLedger"] is null ? "HIDDEN" : "VISIBLE"));
        }

        // Denied: 401 or 403, or (where the caller may use the operation at all) refused as input
        // that names tenant B's object, or, for reads, nothing returned.
        static bool Denied((string Caller, string Field, HttpStatusCode Status, string Code) c) =>
            (c.Status, c.Code) is (HttpStatusCode.Unauthorized, "UNAUTHENTICATED") or (HttpStatusCode.Forbidden, "FORBIDDEN")
            || (c.Status == HttpStatusCode.OK && c.Code is "NOT_FOUND" or "OUT_OF_RANGE" or "HIDDEN" or "ALREADY_EXISTS" or "INVALID_SIGNATURE");
        var denied = cells.Count(Denied);
        output.WriteLine($"isolation matrix: {TenantACallers.Length} callers x {mutations.Count + 1} operations = {cells.Count} cells, {denied} denied ({100.0 * denied / cells.Count:0.#}%)");
        foreach (var cell in cells) output.WriteLine($"  {cell.Caller,-24} {cell.Field,-22} {(int)cell.Status} {cell.Code}");
        Assert.True(cells.Count == denied, string.Join("\n", cells.Where(c => !Denied(c))));
        // Anonymous callers are refused with 401, except where the link's secret is the credential.
        Assert.All(cells.Where(c => c.Caller == "anonymous" && c.Field is not ("complaint(id)" or "incident(id)" or "extraWork(id)" or "consultation(id)" or "performance" or "plans" or "confirmComplaint" or "unsubscribe")), c => Assert.Equal(HttpStatusCode.Unauthorized, c.Status));
        Assert.Equal(before, await TenantBStateAsync());
        Assert.Equal(peopleBefore, await PeopleOfTenantBAsync());
        var complaint = await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { status history { action } } }", new { id = complaintB }, token: await fixture.TokenAsync("citizen.amsterdam@demo.test"));
        Assert.Equal("SUBMITTED", complaint["complaint"]!["status"]!.GetValue<string>());
        var incidentAfter = (await fixture.DataAsync("query($id: ID!) { incident(id: $id) { level status steps { decision } } }", new { id = incidentB }, token: await fixture.TokenAsync("executor.amstelland@demo.test")))["incident"]!;
        Assert.Equal(("OPERATIONS", "OPEN", 1), (incidentAfter["level"]!.GetValue<string>(), incidentAfter["status"]!.GetValue<string>(), incidentAfter["steps"]!.AsArray().Count));
        Assert.Null(incidentAfter["steps"]![0]!["decision"]);
        Assert.Single(complaint["complaint"]!["history"]!.AsArray());
        var amsterdam = await fixture.TokenAsync("admin.amsterdam@demo.test");
        var workAfter = (await fixture.DataAsync("query($id: ID!) { extraWork(id: $id) { status quote approvedAmount steps { status } } arrangement(id: \"gladheid-amstelland\") { extraWorkLedger { members { municipalityCode baseline } } } }",
            new { id = extraWorkB }, token: amsterdam))!;
        Assert.Equal(("QUOTED", 2), (workAfter["extraWork"]!["status"]!.GetValue<string>(), workAfter["extraWork"]!["steps"]!.AsArray().Count));
        Assert.Null(workAfter["extraWork"]!["approvedAmount"]);
        Assert.Equal(performanceBefore, (await fixture.DataAsync(PerformanceOfTenantB, token: amsterdam)).ToJsonString());
        var meetingAfter = (await fixture.DataAsync("query($id: ID!) { consultation(id: $id) { status minutes actionItems { done } } }", new { id = consultationB }, token: amsterdam))["consultation"]!;
        Assert.Equal(("HELD", "Zoutvoorraad besproken", false), (meetingAfter["status"]!.GetValue<string>(), meetingAfter["minutes"]!.GetValue<string>(), meetingAfter["actionItems"]![0]!["done"]!.GetValue<bool>()));
        Assert.All(workAfter["arrangement"]!["extraWorkLedger"]!["members"]!.AsArray(), m => Assert.NotEqual(1.00m, m!["baseline"]?.GetValue<decimal>()));
    }

    /// <summary>A consultation of Amsterdam's gritting arrangement, held, with an action item for Amsterdam; after the matrix its item is still open.</summary>
    private const string PerformanceOfTenantB = """{ arrangement(id: "gladheid-amstelland") { performance { status indicators { key name target figures { period value } } } } }""";

    /// <summary>Amsterdam's gritting indicators (one set here if there is none yet), as its admin sees them; the matrix changes none.</summary>
    private async Task<string> PerformanceOfTenantBAsync()
    {
        var amsterdam = await fixture.TokenAsync("admin.amsterdam@demo.test");
        var seen = await fixture.DataAsync(PerformanceOfTenantB, token: amsterdam);
        if (seen["arrangement"]!["performance"]!["indicators"]!.AsArray().Count == 0)
        {
            var defined = await fixture.DataAsync("""mutation { defineIndicator(input: { arrangementId: "gladheid-amstelland", goal: "Veiligheid", name: "Hoofdroutes binnen twee uur gestrooid", unit: "%", target: 95, direction: AT_LEAST, period: MONTH }) { userErrors { code message } } }""", token: amsterdam);
            Assert.Empty(defined["defineIndicator"]!["userErrors"]!.AsArray());
            seen = await fixture.DataAsync(PerformanceOfTenantB, token: amsterdam);
        }
        return seen.ToJsonString();
    }

    private async Task<string> ConsultationOfTenantBAsync()
    {
        var executor = await fixture.TokenAsync("executor.amstelland@demo.test");
        var scheduled = await fixture.DataAsync("""mutation($at: DateTimeOffset!) { scheduleConsultation(input: { arrangementId: "gladheid-amstelland", level: OPERATIONAL, title: "Strooioverleg", scheduledAt: $at }) { consultation { key } userErrors { code message } } }""",
            new { at = DateTimeOffset.UtcNow }, token: executor);
        var key = scheduled["scheduleConsultation"]!["consultation"]!["key"]!.GetValue<string>();
        var held = await fixture.DataAsync("""mutation($id: ID!, $due: Date!) { recordConsultationMinutes(input: { consultationId: $id, minutes: "Zoutvoorraad besproken", actionItems: [{ text: "Zout bestellen", owner: "GM0363", due: $due }] }) { userErrors { code message } } }""",
            new { id = key, due = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd") }, token: executor);
        Assert.Empty(held["recordConsultationMinutes"]!["userErrors"]!.AsArray());
        return key;
    }

    /// <summary>Extra work Amsterdam asked of its gritting service, quoted; after the matrix it is still quoted, not approved, declined or invoiced.</summary>
    private async Task<string> ExtraWorkOfTenantBAsync()
    {
        var asked = await fixture.DataAsync("""mutation { requestExtraWork(input: { arrangementId: "gladheid-amstelland", title: "Extra strooironde", description: "Fietspaden bij scholen" }) { extraWork { key } userErrors { code message } } }""",
            token: await fixture.TokenAsync("admin.amsterdam@demo.test"));
        var key = asked["requestExtraWork"]!["extraWork"]!["key"]!.GetValue<string>();
        var quoted = await fixture.DataAsync("mutation($id: ID!) { quoteExtraWork(input: { extraWorkId: $id, amount: 1800.00 }) { userErrors { code message } } }", new { id = key },
            token: await fixture.TokenAsync("executor.amstelland@demo.test"));
        Assert.Empty(quoted["quoteExtraWork"]!["userErrors"]!.AsArray());
        return key;
    }

    /// <summary>An incident reported by tenant B's gritting service; after the matrix it is still where it was, undecided.</summary>
    private async Task<string> IncidentOfTenantBAsync()
    {
        var data = await fixture.DataAsync("""mutation { reportIncident(input: { arrangementId: "gladheid-amstelland", title: "Zout bijna op", description: "Nog voor twee nachten" }) { incident { key } userErrors { code message } } }""",
            token: await fixture.TokenAsync("executor.amstelland@demo.test"));
        return data["reportIncident"]!["incident"]!["key"]!.GetValue<string>();
    }

    private async Task<string> ComplaintOfTenantBAsync()
    {
        var data = await fixture.DataAsync("""mutation { fileComplaint(input: { arrangementId: "gladheid-amstelland", serviceCode: "strooien-fietspaden", description: "The cycle path along the Amstel is icy", location: { latitude: 52.35, longitude: 4.91 } }) { complaint { key } userErrors { code message } } }""",
            token: await fixture.TokenAsync("citizen.amsterdam@demo.test"));
        return data["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
    }

    private async Task<string> PeopleOfTenantBAsync() =>
        (await fixture.DataAsync("""{ organisation(id: "GM0363") { people { email role status } partnerClients { clientId status } open311Keys { keyId status } webhooks { id url } } gladheid: organisation(id: "gladheidsdienst-amstelland") { name people { email role status } } }""",
            token: await fixture.OperatorAsync())).ToJsonString();

    private async Task<string> TenantBStateAsync() =>
        (await fixture.DataAsync("""
            { arrangement(id: "gladheid-amstelland") { members { municipality { code } lastDay } tariffHistory { amount validFrom } history { action } priceReviews { intervalYears reviews { number } } decisionRules { kind threshold votingDays } proposals { totalCount } }
              municipality(code: "GM0363") { inhabitants name }
              proposal(id: "p-demo-strooiplan") { votes { choice } opinions { text } supportCount comments { number hidden } history { action } } }
            """)).ToJsonString();

    /// <summary>A fresh arrangement whose one member is Hoorn, tenant A of the demo accounts.</summary>
    private async Task<string> ArrangementOfHoornAsync()
    {
        var key = $"hoorn-{Guid.NewGuid():N}"[..18];
        var token = await fixture.DedicatedOperatorTokenAsync("access.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Hoorn en partners\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"bouwpuin\", name: \"Bouwpuin\" }] }) { userErrors { code } } }", new { key }, token: token);
        await fixture.DataAsync("mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: \"GM0405\" }) { userErrors { code } } }", new { key }, token: token);
        return key;
    }

    private static StringContent Json(string query) => new(System.Text.Json.JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json");

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["org"] = "GM0363";
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    /// <summary>Changes claims and signs again with the identity server's own key, so that only the changed claim is wrong.</summary>
    private string Resign(string token, Action<JsonObject> change)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        change(payload);
        var signed = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}";
        var credentials = fixture.Identity.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials
            .First(c => c.Key is X509SecurityKey);
        using var rsa = ((X509SecurityKey)credentials.Key).Certificate.GetRSAPrivateKey()!;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";
    }
}
