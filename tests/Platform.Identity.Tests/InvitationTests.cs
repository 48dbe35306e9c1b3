using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class InvitationTests(IdentityFixture fixture)
{
    private async Task<HttpResponseMessage> InviteAsync(object body, string? token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Host.Url, "admin/invitations")) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private Task<string> GatewayTokenAsync() => fixture.Tokens.AccessTokenAsync("platform-gateway", "platform-gateway-secret", "accounts:invite");

    private static object Invitation(string email = "nieuw@gemeente.test", string role = "municipality-admin", string organisation = "GM0344") =>
        new { email, displayName = "Nieuwe beheerder", organisation, role };

    [Fact]
    public async Task Without_a_token_an_invitation_is_refused_with_401()
    {
        using var response = await InviteAsync(Invitation(), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_partner_token_without_the_invite_scope_is_refused_with_403()
    {
        using var response = await InviteAsync(Invitation(), await fixture.Tokens.AccessTokenAsync("demo-partner", "demo-partner-secret"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("not-an-email", "municipality-admin", "GM0344", "email")]
    [InlineData("a@b.test", "operator", "GM0344", "role")]
    [InlineData("a@b.test", "mayor", "GM0344", "role")]
    [InlineData("a@b.test", "citizen", "", "organisation")]
    public async Task A_bad_invitation_names_the_field_and_creates_no_account(string email, string role, string organisation, string field)
    {
        using var response = await InviteAsync(Invitation(email, role, organisation), await GatewayTokenAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]![field]);
    }

    [Fact]
    public async Task An_existing_account_is_not_invited_again()
    {
        using var response = await InviteAsync(Invitation(email: "admin@demo.test", organisation: "GM0405"), await GatewayTokenAsync());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task An_invitation_creates_an_account_that_cannot_sign_in_before_the_password_is_set()
    {
        using var response = await InviteAsync(Invitation(email: "wacht@gemeente.test"), await GatewayTokenAsync());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        await Assert.ThrowsAsync<Platform.Tests.Shared.SignInRefusedException>(() => fixture.Tokens.SignInAsync("wacht@gemeente.test", "Demo!2345"));
    }
}
