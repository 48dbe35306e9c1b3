extern alias identity;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Platform.Tests.Shared;
using PlatformUser = identity::Platform.Identity.Persistence.PlatformUser;

namespace Platform.Identity.Tests;

/// <summary>
/// Two identity servers: the platform's, and a second instance acting as an external OpenID Connect provider (the
/// way a DigiD or eHerkenning broker is reached). The platform is configured with two providers at that instance:
/// one that vouches for email addresses, one that does not. Its mailed links last only <see cref="LinkLifetime"/>,
/// so that a link can be seen to expire.
/// </summary>
public sealed class ExternalProviderFixture : IAsyncLifetime
{
    public IdentityHost Provider { get; private set; } = null!;
    public IdentityHost Platform { get; private set; } = null!;
    public MailServer Mail { get; private set; } = null!;

    public static readonly TimeSpan LinkLifetime = TimeSpan.FromSeconds(3);

    public async Task InitializeAsync()
    {
        Mail = await MailServer.StartAsync();
        var platformPort = LoopbackPort.Free();
        var platformUrl = $"http://127.0.0.1:{platformPort}/";
        // At the provider, the platform is a web client: its sign-in callbacks are registered there.
        Provider = await IdentityHost.StartAsync(new()
        {
            ["Platform:Identity:WebAppUrls:0"] = platformUrl,
            ["Platform:Identity:WebAppUrls:1"] = platformUrl + "untrusted/",
        });
        Platform = await IdentityHost.StartAsync(new(Mail.Settings)
        {
            ["Platform:Identity:LinkLifetime"] = LinkLifetime.ToString("c"),
            ["Platform:Identity:ExternalProviders:0:Name"] = "broker",
            ["Platform:Identity:ExternalProviders:0:DisplayName"] = "DigiD (test)",
            ["Platform:Identity:ExternalProviders:0:Authority"] = Provider.Url.ToString(),
            ["Platform:Identity:ExternalProviders:0:ClientId"] = "platform-web",
            ["Platform:Identity:ExternalProviders:0:ClientSecret"] = "platform-web-secret",
            ["Platform:Identity:ExternalProviders:0:CallbackPath"] = "/signin-oidc",
            ["Platform:Identity:ExternalProviders:0:TrustEmail"] = "true",
            ["Platform:Identity:ExternalProviders:1:Name"] = "untrusted",
            ["Platform:Identity:ExternalProviders:1:DisplayName"] = "Other provider",
            ["Platform:Identity:ExternalProviders:1:Authority"] = Provider.Url.ToString(),
            ["Platform:Identity:ExternalProviders:1:ClientId"] = "platform-web",
            ["Platform:Identity:ExternalProviders:1:ClientSecret"] = "platform-web-secret",
            ["Platform:Identity:ExternalProviders:1:CallbackPath"] = "/untrusted/signin-oidc",
        }, platformPort);
    }

