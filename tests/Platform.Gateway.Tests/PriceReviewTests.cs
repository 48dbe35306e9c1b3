using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Platform.Domain.Calendar;

namespace Platform.Gateway.Tests;

/// <summary>
/// External price reviews through GraphQL: Hoorn's contract manager agrees an interval and attaches a review whose finding
/// records the debris tariff of the report's date beside the advised price; a tariff change cites it and shows the
/// finding to everyone; wrong intervals, dates, addresses, services, duplicates and amounts are refused with nothing
/// stored, a citation of another service, another kind or a missing review is refused, and only members' stewards
/// change the reviews, which anyone may read.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PriceReviewTests(GatewayFixture fixture)
{
    private const string Record = """
        mutation($input: RecordPriceReviewInput!) { recordPriceReview(input: $input) { priceReviews { intervalYears nextDue overdue reviews { number reviewer reviewedOn findings { serviceCode currentAmount advisedAmount } } } userErrors { field code message } } }
        """;

    private const string Interval = """
        mutation($input: SetPriceReviewIntervalInput!) { setPriceReviewInterval(input: $input) { priceReviews { intervalYears nextDue } userErrors { field code message } } }
        """;

    private const string Propose = """
        mutation($input: ProposeChangeInput!) { proposeChange(input: $input) { proposal { key priceReview { number reviewer finding { serviceCode currentAmount advisedAmount } } } userErrors { field code message } } }
        """;

    private static List<(string, string)> Errors(JsonNode payload) =>
        [.. payload["userErrors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))];

    private string Day(int days) => fixture.Clock.TodayInAmsterdam().AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<JsonNode> RunAsync(string mutation, string field, object input, string token) => (await fixture.DataAsync(mutation, new { input }, token: token))[field]!;

    [Fact]
    public async Task A_review_is_attached_with_the_tariff_of_its_date_and_a_tariff_change_cites_its_finding()
    {
        var arrangement = $"toets-{Guid.NewGuid():N}"[..18];
        var operatorToken = await fixture.DedicatedOperatorTokenAsync("review.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Afval Hoorn\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"bouwpuin\", name: \"Bouwpuin\" }, { code: \"grofvuil\", name: \"Grofvuil\" }] }) { userErrors { code } } }", new { key = arrangement }, token: operatorToken);
        await fixture.DataAsync("mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: \"GM0405\" }) { userErrors { code } } }", new { key = arrangement }, token: operatorToken);
        await fixture.DataAsync("mutation($key: ID!) { publishTariffSchedule(input: { arrangementId: $key, tariffs: [{ serviceCode: \"bouwpuin\", amount: 35.00, unitQuantity: 0.5, unitMeasure: \"m³\", validFrom: \"2025-01-01\" }] }) { userErrors { code } } }", new { key = arrangement }, token: operatorToken);
        var manager = await fixture.DedicatedStaffTokenAsync("review.manager@demo.test", "GM0405", "contract-manager");
        var board = await fixture.DedicatedStaffTokenAsync("review.board@demo.test", "GM0405", "board-member");

        Assert.Equal([("years", "OUT_OF_RANGE")], Errors(await RunAsync(Interval, "setPriceReviewInterval", new { arrangementId = arrangement, years = 11 }, manager)));
        var interval = await RunAsync(Interval, "setPriceReviewInterval", new { arrangementId = arrangement, years = 3 }, manager);
        Assert.Empty(Errors(interval));
        Assert.Equal((3, fixture.Clock.TodayInAmsterdam().AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (interval["priceReviews"]!["intervalYears"]!.GetValue<int>(), interval["priceReviews"]!["nextDue"]!.GetValue<string>()));

        var good = new
        {
            arrangementId = arrangement, reviewer = "Bureau Tariefadvies", reviewedOn = Day(-10), summary = "Het puintarief ligt boven de kostprijs.",
            reportUrl = "https://www.example.nl/prijstoets-2026.pdf",
            findings = new object[] { new { serviceCode = "bouwpuin", advisedAmount = 22.50m, note = "Kostprijs 19,80 per 0,5 m³" }, new { serviceCode = "grofvuil", advisedAmount = 25.00m } },
        };
        // Wrong reports: each refused by its field, nothing attached.
        Assert.Equal([("reviewedOn", "OUT_OF_RANGE")], Errors(await RunAsync(Record, "recordPriceReview", good with { reviewedOn = Day(1) }, manager)));
        Assert.Equal([("reportUrl", "INVALID_FORMAT")], Errors(await RunAsync(Record, "recordPriceReview", good with { reportUrl = "http://www.example.nl/rapport.pdf" }, manager)));
        Assert.Equal([("findings[0].serviceCode", "UNKNOWN_SERVICE")], Errors(await RunAsync(Record, "recordPriceReview", good with { findings = new object[] { new { serviceCode = "strooien", advisedAmount = 1m } } }, manager)));
        Assert.Equal([("findings[1].serviceCode", "DUPLICATE")], Errors(await RunAsync(Record, "recordPriceReview", good with { findings = new object[] { new { serviceCode = "bouwpuin", advisedAmount = 1m }, new { serviceCode = "bouwpuin", advisedAmount = 2m } } }, manager)));
        Assert.Equal([("findings[0].advisedAmount", "INVALID_FORMAT")], Errors(await RunAsync(Record, "recordPriceReview", good with { findings = new object[] { new { serviceCode = "bouwpuin", advisedAmount = 22.505m } } }, manager)));
        Assert.Equal([("findings", "REQUIRED")], Errors(await RunAsync(Record, "recordPriceReview", good with { findings = Array.Empty<object>() }, manager)));
        var (byBoard, boardBody) = await fixture.PostAsync(Record, new { input = good }, token: board);
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (byBoard, boardBody["errors"]![0]!["extensions"]!["code"]!.GetValue<string>()));
        var (byOutsider, _) = await fixture.PostAsync(Record, new { input = good }, token: await fixture.TokenAsync("admin.amsterdam@demo.test"));
        Assert.Equal(HttpStatusCode.Forbidden, byOutsider);

        var recorded = await RunAsync(Record, "recordPriceReview", good, manager);
        Assert.Empty(Errors(recorded));
        var review = Assert.Single(recorded["priceReviews"]!["reviews"]!.AsArray())!;
        Assert.Equal([("bouwpuin", (decimal?)35.00m, 22.50m), ("grofvuil", null, 25.00m)],
            review["findings"]!.AsArray().Select(f => (f!["serviceCode"]!.GetValue<string>(), f["currentAmount"]?.GetValue<decimal>(), f["advisedAmount"]!.GetValue<decimal>())));

        // A tariff change cites the review's finding for its own service.
        object Change(string service, int? priceReview, string kind = "TARIFF_CHANGE") => new
        {
            arrangementId = arrangement, kind, title = "Puin naar 22,50", motivation = "De prijstoets wijst uit dat het tarief te hoog is",
            text = kind == "TARIFF_CHANGE" ? null : "Besluit", effectiveDate = Day(90),
            tariff = kind == "TARIFF_CHANGE" ? new { serviceCode = service, amount = 22.50m, unitQuantity = 0.5m, unitMeasure = "m³" } : null, priceReview,
        };
        Assert.Equal([("priceReview", "NOT_FOUND")], Errors(await RunAsync(Propose, "proposeChange", Change("bouwpuin", 9), board)));
        Assert.Equal([("priceReview", "ILLEGAL_TRANSITION")], Errors(await RunAsync(Propose, "proposeChange", Change("bouwpuin", 1, "POLICY_DECISION"), board)));
        var proposed = await RunAsync(Propose, "proposeChange", Change("bouwpuin", 1), board);
        Assert.Empty(Errors(proposed));
        var key = proposed["proposal"]!["key"]!.GetValue<string>();

        // Anyone reads the reviews and the proposal's citation.
        var read = await fixture.DataAsync("query($id: ID!, $p: ID!) { arrangement(id: $id) { priceReviews { intervalYears reviews { number reviewer } viewerCanManage } } proposal(id: $p) { priceReview { number reviewer finding { currentAmount advisedAmount } } } }",
            new { id = arrangement, p = key });
        Assert.Equal((3, 1, false), (read["arrangement"]!["priceReviews"]!["intervalYears"]!.GetValue<int>(), read["arrangement"]!["priceReviews"]!["reviews"]!.AsArray().Count,
            read["arrangement"]!["priceReviews"]!["viewerCanManage"]!.GetValue<bool>()));
        var cited = read["proposal"]!["priceReview"]!;
        Assert.Equal((1, "Bureau Tariefadvies", 35.00m, 22.50m), (cited["number"]!.GetValue<int>(), cited["reviewer"]!.GetValue<string>(),
            cited["finding"]!["currentAmount"]!.GetValue<decimal>(), cited["finding"]!["advisedAmount"]!.GetValue<decimal>()));
    }
}
