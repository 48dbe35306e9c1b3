using System.Net;
using System.Text.Json.Nodes;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

/// <summary>An organisation's admin manages its own partner clients and Open311 keys: made, shown once, rotated, revoked.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CredentialTests(GatewayFixture fixture)
{
    private const string Create = """
        mutation($org: ID!, $name: String!, $scopes: [String!]!, $key: String) {
          createPartnerClient(input: { organisationId: $org, name: $name, scopes: $scopes, clientMutationId: $key }) { client { clientId scopes status } secret userErrors { field code message } }
        }
        """;

    private const string Rotate = """
        mutation($org: ID!, $client: String!, $hours: Float) {
          rotatePartnerClientSecret(input: { organisationId: $org, clientId: $client, overlapHours: $hours }) { secret previousSecretValidUntil userErrors { field code message } }
        }
        """;

    private const string Revoke = """
        mutation($org: ID!, $client: String!) { revokePartnerClient(input: { organisationId: $org, clientId: $client }) { client { status } userErrors { field code message } } }
        """;

    private static string Code(JsonNode body) => body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    private async Task<(string ClientId, string Secret)> CreateClientAsync(string name, string[] scopes, string admin = "admin@demo.test", string organisation = "GM0405")
    {
        var created = (await fixture.DataAsync(Create, new { org = organisation, name, scopes }, token: await fixture.TokenAsync(admin)))["createPartnerClient"]!;
        Assert.Empty(created["userErrors"]!.AsArray());
        return (created["client"]!["clientId"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_partner_client_reads_with_its_secret_and_once_revoked_gets_no_token_and_its_token_is_refused()
    {
        var (clientId, secret) = await CreateClientAsync("Zaaksysteem", ["arrangements:read"]);

        var token = await fixture.Tokens.AccessTokenAsync(clientId, secret);
        var viewer = (await fixture.DataAsync("{ viewer { kind subject organisation scopes } arrangement(id: \"afval-nhn\") { name } }", token: token))["viewer"]!;
        var revoked = (await fixture.DataAsync(Revoke, new { org = "GM0405", client = clientId }, token: await fixture.TokenAsync("admin@demo.test")))["revokePartnerClient"]!;
        var refusedToken = await Assert.ThrowsAsync<TokenRefusedException>(() => fixture.Tokens.AccessTokenAsync(clientId, secret));
        var (status, body) = await fixture.PostAsync("{ viewer { kind } }", token: token);

        Assert.Equal(("PARTNER", clientId, "GM0405"), (viewer["kind"]!.GetValue<string>(), viewer["subject"]!.GetValue<string>(), viewer["organisation"]!.GetValue<string>()));
        Assert.Equal(["arrangements:read"], viewer["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("REVOKED", revoked["client"]!["status"]!.GetValue<string>());
        Assert.Contains(refusedToken.Status, new[] { 400, 401 });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("INVALID_TOKEN", Code(body));
    }

    [Fact]
    public async Task A_rotated_secret_overlaps_with_the_previous_one_only_for_the_overlap()
    {
        var admin = await fixture.TokenAsync("admin@demo.test");
        var (clientId, first) = await CreateClientAsync("Rapportage", ["arrangements:read", "complaints:read"]);

        var overlapping = (await fixture.DataAsync(Rotate, new { org = "GM0405", client = clientId, hours = 1.0 }, token: admin))["rotatePartnerClientSecret"]!;
        var second = overlapping["secret"]!.GetValue<string>();
        var firstStillWorks = await fixture.Tokens.AccessTokenAsync(clientId, first);
        var secondWorks = await fixture.Tokens.AccessTokenAsync(clientId, second);
        var immediate = (await fixture.DataAsync(Rotate, new { org = "GM0405", client = clientId, hours = 0.0 }, token: admin))["rotatePartnerClientSecret"]!;
        var third = immediate["secret"]!.GetValue<string>();

        Assert.NotEqual(first, second);
        Assert.NotNull(overlapping["previousSecretValidUntil"]);
        Assert.False(string.IsNullOrEmpty(firstStillWorks) || string.IsNullOrEmpty(secondWorks));
        Assert.Null(immediate["previousSecretValidUntil"]);
        await Assert.ThrowsAsync<TokenRefusedException>(() => fixture.Tokens.AccessTokenAsync(clientId, second));
        await Assert.ThrowsAsync<TokenRefusedException>(() => fixture.Tokens.AccessTokenAsync(clientId, first));
        Assert.False(string.IsNullOrEmpty(await fixture.Tokens.AccessTokenAsync(clientId, third)));
    }

    [Fact]
    public async Task The_secret_is_shown_once_a_replay_answers_without_it()
    {
        var admin = await fixture.TokenAsync("admin@demo.test");
        var variables = new { org = "GM0405", name = "Eenmalig", scopes = new[] { "arrangements:read" }, key = $"once-{Guid.NewGuid():N}" };

        var first = (await fixture.DataAsync(Create, variables, token: admin))["createPartnerClient"]!;
        var replay = (await fixture.DataAsync(Create, variables, token: admin))["createPartnerClient"]!;
        var listed = await fixture.DataAsync("""{ organisation(id: "GM0405") { partnerClients { clientId } } }""", token: admin);

        Assert.False(string.IsNullOrEmpty(first["secret"]?.GetValue<string>()));
        Assert.Null(replay["secret"]);
        Assert.Equal(first["client"]!["clientId"]!.GetValue<string>(), replay["client"]!["clientId"]!.GetValue<string>());
        Assert.Single(listed["organisation"]!["partnerClients"]!.AsArray(), c => c!["clientId"]!.GetValue<string>() == first["client"]!["clientId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("admin@demo.test", "GM0405", "accounts:manage", "OUT_OF_RANGE")]
    [InlineData("executor.admin@demo.test", "afvalbedrijf-nhn", "proposals:vote", "OUT_OF_RANGE")]
    [InlineData("admin@demo.test", "GM0405", null, "REQUIRED")]
    [InlineData("admin@demo.test", "GM0363", "arrangements:read", "FORBIDDEN")]
    [InlineData("manager@demo.test", "GM0405", "arrangements:read", "FORBIDDEN")]
    public async Task A_client_with_scopes_the_organisation_may_not_give_or_for_another_organisation_is_refused(string who, string organisation, string? scope, string code)
    {
        var before = await ClientsAsync(organisation);

        var (status, body) = await fixture.PostAsync(Create, new { org = organisation, name = "Poging", scopes = scope is null ? Array.Empty<string>() : [scope] }, token: await fixture.TokenAsync(who));

        var error = code == "FORBIDDEN" ? Code(body) : body["data"]!["createPartnerClient"]!["userErrors"]![0]!["code"]!.GetValue<string>();
        Assert.Equal(code, error);
        Assert.Equal(before, await ClientsAsync(organisation));
    }

    [Fact]
    public async Task An_admin_cannot_rotate_or_revoke_another_organisations_client()
    {
        var (clientId, secret) = await CreateClientAsync("Van Amsterdam", ["arrangements:read"], "admin.amsterdam@demo.test", "GM0363");
        var hoorn = await fixture.TokenAsync("admin@demo.test");

        var (viaTheirs, theirsBody) = await fixture.PostAsync(Rotate, new { org = "GM0363", client = clientId, hours = 0.0 }, token: hoorn);
        var viaOwn = (await fixture.DataAsync(Revoke, new { org = "GM0405", client = clientId }, token: hoorn))["revokePartnerClient"]!;

        Assert.Equal(HttpStatusCode.Forbidden, viaTheirs);
        Assert.Equal("FORBIDDEN", Code(theirsBody));
        Assert.Equal("NOT_FOUND", viaOwn["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(await fixture.Tokens.AccessTokenAsync(clientId, secret)));
    }

    [Fact]
    public async Task An_Open311_key_issued_by_a_municipality_files_only_there_is_kept_as_a_hash_and_stops_when_revoked()
    {
        var admin = await fixture.TokenAsync("admin@demo.test");
        var issued = (await fixture.DataAsync("""
            mutation { createOpen311Key(input: { organisationId: "GM0405", name: "Buitenbeter" }) { key { keyId prefix status } apiKey userErrors { code message } } }
            """, token: admin))["createOpen311Key"]!;
        var apiKey = issued["apiKey"]!.GetValue<string>();
        var keyId = issued["key"]!["keyId"]!.GetValue<string>();

        var own = await PostOpen311Async(apiKey, "GM0405", "afval-nhn.bouwpuin");
        var foreign = await PostOpen311Async(apiKey, "GM0363", "gladheid-amstelland.strooien-fietspaden");
        var organisation = (await fixture.DataAsync("""{ organisation(id: "GM0405") { open311Keys { keyId prefix } history { detail } } }""", token: admin)).ToJsonString();
        await fixture.DataAsync("mutation($id: String!) { revokeOpen311Key(input: { organisationId: \"GM0405\", keyId: $id }) { userErrors { code } } }", new { id = keyId }, token: admin);
        var afterRevoke = await PostOpen311Async(apiKey, "GM0405", "afval-nhn.bouwpuin");

        Assert.Equal(apiKey[..6], issued["key"]!["prefix"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, own);
        Assert.Equal(HttpStatusCode.Forbidden, foreign);
        Assert.DoesNotContain(apiKey, organisation);
        Assert.Equal(HttpStatusCode.Forbidden, afterRevoke);
    }

    [Fact]
    public async Task An_executing_organisation_issues_no_Open311_keys()
    {
        var issued = (await fixture.DataAsync("""
            mutation { createOpen311Key(input: { organisationId: "afvalbedrijf-nhn", name: "App" }) { apiKey userErrors { field code } } }
            """, token: await fixture.TokenAsync("executor.admin@demo.test")))["createOpen311Key"]!;

        Assert.Null(issued["apiKey"]);
        Assert.Equal(("organisationId", "OUT_OF_RANGE"), (issued["userErrors"]![0]!["field"]!.GetValue<string>(), issued["userErrors"]![0]!["code"]!.GetValue<string>()));
    }

    private async Task<HttpStatusCode> PostOpen311Async(string apiKey, string jurisdiction, string service)
    {
        using var client = fixture.CreateClient();
        using var response = await client.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = apiKey, ["jurisdiction_id"] = jurisdiction, ["service_code"] = service, ["description"] = "Puin", ["address_string"] = "Dijk 1",
        }));
        return response.StatusCode;
    }

    private async Task<string> ClientsAsync(string organisation) =>
        (await fixture.DataAsync("query($id: ID!) { organisation(id: $id) { partnerClients { clientId status } } }", new { id = organisation }, token: await fixture.OperatorAsync())).ToJsonString();
}
