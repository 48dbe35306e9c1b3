using System.Text.Json.Nodes;
using Platform.Domain.Calendar;

namespace Platform.Gateway.Tests;

/// <summary>Setting up an arrangement through the API: service levels, members with an agreed count, memberships that end.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GovernanceTests(GatewayFixture fixture)
{
    private const string Create = """
        mutation($input: CreateArrangementInput!) { createArrangement(input: $input) {
          arrangement { key services { code serviceLevel { daysToAcknowledge daysToResolve counting } } }
          userErrors { field code message } } }
        """;

    private const string AddMember = """
        mutation($input: AddMemberInput!) { addMember(input: $input) {
          member { municipality { code } inhabitants inhabitantsReferenceDate weight current lastDay }
          userErrors { field code message } } }
        """;

    private const string EndMembership = """
        mutation($input: EndMembershipInput!) { endMembership(input: $input) {
          member { municipality { code } lastDay current }
          userErrors { field code message } } }
        """;

    private DateOnly Today => AmsterdamCalendar.DateOf(fixture.Clock.GetUtcNow());

    private static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Services_carry_the_service_level_they_were_created_with_or_the_default()
    {
        var key = NewKey("niveau");
        var data = await fixture.DataAsync(Create, new
        {
            input = new
            {
                key, name = "Afval met afspraken", executingOrganisationId = "afvalbedrijf-nhn",
                services = new object[]
                {
                    new { code = "bouwpuin", name = "Bouwpuin", serviceLevel = new { daysToAcknowledge = 1, daysToResolve = 5, counting = "CALENDAR_DAYS" } },
                    new { code = "asbest", name = "Asbest" },
                },
            },
        }, token: await fixture.OperatorAsync());

        Assert.Empty(data["createArrangement"]!["userErrors"]!.AsArray());
        var read = await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { services { code serviceLevel { daysToAcknowledge daysToResolve counting } } } }", new { id = key });
        var services = read["arrangement"]!["services"]!.AsArray();
        var bouwpuin = services.Single(s => s!["code"]!.GetValue<string>() == "bouwpuin")!["serviceLevel"]!;
        var asbest = services.Single(s => s!["code"]!.GetValue<string>() == "asbest")!["serviceLevel"]!;
        Assert.Equal((1, 5, "CALENDAR_DAYS"), (bouwpuin["daysToAcknowledge"]!.GetValue<int>(), bouwpuin["daysToResolve"]!.GetValue<int>(), bouwpuin["counting"]!.GetValue<string>()));
        Assert.Equal((2, 10, "WORKING_DAYS"), (asbest["daysToAcknowledge"]!.GetValue<int>(), asbest["daysToResolve"]!.GetValue<int>(), asbest["counting"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(0, 5, "services[0].serviceLevel.daysToAcknowledge")]
    [InlineData(-2, 5, "services[0].serviceLevel.daysToAcknowledge")]
    [InlineData(3, 2, "services[0].serviceLevel.daysToResolve")]
    [InlineData(1, 0, "services[0].serviceLevel.daysToResolve")]
    [InlineData(1, 366, "services[0].serviceLevel.daysToResolve")]
    public async Task A_service_level_of_zero_negative_or_too_many_days_is_refused_and_creates_nothing(int acknowledge, int resolve, string field)
    {
        var key = NewKey("slecht");
        var data = await fixture.DataAsync(Create, new
        {
            input = new
            {
                key, name = "Slecht niveau", executingOrganisationId = "afvalbedrijf-nhn",
                services = new[] { new { code = "bouwpuin", name = "Bouwpuin", serviceLevel = new { daysToAcknowledge = acknowledge, daysToResolve = resolve } } },
            },
        }, token: await fixture.OperatorAsync());

        var error = Assert.Single(data["createArrangement"]!["userErrors"]!.AsArray())!;
        Assert.Equal(field, error["field"]!.GetValue<string>());
        Assert.Equal("OUT_OF_RANGE", error["code"]!.GetValue<string>());
        Assert.Null(data["createArrangement"]!["arrangement"]);
        Assert.Null((await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { key } }", new { id = key }))["arrangement"]);
    }

    [Fact]
    public async Task A_service_level_change_proposing_zero_days_is_refused()
    {
        var key = await ArrangementAsync(NewKey("voorstel"), "GM0405");
        var data = await fixture.DataAsync("""
            mutation($input: ProposeChangeInput!) { proposeChange(input: $input) { proposal { key } userErrors { field code } } }
            """, new
        {
            input = new
            {
                arrangementId = key, kind = "SERVICE_LEVEL_CHANGE", title = "Sneller", motivation = "Te traag",
                effectiveDate = Today.AddDays(45).ToString("yyyy-MM-dd"),
                serviceLevel = new { serviceCode = "bouwpuin", daysToAcknowledge = 0, daysToResolve = 0, counting = "WORKING_DAYS" },
            },
        }, token: await fixture.TokenAsync("board@demo.test"));

        var fields = data["proposeChange"]!["userErrors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["serviceLevel.daysToAcknowledge", "serviceLevel.daysToResolve"], fields);
        Assert.Null(data["proposeChange"]!["proposal"]);
    }

    [Fact]
    public async Task A_member_is_admitted_with_the_count_the_members_agreed_and_a_bad_count_is_named_and_admits_nobody()
    {
        var key = await ArrangementAsync(NewKey("telling"), "GM0405");
        var admin = await fixture.TokenAsync("admin@demo.test");
        await OnboardAsync("GM0398", "Heerhugowaard", 58000);

        var future = await fixture.DataAsync(AddMember, new { input = new { arrangementId = key, municipalityCode = "GM0398", inhabitants = 60000, inhabitantsReferenceDate = Today.AddDays(1).ToString("yyyy-MM-dd") } }, token: admin);
        var halfGiven = await fixture.DataAsync(AddMember, new { input = new { arrangementId = key, municipalityCode = "GM0398", inhabitants = 60000 } }, token: admin);
        var negative = await fixture.DataAsync(AddMember, new { input = new { arrangementId = key, municipalityCode = "GM0398", inhabitants = -5, inhabitantsReferenceDate = "2025-01-01" } }, token: admin);
        Assert.Equal("inhabitantsReferenceDate", FirstError(future, "addMember")["field"]!.GetValue<string>());
        Assert.Equal("REQUIRED", FirstError(halfGiven, "addMember")["code"]!.GetValue<string>());
        Assert.Equal("inhabitants", FirstError(negative, "addMember")["field"]!.GetValue<string>());
        Assert.Single(await MembersAsync(key));

        var agreed = await fixture.DataAsync(AddMember, new { input = new { arrangementId = key, municipalityCode = "GM0398", inhabitants = 61234, inhabitantsReferenceDate = "2025-01-01" } }, token: admin);
        var member = agreed["addMember"]!["member"]!;
        Assert.Equal(61234, member["inhabitants"]!.GetValue<int>());
        Assert.Equal("2025-01-01", member["inhabitantsReferenceDate"]!.GetValue<string>());
        Assert.True(member["current"]!.GetValue<bool>());
        Assert.Null(member["lastDay"]);
    }

    [Fact]
    public async Task A_membership_ends_once_and_not_before_it_began_nor_for_a_stranger()
    {
        var key = await ArrangementAsync(NewKey("uittreden"), "GM0405");
        var admin = await fixture.TokenAsync("admin@demo.test");
        await OnboardAsync("GM1598", "Koggenland", 23000);
        Assert.Empty((await fixture.DataAsync(AddMember, new { input = new { arrangementId = key, municipalityCode = "GM1598" } }, token: admin))["addMember"]!["userErrors"]!.AsArray());

        var beforeJoining = await fixture.DataAsync(EndMembership, new { input = new { arrangementId = key, municipalityCode = "GM1598", lastDay = Today.AddDays(-1).ToString("yyyy-MM-dd") } }, token: admin);
        var stranger = await fixture.DataAsync(EndMembership, new { input = new { arrangementId = key, municipalityCode = "GM0363", lastDay = Today.AddDays(5).ToString("yyyy-MM-dd") } }, token: admin);
        Assert.Contains("joined on", FirstError(beforeJoining, "endMembership")["message"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", FirstError(stranger, "endMembership")["code"]!.GetValue<string>());
        Assert.All(await MembersAsync(key), m => Assert.Null(m["lastDay"]));

        var lastDay = Today.AddDays(3);
        var ended = await fixture.DataAsync(EndMembership, new { input = new { arrangementId = key, municipalityCode = "GM1598", lastDay = lastDay.ToString("yyyy-MM-dd") } }, token: admin);
        Assert.Empty(ended["endMembership"]!["userErrors"]!.AsArray());
        Assert.Equal(lastDay.ToString("yyyy-MM-dd"), ended["endMembership"]!["member"]!["lastDay"]!.GetValue<string>());
        Assert.True(ended["endMembership"]!["member"]!["current"]!.GetValue<bool>());

        var twice = await fixture.DataAsync(EndMembership, new { input = new { arrangementId = key, municipalityCode = "GM1598", lastDay = lastDay.AddDays(10).ToString("yyyy-MM-dd") } }, token: admin);
        Assert.Equal("DUPLICATE", FirstError(twice, "endMembership")["code"]!.GetValue<string>());
        Assert.Equal(lastDay.ToString("yyyy-MM-dd"), (await MembersAsync(key)).Single(m => m["municipality"]!["code"]!.GetValue<string>() == "GM1598")["lastDay"]!.GetValue<string>());

        Assert.Equal("GM1598", (await MembersAsync(key)).Last()["municipality"]!["code"]!.GetValue<string>());
    }

    private async Task<string> ArrangementAsync(string key, string member)
    {
        var token = await fixture.OperatorAsync();
        var created = await fixture.DataAsync(Create, new { input = new { key, name = "Regeling " + key, executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "bouwpuin", name = "Bouwpuin" } } } }, token: token);
        Assert.Empty(created["createArrangement"]!["userErrors"]!.AsArray());
        var added = await fixture.DataAsync(AddMember, new { input = new { arrangementId = key, municipalityCode = member } }, token: token);
        Assert.Empty(added["addMember"]!["userErrors"]!.AsArray());
        return key;
    }

    private async Task OnboardAsync(string code, string name, int inhabitants) =>
        await fixture.DataAsync("mutation($code: String!, $name: String!, $inhabitants: Int!) { onboardMunicipality(input: { code: $code, name: $name, inhabitants: $inhabitants, inhabitantsReferenceDate: \"2024-01-01\" }) { userErrors { code } } }",
            new { code, name, inhabitants }, token: await fixture.OperatorAsync());

    private async Task<List<JsonNode>> MembersAsync(string key) =>
        [.. (await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { members { municipality { code } lastDay current } } }", new { id = key }))["arrangement"]!["members"]!.AsArray().Select(m => m!)];

    private static JsonNode FirstError(JsonNode data, string field) => data[field]!["userErrors"]!.AsArray()[0]!;
}
