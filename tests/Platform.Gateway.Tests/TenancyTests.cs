using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class TenancyTests(GatewayFixture fixture)
{
    private const string Tenant = "{ viewer { tenant { id name kind resolvedBy } } }";

    private static JsonNode? TenantOf(JsonNode body) => body["data"]!["viewer"]!["tenant"];

    [Fact]
    public async Task A_staff_token_resolves_its_municipality_by_claim()
    {
        var (status, body) = await fixture.PostAsync(Tenant, token: await fixture.TokenAsync("admin@demo.test"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("GM0405", "Hoorn", "MUNICIPALITY", "claim"),
            (TenantOf(body)!["id"]!.GetValue<string>(), TenantOf(body)!["name"]!.GetValue<string>(), TenantOf(body)!["kind"]!.GetValue<string>(), TenantOf(body)!["resolvedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Executing_organisation_staff_resolve_their_organisation()
    {
        var (_, body) = await fixture.PostAsync(Tenant, token: await fixture.TokenAsync("executor@demo.test"));

        Assert.Equal(("afvalbedrijf-nhn", "EXECUTING_ORGANISATION"), (TenantOf(body)!["id"]!.GetValue<string>(), TenantOf(body)!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_portal_link_names_the_tenant_for_an_anonymous_visitor()
    {
        var (status, body) = await fixture.PostAsync(Tenant, path: "/t/GM0363/graphql");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("GM0363", "route"), (TenantOf(body)!["id"]!.GetValue<string>(), TenantOf(body)!["resolvedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_tenant_in_the_link_is_404_with_a_GraphQL_error()
    {
        var (status, body) = await fixture.PostAsync(Tenant, path: "/t/GM9999/graphql");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("TENANT_NOT_FOUND", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("GM9999", body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_for_one_tenant_on_another_tenants_link_is_403()
    {
        var (status, body) = await fixture.PostAsync(Tenant, token: await fixture.TokenAsync("admin@demo.test"), path: "/t/GM0363/graphql");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("TENANT_CONFLICT", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mutation_through_another_tenants_link_is_refused_and_changes_nothing()
    {
        var before = (await fixture.DataAsync("""{ arrangement(id: "gladheid-amstelland") { tariffHistory { amount } } }""")).ToJsonString();

        var (status, _) = await fixture.PostAsync(
            """mutation { publishTariffSchedule(input: { arrangementId: "gladheid-amstelland", tariffs: [{ serviceCode: "zoutlevering", amount: 1, unitQuantity: 1, unitMeasure: "tonne", validFrom: "2031-01-01" }] }) { userErrors { code } } }""",
            token: await fixture.TokenAsync("manager@demo.test"), path: "/t/GM0363/graphql");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(before, (await fixture.DataAsync("""{ arrangement(id: "gladheid-amstelland") { tariffHistory { amount } } }""")).ToJsonString());
    }

    [Fact]
    public async Task The_tenant_header_has_no_effect_outside_Development()
    {
        var (status, body) = await fixture.PostAsync(Tenant, headers: new() { ["X-Tenant"] = "GM0363" });
        var (conflictStatus, _) = await fixture.PostAsync(Tenant, token: await fixture.TokenAsync("admin@demo.test"), headers: new() { ["X-Tenant"] = "GM0363" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(TenantOf(body));
        Assert.Equal(HttpStatusCode.OK, conflictStatus);
    }
}
