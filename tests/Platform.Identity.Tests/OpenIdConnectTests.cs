using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Platform.Tests.Shared;

namespace Platform.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class OpenIdConnectTests(IdentityFixture fixture)
{
    private static JsonNode Claims(string jwt) => JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!;

    [Fact]
    public async Task A_partner_gets_a_token_for_its_organisation_with_its_scopes()
    {
        var response = await fixture.Tokens.ClientCredentialsAsync("demo-partner", "demo-partner-secret");

        var claims = Claims(response["access_token"]!.GetValue<string>());
        Assert.Equal(("demo-partner", "GM0405", "partner"), (claims["sub"]!.GetValue<string>(), claims["org"]!.GetValue<string>(), claims["caller_kind"]!.GetValue<string>()));
        Assert.Equal("platform-api", claims["aud"]!.GetValue<string>());
        Assert.Contains("arrangements:write", claims["scope"]!.GetValue<string>().Split(' '));
        Assert.Null(response["refresh_token"]);
    }

    [Fact]
    public async Task A_partner_cannot_ask_for_a_scope_it_does_not_hold()
    {
        var refused = await Assert.ThrowsAsync<TokenRefusedException>(() => fixture.Tokens.ClientCredentialsAsync("demo-partner-readonly", "demo-partner-readonly-secret", "arrangements:write"));

        Assert.Equal(400, refused.Status);
        var error = JsonNode.Parse(refused.Body)!;
        Assert.Contains(error["error"]!.GetValue<string>(), new[] { "invalid_scope", "invalid_request" });
        Assert.Contains("scope", error["error_description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("demo-partner", "wrong-secret")]
    [InlineData("no-such-client", "x")]
    public async Task A_wrong_secret_or_unknown_client_gets_no_token(string client, string secret)
    {
        var refused = await Assert.ThrowsAsync<TokenRefusedException>(() => fixture.Tokens.ClientCredentialsAsync(client, secret));

        Assert.Contains("invalid_client", refused.Body);
    }

    [Fact]
    public async Task A_person_signs_in_with_code_and_PKCE_and_the_token_carries_organisation_and_role()
    {
        var tokens = await fixture.Tokens.SignInAsync("board@demo.test");

        var access = Claims(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(("board@demo.test", "GM0405", "board-member", "user"),
            (access["email"]!.GetValue<string>(), access["org"]!.GetValue<string>(), access["role"]!.GetValue<string>(), access["caller_kind"]!.GetValue<string>()));
        Assert.NotNull(tokens["id_token"]);
        Assert.NotNull(tokens["refresh_token"]);
    }

    [Fact]
    public async Task An_authorize_request_without_a_code_challenge_is_refused()
    {
        var response = await fixture.Tokens.RawAuthorizeAsync(new()
        {
            ["client_id"] = TokenClient.CliClient, ["redirect_uri"] = TokenClient.CliRedirect, ["response_type"] = "code", ["scope"] = "openid",
        });

        Assert.Contains("code_challenge", await ErrorOf(response));
    }

    [Fact]
    public async Task An_authorize_request_with_the_plain_method_is_refused()
    {
        var response = await fixture.Tokens.RawAuthorizeAsync(new()
        {
            ["client_id"] = TokenClient.CliClient, ["redirect_uri"] = TokenClient.CliRedirect, ["response_type"] = "code", ["scope"] = "openid",
            ["code_challenge"] = new string('a', 43), ["code_challenge_method"] = "plain",
        });

        Assert.Contains("code_challenge_method", await ErrorOf(response));
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_its_reuse_revokes_the_chain()
    {
        var first = (await fixture.Tokens.SignInAsync("alderman@demo.test"))["refresh_token"]!.GetValue<string>();

        var (rotatedStatus, rotated) = await fixture.Tokens.RefreshAsync(first);
        var (reuseStatus, reuse) = await fixture.Tokens.RefreshAsync(first);
        var (chainStatus, _) = await fixture.Tokens.RefreshAsync(rotated["refresh_token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, rotatedStatus);
        Assert.NotEqual(first, rotated["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("invalid_grant", reuse["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, chainStatus);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_no_code()
    {
        var refused = await Assert.ThrowsAsync<SignInRefusedException>(() => fixture.Tokens.SignInAsync("manager@demo.test", "not-the-password"));

        Assert.Equal(400, refused.Status);
        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", WebUtility.HtmlDecode(refused.Page));
        Assert.Contains("role=\"alert\"", refused.Page);
    }

    [Fact]
    public async Task Wrong_passwords_throttle_the_address_they_come_from_and_never_lock_the_account()
    {
        var stranger = fixture.Tokens.From(IPAddress.Parse("127.0.0.21"));
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SignInRefusedException>(() => stranger.SignInAsync("executor@demo.test", $"wrong-{i}"));
        }

        var throttled = await Assert.ThrowsAsync<SignInRefusedException>(() => stranger.SignInAsync("executor@demo.test"));
        var owner = await fixture.Tokens.From(IPAddress.Parse("127.0.0.22")).SignInAsync("executor@demo.test");

        // Even the right password is refused from the guessing address, and says nothing about the account.
        Assert.Equal(429, throttled.Status);
        Assert.Contains("Te veel pogingen", WebUtility.HtmlDecode(throttled.Page));
        Assert.DoesNotContain("locked", WebUtility.HtmlDecode(throttled.Page));
        // The account's owner, elsewhere, signs in as always.
        Assert.NotNull(owner["access_token"]);
    }

    [Fact]
    public async Task Abuse_probe_300_wrong_passwords_in_a_burst_get_429s_after_the_limit()
    {
        using var http = new HttpClient(TokenClient.Handler(IPAddress.Parse("127.0.0.23"), new CookieContainer()));
        var form = await http.GetStringAsync(new Uri(fixture.Host.Url, "account/login"));
        var antiforgery = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            using var response = await http.PostAsync(new Uri(fixture.Host.Url, "account/login"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = $"guess{i % 7}@demo.test", ["Password"] = $"wrong-{i}", ["__RequestVerificationToken"] = antiforgery,
            }));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.NotNull(response.Headers.RetryAfter);
        }

        // 20 wrong passwords per address (and 30 posts a minute) at most; every other try is turned away unanswered.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.BadRequest), 1, 20);
        Assert.Equal(300 - statuses.Count(s => s == HttpStatusCode.BadRequest), statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Abuse_probe_300_wrong_client_secrets_get_429s_after_ten_and_the_client_still_works_elsewhere()
    {
        using var http = new HttpClient(TokenClient.Handler(IPAddress.Parse("127.0.0.24")));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            using var response = await http.PostAsync(new Uri(fixture.Host.Url, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "demo-partner", ["client_secret"] = $"guess-{i}",
            }));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal("too_many_requests", System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
            }
        }
        var elsewhere = await fixture.Tokens.From(IPAddress.Parse("127.0.0.25")).AccessTokenAsync("demo-partner", "demo-partner-secret");

        Assert.Equal(10, statuses.Count(s => s is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized));
        Assert.Equal(290, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.False(string.IsNullOrEmpty(elsewhere));
    }

    [Fact]
    public async Task The_sign_in_page_is_labelled_for_assistive_technology()
    {
        using var http = new HttpClient();
        var page = await http.GetStringAsync(new Uri(fixture.Host.Url, "account/login"));

        Assert.Contains("<html lang=\"nl\">", page);
        Assert.Contains("<label for=\"email\">", page);
        Assert.Contains("<label for=\"password\">", page);
        Assert.Contains("autocomplete=\"current-password\"", page);
    }

    [Fact]
    public async Task Discovery_advertises_S256_only_and_the_endpoints()
    {
        using var http = new HttpClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(fixture.Host.Url, ".well-known/openid-configuration")))!;

        Assert.Equal(["S256"], discovery["code_challenge_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.EndsWith("/connect/logout", discovery["end_session_endpoint"]!.GetValue<string>());
        Assert.Contains("client_credentials", discovery["grant_types_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8765/signed-out", "http://127.0.0.1:8765/signed-out")]
    [InlineData("https://evil.example/", null)]
    public async Task End_session_returns_only_to_a_registered_address(string redirect, string? expected)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var url = new Uri(fixture.Host.Url, $"connect/logout?client_id={TokenClient.CliClient}&post_logout_redirect_uri={Uri.EscapeDataString(redirect)}");

        using var response = await http.GetAsync(url);

        if (expected is null)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(expected, response.Headers.Location!.ToString());
        }
    }

    /// <summary>OpenIddict answers a bad authorize request with an error page or a redirect carrying the error.</summary>
    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        var text = response.Headers.Location?.ToString() ?? "";
        text += await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid_request", text);
        return Uri.UnescapeDataString(text);
    }
}