    /// <summary>A person known only at the provider.</summary>
    public async Task ProviderAccountAsync(string email)
    {
        using var scope = Provider.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
        var user = new PlatformUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Broker Gebruiker", Organisation = "GM0405" };
        Assert.True((await users.CreateAsync(user, TokenClient.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, "citizen")).Succeeded);
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        await Provider.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ExternalProviderCollection : ICollectionFixture<ExternalProviderFixture>
{
    public const string Name = "external-provider";
}

[Collection(ExternalProviderCollection.Name)]
public sealed partial class ExternalProviderTests(ExternalProviderFixture fixture)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    [GeneratedRegex("<form name=\"form\" method=\"post\" action=\"([^\"]+)\">")]
    private static partial Regex AutoPostForm();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\" />")]
    private static partial Regex HiddenField();

    [GeneratedRegex("href=\"(/account/external/[a-z]+\\?returnUrl=[^\"]*)\"")]
    private static partial Regex ProviderButton();

    /// <summary>A browser: cookies kept, redirects followed one by one, stopping at the client's callback.</summary>
    private sealed class Browser : IDisposable
    {
        private readonly HttpClient http = new(TokenClient.Handler(null, new CookieContainer()));

        public Uri Url { get; private set; } = null!;

        public async Task<string> GoAsync(HttpRequestMessage request)
        {
            for (var hops = 0; hops < 20; hops++)
            {
                Url = request.RequestUri!;
                using var response = await http.SendAsync(request);
                if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.RedirectKeepVerb))
                {
                    Status = response.StatusCode;
                    var body = await response.Content.ReadAsStringAsync();
                    // The provider answers with a form the browser posts at once (response_mode=form_post), as a browser does.
                    if (AutoPostForm().Match(body) is { Success: true } form)
                    {
                        var fields = HiddenField().Matches(body).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
                        request = new HttpRequestMessage(HttpMethod.Post, WebUtility.HtmlDecode(form.Groups[1].Value)) { Content = new FormUrlEncodedContent(fields) };
                        continue;
                    }
                    return body;
                }
                var location = new Uri(request.RequestUri!, response.Headers.Location!);
                if (location.ToString().StartsWith(TokenClient.CliRedirect, StringComparison.Ordinal))
                {
                    Url = location;
                    Status = response.StatusCode;
                    return "";
                }
                request = new HttpRequestMessage(HttpMethod.Get, location);
            }
            throw new InvalidOperationException("Too many redirects.");
        }

        public HttpStatusCode Status { get; private set; }

        public Task<string> GetAsync(Uri url) => GoAsync(new HttpRequestMessage(HttpMethod.Get, url));

        public Task<string> PostAsync(Uri url, string page, Dictionary<string, string> fields)
        {
            fields["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value;
            return GoAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });
        }

        public void Dispose() => http.Dispose();
    }

    private sealed record Flow(string Verifier, string State, Uri Authorize);

    private Flow NewFlow()
    {
        var verifier = TokenClient.Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = TokenClient.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = TokenClient.Base64Url(RandomNumberGenerator.GetBytes(16));
        var query = string.Join("&", new Dictionary<string, string>
        {
            ["client_id"] = TokenClient.CliClient, ["redirect_uri"] = TokenClient.CliRedirect, ["response_type"] = "code", ["scope"] = "openid email profile roles",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = state,
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return new(verifier, state, new Uri(fixture.Platform.Url, "connect/authorize?" + query));
    }

    /// <summary>From the platform's sign-in page, through the provider's button and the provider's own sign-in form, back to the platform.</summary>
    private async Task<string> ThroughProviderAsync(Browser browser, Flow flow, string provider, string email)
    {
        var login = await browser.GetAsync(flow.Authorize);
        var button = ProviderButton().Matches(login).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Single(h => h.StartsWith($"/account/external/{provider}?", StringComparison.Ordinal));
        var providerLogin = await browser.GetAsync(new Uri(fixture.Platform.Url, button));
        Assert.StartsWith(fixture.Provider.Url.ToString(), browser.Url.ToString()); // at the provider now
        return await browser.PostAsync(browser.Url, providerLogin, new()
        {
            ["Email"] = email, ["Password"] = TokenClient.DemoPassword, ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(providerLogin).Groups[1].Value),
        });
    }

    private async Task<JsonNode> RedeemAsync(Browser browser, Flow flow)
    {
        Assert.StartsWith(TokenClient.CliRedirect, browser.Url.ToString());
        var parameters = System.Web.HttpUtility.ParseQueryString(browser.Url.Query);
        Assert.Equal(flow.State, parameters["state"]);
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(fixture.Platform.Url, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = TokenClient.CliClient, ["redirect_uri"] = TokenClient.CliRedirect,
            ["code"] = parameters["code"]!, ["code_verifier"] = flow.Verifier,
        }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    private static JsonNode Claims(JsonNode tokens) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(tokens["access_token"]!.GetValue<string>().Split('.')[1]))))!;

    private static string Pad(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }

    private async Task<PlatformUser?> PlatformAccountAsync(string email)
    {
        using var scope = fixture.Platform.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>().FindByEmailAsync(email);
    }

    [Fact]
    public async Task A_first_sign_in_through_the_provider_creates_a_residents_account_and_the_next_goes_straight_through()
    {
        var email = $"broker-{Guid.NewGuid():N}"[..16] + "@example.nl";
        await fixture.ProviderAccountAsync(email);

        using var first = new Browser();
        var flow = NewFlow();
        var complete = await ThroughProviderAsync(first, flow, "broker", email);
        Assert.True(first.Url.AbsolutePath == "/account/external/complete", $"{first.Url}: {complete[..Math.Min(600, complete.Length)]}");
        Assert.Contains(email, complete);
        Assert.Contains("DigiD (test)", complete);

        // A municipality that is no CBS code is named, and no account is made.
        var wrong = await first.PostAsync(first.Url, complete, new() { ["Name"] = "Broker Gebruiker", ["Municipality"] = "Hoorn" });
        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Contains("Kies uw gemeente", wrong);
        Assert.Null(await PlatformAccountAsync(email));

        await first.PostAsync(first.Url, wrong, new() { ["Name"] = "Broker Gebruiker", ["Municipality"] = "GM0405" });
        var claims = Claims(await RedeemAsync(first, flow));
        Assert.Equal((email, "GM0405", "citizen"), (claims["email"]!.GetValue<string>(), claims["org"]!.GetValue<string>(), claims["role"]!.GetValue<string>()));
        var account = await PlatformAccountAsync(email);
        Assert.True(account!.EmailConfirmed); // the provider vouches for the address
        Assert.False(await ScopedAsync(users => users.HasPasswordAsync(account))); // no password of ours: the provider is the way in

        using var second = new Browser();
        var again = NewFlow();
        await ThroughProviderAsync(second, again, "broker", email);
        Assert.Equal(claims["sub"]!.GetValue<string>(), Claims(await RedeemAsync(second, again))["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_that_vouches_for_an_address_links_to_the_existing_account_with_it()
    {
        // The demo data made the same address at both servers: the same person, as the provider vouches.
        var existing = await PlatformAccountAsync("citizen@demo.test");
        using var browser = new Browser();
        var flow = NewFlow();
        await ThroughProviderAsync(browser, flow, "broker", "citizen@demo.test");

        Assert.Equal(existing!.Id, Claims(await RedeemAsync(browser, flow))["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_that_does_not_vouch_for_addresses_needs_the_address_confirmed_by_mail_first()
    {
        var email = $"onzeker-{Guid.NewGuid():N}"[..17] + "@example.nl";
        await fixture.ProviderAccountAsync(email);

        using var browser = new Browser();
        var flow = NewFlow();
        var complete = await ThroughProviderAsync(browser, flow, "untrusted", email);
        var checkMail = await browser.PostAsync(browser.Url, complete, new() { ["Name"] = "Onzekere Gebruiker", ["Municipality"] = "GM0405" });

        Assert.Contains("Kijk in uw e-mail", checkMail);
        Assert.False((await PlatformAccountAsync(email))!.EmailConfirmed);
        Assert.Contains("/account/confirm?user=", (await fixture.Mail.WaitForAsync(email, "Bevestig")).Text);

        // Until then the provider's sign-in is refused here, with a message.
        using var early = new Browser();
        var page = await ThroughProviderAsync(early, NewFlow(), "untrusted", email);
        Assert.Equal("/account/login", early.Url.AbsolutePath);
        Assert.Contains("Met dit account kunt u niet inloggen.", page);
    }

    [Fact]
    public async Task An_unknown_provider_or_a_callback_without_the_providers_answer_is_refused()
    {
        using var browser = new Browser();
        await browser.GetAsync(new Uri(fixture.Platform.Url, "account/external/evil?returnUrl=%2F"));
        Assert.Equal(HttpStatusCode.NotFound, browser.Status);

        var page = await browser.GetAsync(new Uri(fixture.Platform.Url, "account/external-callback?returnUrl=https%3A%2F%2Fevil.example%2F"));
        Assert.Equal("/account/login", browser.Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("niet gelukt", page);

        var forged = await browser.GetAsync(new Uri(fixture.Platform.Url, "signin-oidc?code=forged&state=forged"));
        Assert.Equal("/account/login", browser.Url.AbsolutePath);
        Assert.Contains("niet gelukt", forged);
    }

    private async Task<T> ScopedAsync<T>(Func<UserManager<PlatformUser>, Task<T>> action)
    {
        using var scope = fixture.Platform.Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>());
    }

    [Fact]
    public async Task A_mailed_link_that_has_expired_is_refused_and_changes_nothing()
    {
        var email = $"traag-{Guid.NewGuid():N}"[..14] + "@example.nl";
        using (var scope = fixture.Platform.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
            var user = new PlatformUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Traag", Organisation = "GM0405" };
            Assert.True((await users.CreateAsync(user, "Oud!23456")).Succeeded);
        }
        using var browser = new Browser();
        var forgot = await browser.GetAsync(new Uri(fixture.Platform.Url, "account/forgot"));
        await browser.PostAsync(new Uri(fixture.Platform.Url, "account/forgot"), forgot, new() { ["Email"] = email });
        var link = Regex.Match((await fixture.Mail.WaitForAsync(email, "wachtwoord")).Text, @"http://127\.0\.0\.1:\d+/account/reset\?user=\S+").Value;

        await Task.Delay(ExternalProviderFixture.LinkLifetime + TimeSpan.FromSeconds(1));
        var page = await browser.GetAsync(new Uri(link));
        var refused = await browser.PostAsync(new Uri(link), page, new() { ["Password"] = "Nieuw!2345", ["Confirm"] = "Nieuw!2345" });

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("verlopen", refused);
        Assert.True(await ScopedAsync(async users => await users.CheckPasswordAsync((await users.FindByEmailAsync(email))!, "Oud!23456")));
    }
}
