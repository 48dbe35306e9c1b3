using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

/// <summary>
/// Extra work through GraphQL: Hoorn asks for salt to be bought in, the executing organisation quotes, Hoorn approves,
/// an invoice above the quote is refused until a revised quote is approved, and the ledger sets the invoice against
/// Hoorn's baseline; another member, a non-member and a resident are refused, and wrong input changes nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ExtraWorkTests(GatewayFixture fixture)
{
    private const string Fields = "key municipalityCode status quote approvedAmount invoicedAmount steps { status amount note by } viewerCan { quote approve decline invoice }";

    private static readonly string Request = $$"""
        mutation($input: RequestExtraWorkInput!) { requestExtraWork(input: $input) { extraWork { {{Fields}} } userErrors { field code message } } }
        """;

    private static string Step(string name, string input) => $$"""
        mutation($input: {{input}}!) { {{name}}(input: $input) { extraWork { {{Fields}} } userErrors { field code message } } }
        """;

    private static readonly string Quote = Step("quoteExtraWork", "QuoteExtraWorkInput");
    private static readonly string Approve = Step("approveExtraWorkQuote", "ApproveExtraWorkQuoteInput");
    private static readonly string Decline = Step("declineExtraWorkQuote", "DeclineExtraWorkQuoteInput");
    private static readonly string Invoice = Step("invoiceExtraWork", "InvoiceExtraWorkInput");

    private const string Baseline = """
        mutation($input: SetExtraWorkBaselineInput!) { setExtraWorkBaseline(input: $input) { municipalityCode userErrors { field code message } } }
        """;

    private const string Ledger = """
        query($id: ID!) { arrangement(id: $id) { viewerCan { requestExtraWork } extraWork { key status }
          extraWorkLedger { year viewerCanSetBaseline members { municipalityCode requests awaitingApproval approved invoiced baseline invoicedShareOfBaseline } } } }
        """;

    private static List<(string, string)> Errors(JsonNode payload) =>
        [.. payload["userErrors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))];

    private Task<string> ManagerAsync() => fixture.DedicatedStaffTokenAsync("xw.manager@demo.test", "GM0405", "contract-manager");

    private Task<string> ExecutorAsync() => fixture.DedicatedStaffTokenAsync("xw.executor@demo.test", "afvalbedrijf-nhn", "executor-staff");

    /// <summary>A fresh arrangement of Hoorn and Medemblik run by the demo executing organisation.</summary>
    private async Task<string> ArrangementAsync()
    {
        var key = $"meerwerk-{Guid.NewGuid():N}"[..20];
        var token = await fixture.DedicatedOperatorTokenAsync("xw.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Gladheid West-Friesland\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"strooien\", name: \"Strooien\" }] }) { userErrors { code } } }", new { key }, token: token);
        foreach (var code in new[] { "GM0405", "GM0420" })
        {
            await fixture.DataAsync("mutation($key: ID!, $code: String!) { addMember(input: { arrangementId: $key, municipalityCode: $code }) { userErrors { code } } }", new { key, code }, token: token);
        }
        return key;
    }

    private async Task<JsonNode> RunAsync(string mutation, string field, object input, string token)
    {
        var payload = (await fixture.DataAsync(mutation, new { input }, token: token))[field]!;
        return payload;
    }

    private async Task<HttpStatusCode> RefusedAsync(string mutation, object input, string? token)
    {
        var (status, body) = await fixture.PostAsync(mutation, new { input }, token: token);
        Assert.True(body["data"] is null || body["data"]!.AsObject().All(p => p.Value is null), body.ToJsonString());
        return status;
    }

    [Fact]
    public async Task Salt_bought_in_is_quoted_approved_and_invoiced_within_the_quote_and_the_ledger_sets_it_against_the_baseline()
    {
        var arrangement = await ArrangementAsync();
        var manager = await ManagerAsync();
        var executor = await ExecutorAsync();
        var medemblik = await fixture.DedicatedStaffTokenAsync("xw.medemblik@demo.test", "GM0420", "contract-manager");
        var amsterdam = await fixture.TokenAsync("admin.amsterdam@demo.test");

        var mayAsk = await fixture.DataAsync(Ledger, new { id = arrangement }, token: manager);
        Assert.True(mayAsk["arrangement"]!["viewerCan"]!["requestExtraWork"]!.GetValue<bool>());
        Assert.False((await fixture.DataAsync(Ledger, new { id = arrangement }, token: executor))["arrangement"]!["viewerCan"]!["requestExtraWork"]!.GetValue<bool>());

        var asked = await RunAsync(Request, "requestExtraWork", new { arrangementId = arrangement, title = "Strooizout bijkopen", description = "40 ton zout voor de routes naar scholen, deze week." }, manager);
        Assert.Empty(Errors(asked));
        var work = asked["extraWork"]!;
        var id = work["key"]!.GetValue<string>();
        Assert.Equal(("REQUESTED", "GM0405"), (work["status"]!.GetValue<string>(), work["municipalityCode"]!.GetValue<string>()));
        Assert.Equal([("extraWorkId", "ILLEGAL_TRANSITION")], Errors(await RunAsync(Approve, "approveExtraWorkQuote", new { extraWorkId = id }, manager)));

        // Only the executing organisation quotes.
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Quote, new { extraWorkId = id, amount = 100m }, manager));
        var quoted = await RunAsync(Quote, "quoteExtraWork", new { extraWorkId = id, amount = 12_500m, note = "40 ton à € 312,50" }, executor);
        Assert.Empty(Errors(quoted));
        Assert.Equal(("QUOTED", 12_500m), (quoted["extraWork"]!["status"]!.GetValue<string>(), quoted["extraWork"]!["quote"]!.GetValue<decimal>()));

        // Only the member that asked approves: not another member, not a municipality outside the arrangement.
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Approve, new { extraWorkId = id }, medemblik));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Approve, new { extraWorkId = id }, amsterdam));
        var approved = await RunAsync(Approve, "approveExtraWorkQuote", new { extraWorkId = id }, manager);
        Assert.Empty(Errors(approved));
        Assert.Equal(12_500m, approved["extraWork"]!["approvedAmount"]!.GetValue<decimal>());
        Assert.Equal([("extraWorkId", "ALREADY_EXISTS")], Errors(await RunAsync(Approve, "approveExtraWorkQuote", new { extraWorkId = id }, manager)));

        // An invoice above the approved quote is refused and changes nothing; a revised quote, approved, lets it through.
        Assert.Equal([("amount", "ABOVE_QUOTE")], Errors(await RunAsync(Invoice, "invoiceExtraWork", new { extraWorkId = id, amount = 13_000m }, executor)));
        var unchanged = (await fixture.DataAsync($"query($id: ID!) {{ extraWork(id: $id) {{ {Fields} }} }}", new { id }, token: manager))["extraWork"]!;
        Assert.Equal(("APPROVED", 3), (unchanged["status"]!.GetValue<string>(), unchanged["steps"]!.AsArray().Count));
        Assert.Null(unchanged["invoicedAmount"]);
        Assert.Empty(Errors(await RunAsync(Quote, "quoteExtraWork", new { extraWorkId = id, amount = 13_000m, note = "Zoutprijs gestegen" }, executor)));
        Assert.Equal([("extraWorkId", "ILLEGAL_TRANSITION")], Errors(await RunAsync(Invoice, "invoiceExtraWork", new { extraWorkId = id, amount = 13_000m }, executor)));
        Assert.Empty(Errors(await RunAsync(Approve, "approveExtraWorkQuote", new { extraWorkId = id }, manager)));
        var invoiced = await RunAsync(Invoice, "invoiceExtraWork", new { extraWorkId = id, amount = 12_990.50m, note = "Factuur 2026-114" }, executor);
        Assert.Empty(Errors(invoiced));
        Assert.Equal(("INVOICED", 12_990.50m, 6), (invoiced["extraWork"]!["status"]!.GetValue<string>(), invoiced["extraWork"]!["invoicedAmount"]!.GetValue<decimal>(), invoiced["extraWork"]!["steps"]!.AsArray().Count));
        Assert.Equal([("extraWorkId", "ALREADY_EXISTS")], Errors(await RunAsync(Invoice, "invoiceExtraWork", new { extraWorkId = id, amount = 1m }, executor)));

        // A second request, declined with a reason (a reason is required).
        var second = (await RunAsync(Request, "requestExtraWork", new { arrangementId = arrangement, title = "Extra veegronde", description = "Na de storm." }, manager))["extraWork"]!["key"]!.GetValue<string>();
        await RunAsync(Quote, "quoteExtraWork", new { extraWorkId = second, amount = 900m }, executor);
        Assert.Equal([("reason", "REQUIRED")], Errors(await RunAsync(Decline, "declineExtraWorkQuote", new { extraWorkId = second, reason = " " }, manager)));
        var declined = await RunAsync(Decline, "declineExtraWorkQuote", new { extraWorkId = second, reason = "Doet de gemeente zelf" }, manager);
        Assert.Equal("DECLINED", declined["extraWork"]!["status"]!.GetValue<string>());

        // Baselines: Hoorn sets its own; not Medemblik's, not for a municipality outside the arrangement, not negative.
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Baseline, new { arrangementId = arrangement, municipalityCode = "GM0420", annualAmount = 5m }, manager));
        Assert.Equal([("municipalityCode", "NOT_FOUND")], Errors(await RunAsync(Baseline, "setExtraWorkBaseline", new { arrangementId = arrangement, municipalityCode = "GM0363", annualAmount = 5m }, manager)));
        Assert.Equal([("annualAmount", "OUT_OF_RANGE")], Errors(await RunAsync(Baseline, "setExtraWorkBaseline", new { arrangementId = arrangement, municipalityCode = "GM0405", annualAmount = -1m }, manager)));
        Assert.Empty(Errors(await RunAsync(Baseline, "setExtraWorkBaseline", new { arrangementId = arrangement, municipalityCode = "GM0405", annualAmount = 10_000m }, manager)));

        var ledger = (await fixture.DataAsync(Ledger, new { id = arrangement }, token: medemblik))["arrangement"]!;
        Assert.Equal(2, ledger["extraWork"]!.AsArray().Count); // the other member sees it too: one shared view
        var line = Assert.Single(ledger["extraWorkLedger"]!["members"]!.AsArray())!;
        Assert.Equal(("GM0405", 2, 0m, 0m, 12_990.50m, 10_000m, 1.299m),
            (line["municipalityCode"]!.GetValue<string>(), line["requests"]!.GetValue<int>(), line["awaitingApproval"]!.GetValue<decimal>(), line["approved"]!.GetValue<decimal>(),
             line["invoiced"]!.GetValue<decimal>(), line["baseline"]!.GetValue<decimal>(), line["invoicedShareOfBaseline"]!.GetValue<decimal>()));
        Assert.True(ledger["extraWorkLedger"]!["viewerCanSetBaseline"]!.GetValue<bool>()); // Medemblik may set its own

        // Residents and outsiders see none of it.
        var (citizenStatus, _) = await fixture.PostAsync("query($id: ID!) { extraWork(id: $id) { title } }", new { id }, token: await fixture.TokenAsync("citizen@demo.test"));
        Assert.Equal(HttpStatusCode.Forbidden, citizenStatus);
        var outsider = (await fixture.DataAsync(Ledger, new { id = arrangement }, token: amsterdam))["arrangement"]!;
        Assert.Empty(outsider["extraWork"]!.AsArray());
        Assert.Null(outsider["extraWorkLedger"]);
    }

    [Fact]
    public async Task Missing_long_and_wrongly_typed_input_unknown_ids_and_strangers_are_named_and_nothing_is_stored()
    {
        var arrangement = await ArrangementAsync();
        var manager = await ManagerAsync();
        var executor = await ExecutorAsync();

        var missing = await RunAsync(Request, "requestExtraWork", new { arrangementId = arrangement, title = " ", description = new string('x', 4_001) }, manager);
        Assert.Equal([("title", "REQUIRED"), ("description", "TOO_LONG")], Errors(missing));
        Assert.Equal([("arrangementId", "NOT_FOUND")], Errors(await RunAsync(Request, "requestExtraWork", new { arrangementId = "no-such-arrangement", title = "Zout", description = "Bijkopen" }, manager)));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Request, new { arrangementId = arrangement, title = "Zout", description = "Bijkopen" }, executor));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedAsync(Request, new { arrangementId = arrangement, title = "Zout", description = "Bijkopen" }, await fixture.TokenAsync("citizen@demo.test")));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedAsync(Request, new { arrangementId = arrangement, title = "Zout", description = "Bijkopen" }, null));
        Assert.Empty((await fixture.DataAsync(Ledger, new { id = arrangement }, token: manager))["arrangement"]!["extraWork"]!.AsArray());

        var id = (await RunAsync(Request, "requestExtraWork", new { arrangementId = arrangement, title = "Zout", description = "Bijkopen" }, manager))["extraWork"]!["key"]!.GetValue<string>();
        Assert.Equal([("amount", "OUT_OF_RANGE")], Errors(await RunAsync(Quote, "quoteExtraWork", new { extraWorkId = id, amount = 0m }, executor)));
        Assert.Equal([("amount", "OUT_OF_RANGE")], Errors(await RunAsync(Quote, "quoteExtraWork", new { extraWorkId = id, amount = 20_000_000m }, executor)));
        Assert.Equal([("amount", "INVALID_FORMAT")], Errors(await RunAsync(Quote, "quoteExtraWork", new { extraWorkId = id, amount = 10.005m }, executor)));
        var (typeStatus, typeBody) = await fixture.PostAsync(Quote, new { input = new { extraWorkId = id, amount = "veel" } }, token: executor);
        Assert.Equal(HttpStatusCode.BadRequest, typeStatus);
        Assert.Contains("amount", typeBody["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal([("extraWorkId", "NOT_FOUND")], Errors(await RunAsync(Approve, "approveExtraWorkQuote", new { extraWorkId = "xw-does-not-exist" }, manager)));
        Assert.Null((await fixture.DataAsync("query { extraWork(id: \"xw-does-not-exist\") { key } }", token: manager))["extraWork"]);
        var (yearStatus, yearBody) = await fixture.PostAsync("query($id: ID!) { arrangement(id: $id) { extraWorkLedger(year: 1900) { year } } }", new { id = arrangement }, token: manager);
        Assert.Equal("OUT_OF_RANGE", yearBody["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.NotEqual(HttpStatusCode.InternalServerError, yearStatus);

        var stored = (await fixture.DataAsync($"query($id: ID!) {{ extraWork(id: $id) {{ {Fields} }} }}", new { id }, token: manager))["extraWork"]!;
        Assert.Equal(("REQUESTED", 1), (stored["status"]!.GetValue<string>(), stored["steps"]!.AsArray().Count));
        Assert.Null(stored["quote"]);
    }
}
