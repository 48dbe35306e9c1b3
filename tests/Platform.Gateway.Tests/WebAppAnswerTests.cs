extern alias webapp;
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
        if (name == "ComplaintFigures") return (await fixture.TokenAsync("manager@demo.test"), given);
        if (name == "Console") return (await fixture.TokenAsync("admin@demo.test"), given);
        if (name == "NotificationSettings") return (await fixture.TokenAsync("citizen@demo.test"), given);
        return (await TokenForAsync(name), given);
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

    private static IEnumerable<PropertyInfo> Fields(Type record) =>
        record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is { IsPublic: true } && p.Name != "EqualityContract");

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
