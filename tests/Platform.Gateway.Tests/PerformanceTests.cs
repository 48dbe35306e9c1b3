using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Platform.Domain.Calendar;

namespace Platform.Gateway.Tests;

/// <summary>
/// Performance agreements through GraphQL: a member sets indicators, the executing organisation reports last month's
/// figure, which is compared with its target at once and rolls up per goal and for the board; wrong units, closed,
/// unopened and malformed periods, figures too large, reports by a member and indicators set by the executor are refused
/// with nothing stored; residents and outsiders see nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PerformanceTests(GatewayFixture fixture)
{
    private const string Fields = """
        status overall viewerCan { defineIndicators report makeDefinitive }
        indicators { key goal name unit target direction period source appliesFrom latest { period value deviation } figures { period value target deviation reportedBy note } }
        goals { goal state indicators onTarget deviating withoutFigures }
        deviations { indicator { key name } figure { period value } }
        """;

    private static readonly string Define = $$"""
        mutation($input: DefineIndicatorInput!) { defineIndicator(input: $input) { performanceAgreement { {{Fields}} } userErrors { field code message } } }
        """;

    private static readonly string Report = $$"""
        mutation($input: ReportIndicatorFigureInput!) { reportIndicatorFigure(input: $input) { performanceAgreement { {{Fields}} } userErrors { field code message } } }
        """;

    private static readonly string Remove = """
        mutation($input: RemoveIndicatorInput!) { removeIndicator(input: $input) { performanceAgreement { indicators { key } } userErrors { field code message } } }
        """;

    private static readonly string Definitive = """
        mutation($input: MakePerformanceAgreementDefinitiveInput!) { makePerformanceAgreementDefinitive(input: $input) { performanceAgreement { status } userErrors { field code message } } }
        """;

    private static List<(string, string)> Errors(JsonNode payload) =>
        [.. payload["userErrors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))];

    private DateOnly Today => fixture.Clock.TodayInAmsterdam();

    /// <summary>The month <paramref name="back"/> months before this one, named like 2026-11, and its first day.</summary>
    private (string Name, string First) Month(int back)
    {
        var first = new DateOnly(Today.Year, Today.Month, 1).AddMonths(-back);
        return (first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private async Task<string> ArrangementAsync()
    {
        var key = $"prestatie-{Guid.NewGuid():N}"[..20];
        var token = await fixture.DedicatedOperatorTokenAsync("kpi.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Afval West-Friesland\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"restafval\", name: \"Restafval\" }] }) { userErrors { code } } }", new { key }, token: token);
        foreach (var code in new[] { "GM0405", "GM0420" })
        {
            await fixture.DataAsync("mutation($key: ID!, $code: String!) { addMember(input: { arrangementId: $key, municipalityCode: $code }) { userErrors { code } } }", new { key, code }, token: token);
        }
        return key;
    }

    private async Task<JsonNode> RunAsync(string mutation, string field, object input, string token) => (await fixture.DataAsync(mutation, new { input }, token: token))[field]!;

    [Fact]
    public async Task A_reported_figure_is_compared_with_its_target_and_rolls_up_and_bad_reports_change_nothing()
    {
        var arrangement = await ArrangementAsync();
        var manager = await fixture.DedicatedStaffTokenAsync("kpi.manager@demo.test", "GM0405", "contract-manager");
        var executor = await fixture.DedicatedStaffTokenAsync("kpi.executor@demo.test", "afvalbedrijf-nhn", "executor-staff");
        var lastMonth = Month(1);

        var emptied = new { arrangementId = arrangement, goal = "Bereikbaarheid", name = "Containers geleegd op de afgesproken dag", unit = "%", target = 98.5m, direction = "AT_LEAST", period = "MONTH", appliesFrom = lastMonth.First };
        var defined = await RunAsync(Define, "defineIndicator", emptied, manager);
        Assert.Empty(Errors(defined));
        var litter = await RunAsync(Define, "defineIndicator", new { arrangementId = arrangement, goal = "Leefbaarheid", name = "Meldingen van zwerfafval", unit = "meldingen", target = 40m, direction = "AT_MOST", period = "MONTH", appliesFrom = Month(3).First }, manager);
        Assert.Empty(Errors(litter));
        var onTime = await RunAsync(Define, "defineIndicator", new { arrangementId = arrangement, goal = "Dienstverlening", name = "Meldingen op tijd afgehandeld", target = 90m, direction = "AT_LEAST", period = "QUARTER", source = "COMPLAINTS_ON_TIME", serviceCode = "restafval" }, manager);
        Assert.Empty(Errors(onTime));
        var agreement = onTime["performanceAgreement"]!;
        Assert.Equal(("PROVISIONAL", "NO_FIGURES"), (agreement["status"]!.GetValue<string>(), agreement["overall"]!.GetValue<string>()));
        Assert.Equal(["%", "%", "meldingen"], agreement["indicators"]!.AsArray().Select(i => i!["unit"]!.GetValue<string>())); // by goal: Bereikbaarheid, Dienstverlening, Leefbaarheid
        Assert.Equal(["ind-1", "ind-3", "ind-2"], agreement["indicators"]!.AsArray().Select(i => i!["key"]!.GetValue<string>()));

        // Wrong indicators are refused, with the field named, and nothing is added.
        Assert.Equal([("target", "INVALID_FORMAT")], Errors(await RunAsync(Define, "defineIndicator", emptied with { target = 1.23456m, name = "Anders" }, manager)));
        Assert.Equal([("name", "DUPLICATE")], Errors(await RunAsync(Define, "defineIndicator", emptied, manager)));
        Assert.Equal([("unit", "UNIT_MISMATCH")], Errors(await RunAsync(Define, "defineIndicator", new { arrangementId = arrangement, goal = "Dienstverlening", name = "Doorlooptijd", unit = "uur", target = 5m, direction = "AT_MOST", period = "MONTH", source = "COMPLAINTS_MEDIAN_DAYS", serviceCode = "restafval" }, manager)));
        Assert.Equal([("serviceCode", "UNKNOWN_SERVICE")], Errors(await RunAsync(Define, "defineIndicator", new { arrangementId = arrangement, goal = "Dienstverlening", name = "Doorlooptijd", target = 5m, direction = "AT_MOST", period = "MONTH", source = "COMPLAINTS_MEDIAN_DAYS", serviceCode = "strooien" }, manager)));
        Assert.Equal([("name", "TOO_LONG")], Errors(await RunAsync(Define, "defineIndicator", emptied with { name = new string('x', 201) }, manager)));
        var (byExecutor, refusedBody) = await fixture.PostAsync(Define, new { input = emptied with { name = "Zelf bedacht" } }, token: executor);
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (byExecutor, refusedBody["errors"]![0]!["extensions"]!["code"]!.GetValue<string>()));
        var (missing, missingBody) = await fixture.PostAsync("mutation { defineIndicator(input: { arrangementId: \"x\", name: \"n\", target: 1, direction: AT_LEAST, period: MONTH }) { userErrors { code } } }", token: manager);
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Contains("goal", missingBody["errors"]![0]!["message"]!.GetValue<string>());

        // The executing organisation reports last month's figure: below target, so a deviation.
        var reported = await RunAsync(Report, "reportIndicatorFigure", new { arrangementId = arrangement, indicatorKey = "ind-1", period = lastMonth.Name, value = 97.25m, unit = "%", note = "Twee wagens in onderhoud" }, executor);
        Assert.Empty(Errors(reported));
        agreement = reported["performanceAgreement"]!;
        var figure = agreement["indicators"]![0]!["figures"]![0]!;
        Assert.Equal((lastMonth.Name, 97.25m, 98.5m, true, "kpi.executor@demo.test"),
            (figure["period"]!.GetValue<string>(), figure["value"]!.GetValue<decimal>(), figure["target"]!.GetValue<decimal>(), figure["deviation"]!.GetValue<bool>(), figure["reportedBy"]!.GetValue<string>()));
        Assert.Equal("ATTENTION", agreement["overall"]!.GetValue<string>());
        Assert.Equal([("Bereikbaarheid", "ATTENTION", 0, 1, 0), ("Dienstverlening", "NO_FIGURES", 0, 0, 1), ("Leefbaarheid", "NO_FIGURES", 0, 0, 1)],
            agreement["goals"]!.AsArray().Select(g => (g!["goal"]!.GetValue<string>(), g["state"]!.GetValue<string>(), g["onTarget"]!.GetValue<int>(), g["deviating"]!.GetValue<int>(), g["withoutFigures"]!.GetValue<int>())));
        Assert.Equal([("ind-1", lastMonth.Name)], agreement["deviations"]!.AsArray().Select(d => (d!["indicator"]!["key"]!.GetValue<string>(), d["figure"]!["period"]!.GetValue<string>())));

        // Litter reports under the target meet it (at most 40); split per member, Hoorn's share misses it. A share for a
        // municipality that is not a member, or a member twice, is refused first with nothing stored.
        var notMember = await RunAsync(Report, "reportIndicatorFigure", new { arrangementId = arrangement, indicatorKey = "ind-2", period = lastMonth.Name, value = 31m, unit = "meldingen",
            members = new[] { new { municipalityCode = "GM0363", value = 5m }, new { municipalityCode = "GM0405", value = 1m }, new { municipalityCode = "GM0405", value = 2m } } }, executor);
        Assert.Equal([("members[0].municipalityCode", "NOT_FOUND"), ("members[2].municipalityCode", "DUPLICATE")], Errors(notMember));
        // (Nothing was stored: the same month is reported next without ALREADY_EXISTS.)
        var litterReport = await RunAsync(Report, "reportIndicatorFigure", new { arrangementId = arrangement, indicatorKey = "ind-2", period = lastMonth.Name, value = 31m, unit = "Meldingen",
            members = new[] { new { municipalityCode = "GM0405", value = 45m }, new { municipalityCode = "GM0420", value = 12m } } }, executor);
        Assert.Empty(Errors(litterReport));
        Assert.False(litterReport["performanceAgreement"]!["indicators"]![2]!["latest"]!["deviation"]!.GetValue<bool>());
        var shares = (await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { performance { members { municipalityCode figures { indicator { key } period value deviation } } } } }",
            new { id = arrangement }, token: manager))["arrangement"]!["performance"]!["members"]!.AsArray();
        Assert.Equal([("GM0405", "ind-2", 45m, true), ("GM0420", "ind-2", 12m, false)], shares.SelectMany(m => m!["figures"]!.AsArray().Select(f =>
            (m["municipalityCode"]!.GetValue<string>(), f!["indicator"]!["key"]!.GetValue<string>(), f["value"]!.GetValue<decimal>(), f["deviation"]!.GetValue<bool>()))));

        // Bad reports: each refused, naming the field; nothing stored.
        async Task<List<(string, string)>> Refused(object input) => Errors(await RunAsync(Report, "reportIndicatorFigure", input, executor));
        Assert.Equal([("period", "ALREADY_EXISTS")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-1", period = lastMonth.Name, value = 99m, unit = "%" }));
        Assert.Equal([("unit", "UNIT_MISMATCH")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-2", period = lastMonth.Name, value = 10m, unit = "%" }));
        Assert.Equal([("period", "CLOSED")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-2", period = Month(3).Name, value = 10m, unit = "meldingen" }));
        Assert.Equal([("period", "NOT_OPEN")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-1", period = Month(-1).Name, value = 99m, unit = "%" }));
        Assert.Equal([("period", "INVALID_PERIOD")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-1", period = Month(2).Name, value = 99m, unit = "%" }));
        Assert.Equal([("period", "INVALID_FORMAT")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-1", period = "vorige maand", value = 99m, unit = "%" }));
        Assert.Equal([("value", "OUT_OF_RANGE")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-2", period = lastMonth.Name, value = 1_000_000_000m, unit = "meldingen" }));
        Assert.Equal([("indicatorKey", "NOT_FOUND")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-9", period = lastMonth.Name, value = 1m, unit = "%" }));
        Assert.Equal([("indicatorKey", "ILLEGAL_TRANSITION")], await Refused(new { arrangementId = arrangement, indicatorKey = "ind-3", period = "2026-Q3", value = 1m, unit = "%" }));
        var (byMember, memberBody) = await fixture.PostAsync(Report, new { input = new { arrangementId = arrangement, indicatorKey = "ind-2", period = Month(2).Name, value = 1m, unit = "meldingen" } }, token: manager);
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (byMember, memberBody["errors"]![0]!["extensions"]!["code"]!.GetValue<string>()));

        // An indicator with figures stays; one without may be taken out while the agreements are provisional.
        Assert.Equal([("indicatorKey", "ILLEGAL_TRANSITION")], Errors(await RunAsync(Remove, "removeIndicator", new { arrangementId = arrangement, indicatorKey = "ind-1" }, manager)));
        Assert.Equal(["ind-1", "ind-2"], (await RunAsync(Remove, "removeIndicator", new { arrangementId = arrangement, indicatorKey = "ind-3" }, manager))["performanceAgreement"]!["indicators"]!.AsArray().Select(i => i!["key"]!.GetValue<string>()));

        // Definitive only by an adopted decision of this arrangement: another arrangement's proposal is not one.
        Assert.Equal([("proposalId", "NOT_FOUND")], Errors(await RunAsync(Definitive, "makePerformanceAgreementDefinitive", new { arrangementId = arrangement, proposalId = "p-demo-strooiplan" }, manager)));

        const string Read = "query($id: ID!) { arrangement(id: $id) { performance { indicators { key figures { period value } } } } }";
        var stored = (await fixture.DataAsync(Read, new { id = arrangement }, token: manager))["arrangement"]!["performance"]!;
        Assert.Equal([("ind-1", 1), ("ind-2", 1)], stored["indicators"]!.AsArray().Select(i => (i!["key"]!.GetValue<string>(), i["figures"]!.AsArray().Count)));
        Assert.Equal(97.25m, stored["indicators"]![0]!["figures"]![0]!["value"]!.GetValue<decimal>());
        foreach (var outsider in new[] { await fixture.TokenAsync("citizen@demo.test"), await fixture.TokenAsync("admin.amsterdam@demo.test") })
        {
            Assert.Null((await fixture.DataAsync(Read, new { id = arrangement }, token: outsider))["arrangement"]!["performance"]);
        }
        Assert.Null((await fixture.DataAsync(Read, new { id = arrangement }))["arrangement"]!["performance"]);
    }
}
