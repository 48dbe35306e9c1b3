extern alias webapp;
using System.Globalization;
using Platform.Domain.Calendar;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebApp = webapp::Platform.WebAdmin.Gateway;

namespace Platform.Gateway.Tests;

/// <summary>
/// The web app's typed client against real answers: each query kept in <c>Queries/*.graphql</c> is run on the gateway
/// with demo data, and the answer is read into the record its page reads it into. Every object of the answer must have
/// exactly the fields of its record — a field the query selects and the record does not name, or a record property the
/// query does not select (which would read as null), fails here by name rather than as an empty cell in a page.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WebAppAnswerTests(GatewayFixture fixture)
{
    /// <summary>
    /// Each kept query, the record it is read into, variables that reach demo data, and the records the demo data surely
    /// fills; a record marked "-" may stay unmet (the demo data has none: no decision taken yet, no report nearby), and
    /// every other record the answer's record reaches must be met, or its fields would go unchecked.
    /// </summary>
    public static TheoryData<string, Type, string, string> Cases => new()
    {
        { "PublicReports", typeof(WebApp.PublicReportsAnswer), """{"code":"GM0405","language":"EN"}""", "PublicReportsAnswer MunicipalityName" },
        { "NearbyReports", typeof(WebApp.NearbyReportsAnswer), """{"code":"GM0405","arrangement":"afval-nhn","service":"grofvuil","latitude":52.64,"longitude":5.06}""", "NearbyReportsAnswer -Report" },
        { "Arrangement", typeof(WebApp.ArrangementAnswer), """{"id":"afval-nhn","language":"EN"}""",
            "ArrangementAnswer Details Permissions Organisation Member Municipality Service ServiceLevel ServiceCode Price Version ProposalConnection Proposal Tally" },
        { "Decisions", typeof(WebApp.DecisionsAnswer), """{"id":"afval-nhn"}""", "DecisionsAnswer Details DecisionRule Fraction HistoryEntry ProposalConnection -Decision -Proposal" },
        { "Municipalities", typeof(WebApp.MunicipalitiesAnswer), "{}", "MunicipalitiesAnswer Connection Municipality" },
        { "MunicipalityPortal", typeof(WebApp.MunicipalityPortalAnswer), """{"code":"GM0405","language":"NL"}""",
            "MunicipalityPortalAnswer Details Arrangement Organisation Tariff Service ProposalConnection Proposal" },
        { "TariffHistory", typeof(WebApp.TariffHistoryAnswer), """{"id":"afval-nhn","service":"grofvuil","language":"NL"}""", "TariffHistoryAnswer ArrangementTariffs Service Version -Proposal" },
        { "FilingChoices", typeof(WebApp.FilingChoicesAnswer), """{"code":"GM0405","language":"EN"}""", "FilingChoicesAnswer Details Arrangement Service" },
        // Asked by the executing organisation's staff, after one incident is reported (in the test).
        { "ArrangementIncidents", typeof(WebApp.ArrangementIncidentsAnswer), """{"id":"afval-nhn"}""", "ArrangementIncidentsAnswer Details Permissions Incident Step" },
        // Asked by the operator (the list is theirs to see).
        { "ExecutingOrganisations", typeof(WebApp.ExecutingOrganisationsAnswer), "{}", "ExecutingOrganisationsAnswer Connection Organisation" },
        // Asked by a resident who follows a report (made in the test): anonymous, the list is empty.
        { "FollowedReports", typeof(WebApp.FollowedReportsAnswer), """{"language":"EN"}""", "FollowedReportsAnswer Report" },
        // Asked by the demo resident after filing one (in the test).
        { "Complaints", typeof(WebApp.ComplaintsAnswer), """{"filter":null}""", "ComplaintsAnswer Connection Complaint" },
        // The resident's complaint just filed (its id set in the test). No photo: this fixture stores none (no blob storage),
        // so Photo may stay unmet ("-"); the browser tests show a photo on this page.
        { "Complaint", typeof(WebApp.ComplaintAnswer), "{}", "ComplaintAnswer Details Location Arrangement Organisation HistoryEntry -Photo" },
        // Asked by Hoorn's admin, so that both parts asked only of a municipality's staff are there. No logo: this fixture
        // stores none (no blob storage); the browser tests upload one.
        { "Console", typeof(WebApp.ConsoleAnswer), """{"org":"GM0405","hasOrg":true,"code":"GM0405","isMunicipality":true}""",
            "ConsoleAnswer ViewerPart Arrangement Count OrganisationPart OrganisationPermissions MunicipalityPart MunicipalityPermissions -Colours -Logo" },
        // Asked by Hoorn's contract manager, whom the arrangement lets see them.
        { "ComplaintFigures", typeof(WebApp.ComplaintFiguresAnswer), """{"id":"afval-nhn"}""", "ComplaintFiguresAnswer Figures" },
        // An incident the executing organisation's staff report (in the test), asked by them: one step, undecided.
        { "Incident", typeof(WebApp.IncidentAnswer), "{}", "IncidentAnswer Details ArrangementName Step Permissions" },
        // Asked by the demo resident.
        { "NotificationSettings", typeof(WebApp.NotificationSettingsAnswer), "{}", "NotificationSettingsAnswer Settings Preference" },
        // The demo's open tariff proposal, asked by Hoorn's board member (who may vote). What only other proposals have (a
        // service-level change, evidence, a price review, effect measurements, opinions, comments) may stay unmet ("-"):
        // the browser tests open those pages.
        { "Proposal", typeof(WebApp.ProposalAnswer), """{"id":"p-demo-bouwpuin","language":"NL"}""",
            "ProposalAnswer Details Arrangement Member Municipality DecisionRule Fraction TariffChange ProposalTally Ballot OutcomeChange VoteSwitch Permissions HistoryEntry -Vote -ServiceLevelChange -Evidence -PriceReview -Finding -EffectMeasurement -MemberEffect -Opinion -Comment" },
        // The console's pages, asked by the staff they are for. "Werk" cases read an arrangement the test sets up (WorkAsync):
        // a held consultation with an action item of Hoorn's, a quoted request for extra work, an incident, a plan draft
        // and a price review. What no one has made in this fixture (an opinion, a decision measured, a webhook, a
        // credential) may stay unmet ("-"); the pages' own tests make them.
        { "Awaiting", typeof(WebApp.AwaitingAnswer), """{"org":"GM0405","handlesComplaints":true,"filter":{"status":["SUBMITTED","ACKNOWLEDGED","IN_PROGRESS","REOPENED"]}}""",
            "AwaitingAnswer ViewerPart Arrangement ActionItemRef ActionItem ExtraWork ExtraWorkTurn Incident Step IncidentTurn ProposalConnection Proposal ProposalTurn BallotChoice ComplaintConnection -Complaint -OpinionAuthor" },
        { "Dashboard", typeof(WebApp.DashboardAnswer), "{}",
            "DashboardAnswer ViewerPart Arrangement Incident ActionItemRef ActionItem Performance Goal Ledger LedgerLine ProposalConnection Proposal ProposalTurn BallotChoice -OpinionAuthor" },
        { "DashboardDecisions", typeof(WebApp.DashboardDecisionsAnswer), """{"mine":"GM0405"}""",
            "DashboardDecisionsAnswer ViewerPart Arrangement -Decision -Proposal -EvidenceService -Measurement -MemberFigures" },
        { "ConsultationList", typeof(WebApp.ConsultationListAnswer), "{}",
            "ConsultationListAnswer Details Permissions OrganisationRef MemberRef MunicipalityRef Consultation ActionItemRef ActionItem" },
        { "ConsultationPage", typeof(WebApp.ConsultationPageAnswer), "{}",
            "ConsultationPageAnswer Details Arrangement OrganisationRef MemberRef MunicipalityRef ActionItem Permissions -NotKept -Item" },
        { "ExtraWorkList", typeof(WebApp.ExtraWorkListAnswer), "{}", "ExtraWorkListAnswer Details Permissions MemberRef MunicipalityRef Work Ledger Line" },
        { "ExtraWorkPage", typeof(WebApp.ExtraWorkPageAnswer), "{}", "ExtraWorkPageAnswer Details Arrangement MemberRef MunicipalityRef Step Permissions" },
        { "Plans", typeof(WebApp.PlansAnswer), "{}", "PlansAnswer Details ServiceRef PlanBook Plan PlanVersion -ProposalTitle" },
        { "PriceReviews", typeof(WebApp.PriceReviewsAnswer), "{}", "PriceReviewsAnswer Details Permissions ServiceRef Ledger Review Finding" },
        { "ProposeChange", typeof(WebApp.ProposeChangeAnswer), "{}", "ProposeChangeAnswer Details Permissions ServiceRef ReviewList Review DecisionRule Fraction" },
        { "ManageArrangement", typeof(WebApp.ManageArrangementAnswer), """{"id":"afval-nhn"}""",
            "ManageArrangementAnswer Details Organisation Permissions Member MunicipalityRef Service ServiceLevel Rule Fraction HistoryEntry MunicipalityConnection" },
        // The demo's performance agreements of the waste arrangement: three indicators, one figure that misses its target.
        { "Performance", typeof(WebApp.PerformanceAnswer), """{"id":"afval-nhn"}""",
            "PerformanceAnswer Details MemberRef MunicipalityRef ServiceRef Agreement Permissions GoalRow Deviation DeviatingIndicator DeviatingFigure Indicator Figure MemberFigures -MemberFigure -IndicatorName" },
        { "People", typeof(WebApp.PeopleAnswer), """{"id":"GM0405"}""", "PeopleAnswer Details Permissions Person" },
        { "Credentials", typeof(WebApp.CredentialsAnswer), """{"id":"GM0405"}""", "CredentialsAnswer Details Permissions -Client -Open311Key" },
        { "Webhooks", typeof(WebApp.WebhooksAnswer), """{"id":"GM0405"}""", "WebhooksAnswer Details Permissions EventType" },
        { "WebhookList", typeof(WebApp.WebhookListAnswer), """{"id":"GM0405"}""", "WebhookListAnswer Details -Webhook -Delivery" },
        // Asked by the operator after a municipality applies (in the test).
        { "OnboardingApplications", typeof(WebApp.OnboardingApplicationsAnswer), "{}", "OnboardingApplicationsAnswer Connection Application" },
        // Asked anonymously, as every portal page asks it. No logo or colours: Hoorn's demo portal wears a hosted theme.
        { "PortalLook", typeof(WebApp.PortalLookAnswer), """{"code":"GM0405"}""", "PortalLookAnswer Details -Colours -Logo" },
        { "Viewer", typeof(WebApp.ViewerAnswer), "{}", "ViewerAnswer Viewer ViewerCan" },
    };

    /// <summary>
    /// The token a case is asked with, and its variables: a resident following a report the demo resident filed, for the list
    /// of followed reports; the demo resident with a complaint of theirs for their list and for its page.
    /// </summary>
    private async Task<(string? Token, JsonNode? Variables)> AskedAsAsync(string name, string variables)
    {
        var given = JsonNode.Parse(variables);
        if (name is "Complaints" or "Complaint")
        {
            var citizen = await fixture.TokenAsync("citizen@demo.test");
            var filing = await fixture.DataAsync("""
                mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: "Matras naast de container", location: { address: "Kerkplein 3, Hoorn", latitude: 52.6412, longitude: 5.0597 } }) { complaint { key } } }
                """, token: citizen);
            return (citizen, name == "Complaints" ? given : new JsonObject { ["id"] = filing["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>() });
        }
        if (name == "Proposal") return (await fixture.TokenAsync("board@demo.test"), given);
        if (name == "Incident")
        {
            var executor = await fixture.TokenAsync("executor@demo.test");
            var reported = await fixture.DataAsync("""
                mutation { reportIncident(input: { arrangementId: "afval-nhn", title: "Weegbrug defect", description: "De weegbrug op de milieustraat weegt niet" }) { incident { key } userErrors { message } } }
                """, token: executor);
            return (executor, new JsonObject { ["id"] = reported["reportIncident"]!["incident"]!["key"]!.GetValue<string>() });
        }
        if (name is "Awaiting" or "Dashboard" or "DashboardDecisions" or "ConsultationList" or "ConsultationPage" or "ExtraWorkList" or "ExtraWorkPage"
            or "Plans" or "PriceReviews" or "ProposeChange")
        {
            var work = await WorkAsync();
            var asked = given!.AsObject();
            asked["id"] = name switch { "ConsultationPage" => work.Consultation, "ExtraWorkPage" => work.ExtraWork, _ => work.Arrangement };
            if (name == "DashboardDecisions") asked["since"] = fixture.Clock.TodayInAmsterdam().AddMonths(-7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // The board member votes for Hoorn (Awaiting's proposals); its contract manager steers the arrangement.
            return (await fixture.TokenAsync(name is "Awaiting" or "Dashboard" ? "board@demo.test" : "manager@demo.test"), asked);
        }
        if (name is "ManageArrangement" or "Performance") return (await fixture.TokenAsync("manager@demo.test"), given);
        if (name is "People" or "Credentials" or "Webhooks" or "WebhookList" or "Viewer") return (await fixture.TokenAsync("admin@demo.test"), given);
        if (name == "OnboardingApplications")
        {
            var applied = await fixture.DataAsync("""
                mutation { applyForOnboarding(input: { code: "GM0361", name: "Alkmaar", inhabitants: 110000, inhabitantsReferenceDate: "2025-01-01", contactName: "Griffie Alkmaar", contactEmail: "griffie@alkmaar.test" }) { userErrors { code message } } }
                """);
            Assert.Empty(applied["applyForOnboarding"]!["userErrors"]!.AsArray());
            return (await fixture.OperatorAsync(), given);
        }
        if (name == "ComplaintFigures") return (await fixture.TokenAsync("manager@demo.test"), given);
        if (name == "Console") return (await fixture.TokenAsync("admin@demo.test"), given);
        if (name == "NotificationSettings") return (await fixture.TokenAsync("citizen@demo.test"), given);
        return (await TokenForAsync(name), given);
    }

    /// <summary>The keys of what WorkAsync made.</summary>
    private sealed record Work(string Arrangement, string Consultation, string ExtraWork);

    private static readonly SemaphoreSlim WorkGate = new(1, 1);
    private static Work? work;

    /// <summary>
    /// An arrangement of Hoorn and Medemblik with the waste company as its executor, made once for the console's cases: a
    /// consultation held today with an action item of Hoorn's, Hoorn's request for extra work that the company quoted, an
    /// incident the company reported, a plan it drafted, and a price review Hoorn's contract manager recorded.
    /// </summary>
    private async Task<Work> WorkAsync()
    {
        await WorkGate.WaitAsync();
        try
        {
            if (work is not null) return work;
            var key = $"werk-{Guid.NewGuid():N}"[..17];
            var operatorToken = await fixture.OperatorAsync();
            var manager = await fixture.TokenAsync("manager@demo.test");
            var executor = await fixture.TokenAsync("executor@demo.test");
            var today = fixture.Clock.TodayInAmsterdam();
            string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

            await RunAsync("createArrangement", """
                mutation($key: String!) { createArrangement(input: { key: $key, name: "Werk West-Friesland", executingOrganisationId: "afvalbedrijf-nhn", services: [{ code: "bouwpuin", name: "Bouwpuin" }] }) { userErrors { code message } } }
                """, new { key }, operatorToken);
            foreach (var code in new[] { "GM0405", "GM0420" })
            {
                await RunAsync("addMember", "mutation($key: ID!, $code: String!) { addMember(input: { arrangementId: $key, municipalityCode: $code }) { userErrors { code message } } }",
                    new { key, code }, operatorToken);
            }
            await RunAsync("publishTariffSchedule", """
                mutation($key: ID!) { publishTariffSchedule(input: { arrangementId: $key, tariffs: [{ serviceCode: "bouwpuin", amount: 35.00, unitQuantity: 0.5, unitMeasure: "m³", validFrom: "2025-01-01" }] }) { userErrors { code message } } }
                """, new { key }, operatorToken);
            await RunAsync("setPriceReviewInterval", "mutation($key: ID!) { setPriceReviewInterval(input: { arrangementId: $key, years: 3 }) { userErrors { code message } } }", new { key }, manager);
            await RunAsync("recordPriceReview", """
                mutation($key: ID!, $on: Date!) { recordPriceReview(input: { arrangementId: $key, reviewer: "Bureau Tariefadvies", reviewedOn: $on, summary: "Het puintarief ligt boven de kostprijs.", findings: [{ serviceCode: "bouwpuin", advisedAmount: 22.50, note: "Kostprijs 19,80" }] }) { userErrors { code message } } }
                """, new { key, on = Day(-10) }, manager);
            var scheduled = await RunAsync("scheduleConsultation", """
                mutation($key: ID!, $at: DateTimeOffset!) { scheduleConsultation(input: { arrangementId: $key, level: OPERATIONAL, title: "Werkoverleg", scheduledAt: $at }) { consultation { key } userErrors { code message } } }
                """, new { key, at = fixture.Clock.GetUtcNow() }, executor);
            var consultation = scheduled["consultation"]!["key"]!.GetValue<string>();
            await RunAsync("recordConsultationMinutes", """
                mutation($id: ID!, $due: Date!) { recordConsultationMinutes(input: { consultationId: $id, minutes: "Routes besproken", decisions: ["Route Zwaag herzien"], actionItems: [{ text: "Route Zwaag uittekenen", owner: "GM0405", due: $due }] }) { userErrors { code message } } }
                """, new { id = consultation, due = Day(0) }, executor);
            var asked = await RunAsync("requestExtraWork", """
                mutation($key: ID!) { requestExtraWork(input: { arrangementId: $key, title: "Extra ronde bouwpuin", description: "Na de storm in Zwaag" }) { extraWork { key } userErrors { code message } } }
                """, new { key }, await fixture.TokenAsync("admin@demo.test"));
            var extraWork = asked["extraWork"]!["key"]!.GetValue<string>();
            await RunAsync("quoteExtraWork", "mutation($id: ID!) { quoteExtraWork(input: { extraWorkId: $id, amount: 1800.00 }) { userErrors { code message } } }", new { id = extraWork }, executor);
            await RunAsync("reportIncident", """
                mutation($key: ID!) { reportIncident(input: { arrangementId: $key, title: "Kraan defect", description: "De kraanwagen voor bouwpuin staat stil" }) { userErrors { code message } } }
                """, new { key }, executor);
            await RunAsync("savePlanDraft", """
                mutation($key: ID!) { savePlanDraft(input: { arrangementId: $key, title: "Inzamelplan", period: "2027", text: "Bouwpuin op afroep binnen vijf werkdagen." }) { userErrors { code message } } }
                """, new { key }, executor);
            return work = new(key, consultation, extraWork);
        }
        finally
        {
            WorkGate.Release();
        }
    }

    private async Task<JsonNode> RunAsync(string field, string mutation, object variables, string token)
    {
        var payload = (await fixture.DataAsync(mutation, variables, token: token))[field]!;
        Assert.True(payload["userErrors"]!.AsArray().Count == 0, $"{field}: {payload["userErrors"]!.ToJsonString()}");
        return payload;
    }

    private async Task<string?> TokenForAsync(string name)
    {
        if (name == "ExecutingOrganisations") return await fixture.OperatorAsync();
        if (name == "ArrangementIncidents")
        {
            var executor = await fixture.TokenAsync("executor@demo.test");
            var reported = await fixture.DataAsync("""
                mutation { reportIncident(input: { arrangementId: "afval-nhn", title: "Wagen kapot", description: "De inzamelwagen voor Hoorn-Noord staat stil" }) { userErrors { message } } }
                """, token: executor);
            Assert.Empty(reported["reportIncident"]!["userErrors"]!.AsArray());
            return executor;
        }
        if (name != "FollowedReports") return null;
        var token = await fixture.DedicatedCitizenTokenAsync($"volger-{Guid.NewGuid():N}"[..19] + "@example.nl", "GM0405");
        var filed = await fixture.DataAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: "Bank op de stoep", location: { address: "Grote Noord 1, Hoorn" } }) { complaint { key } } }
            """, token: await fixture.TokenAsync("citizen@demo.test"));
        var followed = await fixture.DataAsync("mutation($id: ID!) { followReport(input: { complaintId: $id }) { following } }",
            new { id = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>() }, token: token);
        Assert.True(followed["followReport"]!["following"]!.GetValue<bool>());
        return token;
    }

    [Fact]
    public void Every_kept_query_has_a_case_here()
    {
        var files = typeof(WebApp.Queries).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".graphql", StringComparison.Ordinal))
            .Select(n => n["Platform.WebAdmin.Queries.".Length..^".graphql".Length]).Order().ToArray();
        Assert.Equal(files, Cases.Select(c => (string)c[0]).Order().ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_answer_fits_its_record_field_for_field(string name, Type record, string variables, string filled)
    {
        var (token, given) = await AskedAsAsync(name, variables);
        var data = await fixture.DataAsync(WebApp.Queries.Named(name), given, token: token);

        var answer = data.Deserialize(record, WebApp.Queries.Json);
        Assert.NotNull(answer);
        var met = new HashSet<Type>();
        var mismatches = new List<string>();
        Compare(data, record, name, met, mismatches);
        Assert.Empty(mismatches);
        // The comparison reached the records the demo data fills (an empty list or a null would leave them unchecked).
        var names = filled.Split(' ');
        var metNames = met.Select(t => t.Name).ToHashSet();
        var unmet = names.Where(n => !n.StartsWith('-')).Except(metNames).ToList();
        Assert.True(unmet.Count == 0, $"{name}: records the demo data was expected to fill, left unmet: {string.Join(", ", unmet)}");
        var unreached = Records(record).Select(t => t.Name).Except(names.Where(n => n.StartsWith('-')).Select(n => n[1..])).Except(metNames).ToList();
        Assert.True(unreached.Count == 0, $"{name}: records neither met nor allowed to stay unmet: {string.Join(", ", unreached)}");
    }

    private static readonly JsonNamingPolicy Names = JsonNamingPolicy.CamelCase;

    /// <summary>A record's positional properties: those its constructor takes (a computed one, such as Viewer.SignedIn, is no field).</summary>
    private static IEnumerable<PropertyInfo> Fields(Type record)
    {
        var positional = record.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()?.GetParameters()
            .Select(p => p.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        return record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.Name != "EqualityContract" && positional.Contains(p.Name));
    }

    private static Type? ElementOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private static bool IsRecord(Type type) => type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Platform.WebAdmin", StringComparison.Ordinal) == true;

    /// <summary>The record and every record reachable from its properties.</summary>
    private static IEnumerable<Type> Records(Type record)
    {
        yield return record;
        foreach (var property in Fields(record))
        {
            var type = ElementOf(property.PropertyType) ?? property.PropertyType;
            if (IsRecord(type))
            {
                foreach (var nested in Records(type)) yield return nested;
            }
        }
    }

    private static void Compare(JsonNode? node, Type type, string path, HashSet<Type> met, List<string> mismatches)
    {
        if (node is null) return;
        if (ElementOf(type) is { } element)
        {
            var i = 0;
            foreach (var item in node.AsArray()) Compare(item, element, $"{path}[{i++}]", met, mismatches);
            return;
        }
        if (!IsRecord(type)) return;
        met.Add(type);
        var fields = Fields(type).ToDictionary(p => Names.ConvertName(p.Name), p => p.PropertyType);
        var answered = node.AsObject().Select(p => p.Key).ToHashSet();
        mismatches.AddRange(answered.Except(fields.Keys).Select(f => $"{path}.{f}: in the answer, not in {type.Name}"));
        mismatches.AddRange(fields.Keys.Except(answered).Select(f => $"{path}.{f}: in {type.Name}, not selected by the query"));
        foreach (var (field, fieldType) in fields.Where(f => answered.Contains(f.Key))) Compare(node[field], fieldType, $"{path}.{field}", met, mismatches);
    }
}
