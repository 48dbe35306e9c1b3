using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class QueryTests(GatewayFixture fixture)
{
    private const string TariffsOn = """
        query($id: ID!, $on: Date) { arrangement(id: $id) { name tariffs(on: $on) { service { code } amount currency unit validFrom validTo decidedBy } } }
        """;

    private static JsonNode Debris(JsonNode arrangement) =>
        arrangement["tariffs"]!.AsArray().Single(t => t!["service"]!["code"]!.GetValue<string>() == "bouwpuin")!;

    [Fact]
    public async Task The_demo_arrangement_charges_35_euros_per_half_cubic_metre_of_debris()
    {
        var data = await fixture.DataAsync(TariffsOn, new { id = "afval-nhn", on = "2026-11-28" });

        var debris = Debris(data["arrangement"]!);
        Assert.Equal(35.00m, debris["amount"]!.GetValue<decimal>());
        Assert.Equal("35.00", debris["amount"]!.ToJsonString());
        Assert.Equal(("EUR", "per 0.5 m³"), (debris["currency"]!.GetValue<string>(), debris["unit"]!.GetValue<string>()));
        Assert.Null(debris["validTo"]);
        Assert.StartsWith("AB-2024-11", debris["decidedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tariffs_on_an_earlier_date_are_the_ones_valid_then()
    {
        var data = await fixture.DataAsync(TariffsOn, new { id = "afval-nhn", on = "2024-06-01" });

        var debris = Debris(data["arrangement"]!);
        Assert.Equal(30.00m, debris["amount"]!.GetValue<decimal>());
        Assert.Equal("2024-12-31", debris["validTo"]!.GetValue<string>());
        Assert.DoesNotContain(data["arrangement"]!["tariffs"]!.AsArray(), t => t!["service"]!["code"]!.GetValue<string>() == "extra-container");
    }

    [Fact]
    public async Task Tariff_history_lists_every_version_with_its_decision()
    {
        var data = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { tariffHistory(serviceCode: "bouwpuin") { amount validFrom validTo decidedBy } } }""");

        var history = data["arrangement"]!["tariffHistory"]!.AsArray();
        Assert.Equal([30.00m, 35.00m], history.Select(t => t!["amount"]!.GetValue<decimal>()));
        Assert.All(history, t => Assert.False(string.IsNullOrEmpty(t!["decidedBy"]!.GetValue<string>())));
    }

    [Fact]
    public async Task An_arrangement_is_found_by_key_by_global_id_and_through_node()
    {
        var byKey = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { id name } }""");
        var id = byKey["arrangement"]!["id"]!.GetValue<string>();

        var byId = await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { name } node(id: $id) { id ... on Arrangement { key } } }", new { id });

        Assert.Equal(byKey["arrangement"]!["name"]!.GetValue<string>(), byId["arrangement"]!["name"]!.GetValue<string>());
        Assert.Equal(("afval-nhn", id), (byId["node"]!["key"]!.GetValue<string>(), byId["node"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Members_carry_their_weight_and_municipality()
    {
        var data = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { members { weight inhabitants inhabitantsReferenceDate municipality { code name } } } }""");

        var hoorn = data["arrangement"]!["members"]!.AsArray().Single(m => m!["municipality"]!["code"]!.GetValue<string>() == "GM0405")!;
        Assert.Equal(("Hoorn", 8, 74_700, "2024-01-01"),
            (hoorn["municipality"]!["name"]!.GetValue<string>(), hoorn["weight"]!.GetValue<int>(), hoorn["inhabitants"]!.GetValue<int>(), hoorn["inhabitantsReferenceDate"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_municipality_lists_the_arrangements_it_is_a_member_of()
    {
        var data = await fixture.DataAsync("""{ municipality(code: "gm0363") { code name inhabitants arrangements { key } } }""");

        var amsterdam = data["municipality"]!;
        Assert.Equal(("GM0363", "Amsterdam"), (amsterdam["code"]!.GetValue<string>(), amsterdam["name"]!.GetValue<string>()));
        Assert.Equal(["gladheid-amstelland"], amsterdam["arrangements"]!.AsArray().Select(a => a!["key"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{ arrangement(id: "no-such-arrangement") { name } }""", "arrangement")]
    [InlineData("""{ municipality(code: "GM9999") { name } }""", "municipality")]
    [InlineData("""{ municipality(code: "not a code") { name } }""", "municipality")]
    [InlineData("""{ node(id: "bm90IGFuIGlk") { id } }""", "node")]
    public async Task Unknown_ids_and_codes_answer_null_without_errors(string query, string field)
    {
        var data = await fixture.DataAsync(query);

        Assert.Null(data[field]);
    }

    [Fact]
    public async Task Paging_through_municipalities_visits_each_once_in_order()
    {
        var codes = new List<string>();
        string? after = null;
        int total;
        while (true)
        {
            var data = await fixture.DataAsync("query($after: String) { municipalities(first: 5, after: $after) { totalCount nodes { code } edges { cursor } pageInfo { hasNextPage endCursor } } }", new { after });
            var page = data["municipalities"]!;
            total = page["totalCount"]!.GetValue<int>();
            codes.AddRange(page["nodes"]!.AsArray().Select(n => n!["code"]!.GetValue<string>()));
            Assert.Equal(page["edges"]!.AsArray().Last()!["cursor"]!.GetValue<string>(), page["pageInfo"]!["endCursor"]!.GetValue<string>());
            if (!page["pageInfo"]!["hasNextPage"]!.GetValue<bool>()) break;
            after = page["pageInfo"]!["endCursor"]!.GetValue<string>();
        }

        Assert.True(codes.Count >= 16);
        Assert.Equal(total, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Theory]
    [InlineData("{ arrangements(first: 0) { totalCount } }", "'first' must be between 1 and 100")]
    [InlineData("{ arrangements(first: 101) { totalCount } }", "'first' must be between 1 and 100")]
    [InlineData("""{ arrangements(after: "garbage") { totalCount } }""", "'after' is not a cursor of this list")]
    public async Task A_wrong_page_argument_is_a_field_error_that_names_it(string query, string message)
    {
        var (status, body) = await fixture.PostAsync(query);

        Assert.Equal(HttpStatusCode.OK, status);
        var error = body["errors"]![0]!;
        Assert.Contains(message, error["message"]!.GetValue<string>());
        Assert.Equal("BAD_USER_INPUT", error["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_municipality_cursor_is_refused_by_the_arrangement_list()
    {
        var data = await fixture.DataAsync("{ municipalities(first: 1) { pageInfo { endCursor } } }");
        var cursor = data["municipalities"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        var (_, body) = await fixture.PostAsync("query($c: String) { arrangements(after: $c) { totalCount } }", new { c = cursor });

        Assert.Equal("BAD_USER_INPUT", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }
}
