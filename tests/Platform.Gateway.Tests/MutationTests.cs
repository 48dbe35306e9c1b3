using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class MutationTests(GatewayFixture fixture)
{
    private const string Onboard = """
        mutation($input: OnboardMunicipalityInput!) {
          onboardMunicipality(input: $input) { clientMutationId municipality { code name inhabitants history { action } } userErrors { field code message } }
        }
        """;

    private const string Create = """
        mutation($input: CreateArrangementInput!) {
          createArrangement(input: $input) { clientMutationId arrangement { key name executingOrganisation { key name } voteWeight { kind inhabitantsPerVote } services { code } } userErrors { field code message } }
        }
        """;

    private const string AddMember = """
        mutation($input: AddMemberInput!) {
          addMember(input: $input) { arrangement { members { municipality { code } } } member { weight municipality { code } } userErrors { field code message } }
        }
        """;

    private const string Publish = """
        mutation($input: PublishTariffScheduleInput!) {
          publishTariffSchedule(input: $input) { arrangement { tariffHistory { service { code } amount unit validFrom validTo decidedBy } } userErrors { field code message } }
        }
        """;

    private static JsonArray Errors(JsonNode payload) => payload["userErrors"]!.AsArray();

    private static (string Field, string Code) Single(JsonNode payload)
    {
        var error = Assert.Single(Errors(payload))!;
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        return (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>());
    }

    private static object Municipality(string code, string name = "Testgemeente", int inhabitants = 25_000, string? key = null) =>
        new { input = new { clientMutationId = key, code, name, inhabitants, inhabitantsReferenceDate = "2024-01-01" } };

    private async Task<string> CreateArrangementAsync(string key, params string[] services)
    {
        var data = await fixture.DataAsync(Create, new { input = new { key, name = $"Regeling {key}", executingOrganisationId = "afvalbedrijf-nhn", services = services.Select(s => new { code = s, name = s.ToUpperInvariant() }) } }, token: await fixture.OperatorAsync());
        Assert.Empty(Errors(data["createArrangement"]!));
        return key;
    }

    private async Task<JsonNode?> ArrangementAsync(string key) =>
        (await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { members { weight municipality { code } } tariffHistory { amount } history { action } } }", new { id = key }))["arrangement"];

    [Fact]
    public async Task Onboarding_creates_a_municipality_that_queries_find()
    {
        var data = await fixture.DataAsync(Onboard, Municipality("GM0268", "Nijmegen", 183_000), token: await fixture.OperatorAsync());

        var payload = data["onboardMunicipality"]!;
        Assert.Empty(Errors(payload));
        Assert.Equal("Nijmegen", payload["municipality"]!["name"]!.GetValue<string>());
        var found = await fixture.DataAsync("""{ municipality(code: "GM0268") { inhabitants } }""");
        Assert.Equal(183_000, found["municipality"]!["inhabitants"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replay_with_the_same_clientMutationId_returns_the_first_result_and_changes_nothing_twice()
    {
        var first = (await fixture.DataAsync(Onboard, Municipality("GM0202", "Arnhem", 166_000, key: "onboard-arnhem"), token: await fixture.OperatorAsync()))["onboardMunicipality"]!;
        var replay = (await fixture.DataAsync(Onboard, Municipality("GM0202", "Arnhem", 166_000, key: "onboard-arnhem"), token: await fixture.OperatorAsync()))["onboardMunicipality"]!;

        Assert.Empty(Errors(first));
        Assert.Empty(Errors(replay));
        Assert.Equal("onboard-arnhem", replay["clientMutationId"]!.GetValue<string>());
        Assert.Equal(first["municipality"]!.ToJsonString(), replay["municipality"]!.ToJsonString());
        Assert.Single(replay["municipality"]!["history"]!.AsArray());
    }

    [Fact]
    public async Task A_clientMutationId_reused_with_other_input_is_refused_and_the_first_stays()
    {
        await fixture.DataAsync(Onboard, Municipality("GM0200", "Apeldoorn", 165_000, key: "reused-key"), token: await fixture.OperatorAsync());

        var reused = (await fixture.DataAsync(Onboard, Municipality("GM0200", "Apeldoorn", 999, key: "reused-key"), token: await fixture.OperatorAsync()))["onboardMunicipality"]!;

        Assert.Equal(("clientMutationId", "IDEMPOTENCY_KEY_REUSED"), Single(reused));
        var stored = await fixture.DataAsync("""{ municipality(code: "GM0200") { inhabitants } }""");
        Assert.Equal(165_000, stored["municipality"]!["inhabitants"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replayed_creation_with_the_Idempotency_Key_header_creates_exactly_one_arrangement()
    {
        var input = new { input = new { name = "Regeling zonder sleutel", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "zout", name = "Zout" } } } };
        var before = (await fixture.DataAsync("{ arrangements(first: 1) { totalCount } }"))["arrangements"]!["totalCount"]!.GetValue<int>();

        var first = (await fixture.DataAsync(Create, input, idempotencyKey: "create-once", token: await fixture.OperatorAsync()))["createArrangement"]!;
        var replay = (await fixture.DataAsync(Create, input, idempotencyKey: "create-once", token: await fixture.OperatorAsync()))["createArrangement"]!;

        var after = (await fixture.DataAsync("{ arrangements(first: 1) { totalCount } }"))["arrangements"]!["totalCount"]!.GetValue<int>();
        Assert.Equal(before + 1, after);
        Assert.StartsWith("arr-", first["arrangement"]!["key"]!.GetValue<string>());
        Assert.Equal(first["arrangement"]!["key"]!.GetValue<string>(), replay["arrangement"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Onboarding_the_same_code_twice_is_refused()
    {
        await fixture.DataAsync(Onboard, Municipality("GM0599", "Rotterdam", 670_000), token: await fixture.OperatorAsync());

        var second = (await fixture.DataAsync(Onboard, Municipality("GM0599", "Rotterdam", 1), token: await fixture.OperatorAsync()))["onboardMunicipality"]!;

        Assert.Equal(("code", "ALREADY_EXISTS"), Single(second));
        Assert.Null(second["municipality"]);
    }

    [Theory]
    [InlineData("GM12", "Testgemeente", 10, "code", "INVALID_FORMAT")]
    [InlineData("GM0301", "", 10, "name", "REQUIRED")]
    [InlineData("GM0301", "Testgemeente", 0, "inhabitants", "OUT_OF_RANGE")]
    public async Task An_invalid_municipality_is_refused_with_the_field_named(string code, string name, int inhabitants, string field, string errorCode)
    {
        var payload = (await fixture.DataAsync(Onboard, Municipality(code, name, inhabitants), token: await fixture.OperatorAsync()))["onboardMunicipality"]!;

        Assert.Equal((field, errorCode), Single(payload));
        Assert.Null((await fixture.DataAsync("query($c: String!) { municipality(code: $c) { name } }", new { c = code }))["municipality"]);
    }

    [Fact]
    public async Task A_missing_required_input_field_is_refused_before_anything_runs()
    {
        var (status, body) = await fixture.PostAsync(Onboard, new { input = new { code = "GM0307", inhabitants = 10, inhabitantsReferenceDate = "2024-01-01" } }, token: await fixture.OperatorAsync());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("name", body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Null((await fixture.DataAsync("""{ municipality(code: "GM0307") { name } }"""))["municipality"]);
    }

    [Fact]
    public async Task A_wrongly_typed_input_field_is_refused_before_anything_runs()
    {
        var (status, body) = await fixture.PostAsync(Onboard, new { input = new { code = "GM0307", name = "Amersfoort", inhabitants = "many", inhabitantsReferenceDate = "2024-01-01" } }, token: await fixture.OperatorAsync());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("inhabitants", body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Null((await fixture.DataAsync("""{ municipality(code: "GM0307") { name } }"""))["municipality"]);
    }

    [Fact]
    public async Task A_member_joins_with_its_inhabitants_weight()
    {
        await CreateArrangementAsync("weighted", "zout");
        await fixture.DataAsync(Create, new { input = new { key = "weighted-inh", name = "Gewogen", executingOrganisationId = "afvalbedrijf-nhn", services = Array.Empty<object>(), voteWeight = new { kind = "BY_INHABITANTS", inhabitantsPerVote = 10_000 } } }, token: await fixture.OperatorAsync());
        await fixture.DataAsync(Onboard, Municipality("GM0344", "Utrecht", 367_000), token: await fixture.OperatorAsync());

        var payload = (await fixture.DataAsync(AddMember, new { input = new { arrangementId = "weighted-inh", municipalityCode = "GM0344" } }, token: await fixture.OperatorAsync()))["addMember"]!;

        Assert.Empty(Errors(payload));
        Assert.Equal(37, payload["member"]!["weight"]!.GetValue<int>());
        var utrecht = await fixture.DataAsync("""{ municipality(code: "GM0344") { arrangements { key } } }""");
        Assert.Contains("weighted-inh", utrecht["municipality"]!["arrangements"]!.AsArray().Select(a => a!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_member_added_twice_is_refused_and_listed_once()
    {
        await CreateArrangementAsync("twice", "zout");
        await fixture.DataAsync(Onboard, Municipality("GM0141", "Almelo", 74_000), token: await fixture.OperatorAsync());
        await fixture.DataAsync(AddMember, new { input = new { arrangementId = "twice", municipalityCode = "GM0141" } }, token: await fixture.OperatorAsync());

        var again = (await fixture.DataAsync(AddMember, new { input = new { arrangementId = "twice", municipalityCode = "GM0141" } }, token: await fixture.OperatorAsync()))["addMember"]!;

        Assert.Equal(("municipalityCode", "DUPLICATE"), Single(again));
        Assert.Single((await ArrangementAsync("twice"))!["members"]!.AsArray());
    }

    [Theory]
    [InlineData("afval-nhn", "GM9998", "municipalityCode", "NOT_FOUND")]
    [InlineData("no-such-arrangement", "GM0405", "arrangementId", "NOT_FOUND")]
    [InlineData("afval-nhn", "Hoorn", "municipalityCode", "INVALID_FORMAT")]
    public async Task Adding_an_unknown_member_or_to_an_unknown_arrangement_is_refused(string arrangementId, string code, string field, string errorCode)
    {
        var before = (await ArrangementAsync("afval-nhn"))!["members"]!.AsArray().Count;

        var payload = (await fixture.DataAsync(AddMember, new { input = new { arrangementId, municipalityCode = code } }, token: await fixture.OperatorAsync()))["addMember"]!;

        Assert.Equal((field, errorCode), Single(payload));
        Assert.Equal(before, (await ArrangementAsync("afval-nhn"))!["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_published_schedule_is_visible_with_its_decision()
    {
        await CreateArrangementAsync("priced", "bouwpuin");

        var payload = (await fixture.DataAsync(Publish, new { input = new { arrangementId = "priced", decidedBy = "AB-2025-01", tariffs = new object[]
        {
            new { serviceCode = "bouwpuin", amount = 30.00m, unitQuantity = 0.5m, unitMeasure = "m³", validFrom = "2024-01-01", validTo = "2024-12-31" },
            new { serviceCode = "bouwpuin", amount = 35.00m, unitQuantity = 0.5m, unitMeasure = "m³", validFrom = "2025-01-01", decidedBy = "AB-2024-11" },
        } } }, token: await fixture.OperatorAsync()))["publishTariffSchedule"]!;

        Assert.Empty(Errors(payload));
        var history = payload["arrangement"]!["tariffHistory"]!.AsArray();
        Assert.Equal([("AB-2025-01", 30.00m), ("AB-2024-11", 35.00m)], history.Select(t => (t!["decidedBy"]!.GetValue<string>(), t["amount"]!.GetValue<decimal>())));
        Assert.Equal("per 0.5 m³", history[1]!["unit"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(-5.0, 0.5, "2025-01-01", null, "tariffs[0].amount", "OUT_OF_RANGE")]
    [InlineData(35.0, 0.0, "2025-01-01", null, "tariffs[0].unitQuantity", "OUT_OF_RANGE")]
    [InlineData(35.0, 0.5, "2025-01-01", "2024-01-01", "tariffs[0].validTo", "INVALID_PERIOD")]
    public async Task A_negative_zero_unit_or_backwards_tariff_is_refused_and_nothing_is_stored(double amount, double quantity, string from, string? to, string field, string code)
    {
        var key = $"bad-{Guid.NewGuid():N}"[..20];
        await CreateArrangementAsync(key, "bouwpuin");

        var payload = (await fixture.DataAsync(Publish, new { input = new { arrangementId = key, tariffs = new[]
        {
            new { serviceCode = "bouwpuin", amount = (decimal)amount, unitQuantity = (decimal)quantity, unitMeasure = "m³", validFrom = from, validTo = to },
        } } }, token: await fixture.OperatorAsync()))["publishTariffSchedule"]!;

        Assert.Equal((field, code), Single(payload));
        Assert.Empty((await ArrangementAsync(key))!["tariffHistory"]!.AsArray());
    }

    [Fact]
    public async Task Overlapping_validity_periods_are_refused_and_nothing_is_stored()
    {
        await CreateArrangementAsync("overlap", "bouwpuin");

        var payload = (await fixture.DataAsync(Publish, new { input = new { arrangementId = "overlap", tariffs = new object[]
        {
            new { serviceCode = "bouwpuin", amount = 30m, unitQuantity = 1m, unitMeasure = "m³", validFrom = "2024-01-01" },
            new { serviceCode = "bouwpuin", amount = 35m, unitQuantity = 1m, unitMeasure = "m³", validFrom = "2025-01-01" },
        } } }, token: await fixture.OperatorAsync()))["publishTariffSchedule"]!;

        Assert.Equal(("tariffs[1].validFrom", "OVERLAP"), Single(payload));
        Assert.Empty((await ArrangementAsync("overlap"))!["tariffHistory"]!.AsArray());
    }

    [Fact]
    public async Task The_demo_schedule_cannot_be_published_again()
    {
        var payload = (await fixture.DataAsync(Publish, new { input = new { arrangementId = "afval-nhn", tariffs = new[]
        {
            new { serviceCode = "bouwpuin", amount = 10m, unitQuantity = 1m, unitMeasure = "m³", validFrom = "2030-01-01" },
        } } }, token: await fixture.OperatorAsync()))["publishTariffSchedule"]!;

        Assert.Equal(("arrangementId", "ALREADY_PUBLISHED"), Single(payload));
        var debris = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { tariffs(on: "2030-06-01") { service { code } amount } } }""");
        Assert.Contains(debris["arrangement"]!["tariffs"]!.AsArray(), t => t!["service"]!["code"]!.GetValue<string>() == "bouwpuin" && t["amount"]!.GetValue<decimal>() == 35.00m);
    }

    [Theory]
    [InlineData("Bad Key!", "key", "INVALID_FORMAT")]
    [InlineData("afval-nhn", "id", "ALREADY_EXISTS")]
    public async Task An_arrangement_with_a_bad_or_taken_key_is_refused(string key, string field, string code)
    {
        var payload = (await fixture.DataAsync(Create, new { input = new { key, name = "Nog een", executingOrganisationId = "afvalbedrijf-nhn", services = Array.Empty<object>() } }, token: await fixture.OperatorAsync()))["createArrangement"]!;

        Assert.Equal((field, code), Single(payload));
        var demo = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { name } }""");
        Assert.Equal("Gemeenschappelijke Regeling Afval Noord-Holland Noord", demo["arrangement"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_change_is_recorded_with_who_and_what()
    {
        await CreateArrangementAsync("recorded", "zout");
        await fixture.DataAsync(Onboard, Municipality("GM0637", "Zoetermeer", 127_000), token: await fixture.OperatorAsync());
        await fixture.DataAsync(AddMember, new { input = new { arrangementId = "recorded", municipalityCode = "GM0637" } }, token: await fixture.OperatorAsync());

        var data = await fixture.DataAsync("""{ arrangement(id: "recorded") { history { at actor action detail } } }""");

        var history = data["arrangement"]!["history"]!.AsArray();
        Assert.Equal(["created", "member-added"], history.Select(h => h!["action"]!.GetValue<string>()));
        Assert.All(history, h => Assert.Equal("operator@demo.test", h!["actor"]!.GetValue<string>()));
        Assert.Contains("GM0637", history[1]!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Weight_by_inhabitants_without_a_block_size_is_refused()
    {
        var payload = (await fixture.DataAsync(Create, new { input = new { key = "no-block-size", name = "Gewogen", executingOrganisationId = "afvalbedrijf-nhn", services = Array.Empty<object>(), voteWeight = new { kind = "BY_INHABITANTS" } } }, token: await fixture.OperatorAsync()))["createArrangement"]!;

        Assert.Equal(("voteWeight.inhabitantsPerVote", "OUT_OF_RANGE"), Single(payload));
        Assert.Null((await fixture.DataAsync("""{ arrangement(id: "no-block-size") { name } }"""))["arrangement"]);
    }
}
