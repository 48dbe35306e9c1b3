using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Platform.Tests.Shared;

namespace Platform.WebAdmin.Tests;

/// <summary>
/// The web app when the gateway does not answer (a loopback port nothing listens on): the page says
/// so in words, with a 200 and not a crash, and a form sent meanwhile keeps what was typed.
/// </summary>
public sealed partial class GatewayDownTests : IClassFixture<GatewayDownTests.WebApp>
{
    public sealed class WebApp : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Platform:Http:AllowPlainHttp", "true");
            builder.UseSetting("Platform:WebAdmin:GatewayUrl", $"http://127.0.0.1:{LoopbackPort.Free()}/graphql");
            builder.UseSetting("ConnectionStrings:webadmin-db", $"Data Source={Path.Combine(Path.GetTempPath(), $"webadmin-{Guid.NewGuid():N}.db")}");
        }
    }

    private readonly WebApp app;

    public GatewayDownTests(WebApp app) => this.app = app;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Fact]
    public async Task A_page_says_in_words_that_the_platform_cannot_be_reached()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/?gemeente=GM0405");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("Het platform is nu niet bereikbaar", html);
    }

    [Fact]
    public async Task An_application_sent_while_the_gateway_is_down_keeps_every_field_and_says_why()
    {
        using var client = app.CreateClient();
        var form = WebUtility.HtmlDecode(await client.GetStringAsync("/apply"));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);

        using var response = await client.PostAsync("/apply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "apply",
            ["Form.Code"] = "GM0439",
            ["Form.Name"] = "Purmerend",
            ["Form.Inhabitants"] = "94000",
            ["Form.ReferenceDate"] = "2024-01-01",
            ["Form.ContactName"] = "Sanne de Vries",
            ["Form.ContactEmail"] = "s.devries@purmerend.example",
        }));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Het platform is nu niet bereikbaar", html);
        foreach (var value in new[] { "GM0439", "Purmerend", "94000", "2024-01-01", "Sanne de Vries", "s.devries@purmerend.example" })
        {
            Assert.Contains($"value=\"{value}\"", html);
        }
    }

    [Fact]
    public async Task A_one_click_unsubscribe_needs_no_form_token_says_when_the_platform_is_down_and_refuses_an_incomplete_link()
    {
        using var client = app.CreateClient();
        var oneClick = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });

        // A mail program posts without a session or a form token: not refused for that, but the gateway is down (try later).
        using var down = await client.PostAsync("/unsubscribe/one-click?p=ans%40example.nl&k=complaint-updates&t=abc", oneClick);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        using var incomplete = await client.PostAsync("/unsubscribe/one-click?p=ans%40example.nl", oneClick);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("t (the signature)", await incomplete.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The link in the mail's text opens a page that asks first, naming the kind and the address.
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/unsubscribe?p=ans%40example.nl&k=complaint-updates&t=abc"));
        Assert.Contains("Wilt u geen e-mail meer over elke statuswijziging van uw meldingen? Dit geldt voor ans@example.nl.", page, StringComparison.Ordinal);
        Assert.Contains("Deze afmeldlink is niet compleet", WebUtility.HtmlDecode(await client.GetStringAsync("/unsubscribe?p=ans%40example.nl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/apply", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "apply", ["Form.Code"] = "GM0439" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_language_switch_only_returns_to_this_site()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var local = await client.GetAsync("/culture?lang=en&returnUrl=%2Fapply");
        using var away = await client.GetAsync("/culture?lang=en&returnUrl=https%3A%2F%2Fevil.example%2F");
        using var protocolRelative = await client.GetAsync("/culture?lang=en&returnUrl=%2F%2Fevil.example");

        Assert.Equal("/apply", local.Headers.Location!.OriginalString);
        Assert.Equal("/", away.Headers.Location!.OriginalString);
        Assert.Equal("/", protocolRelative.Headers.Location!.OriginalString);
        Assert.Contains(local.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Den-GB", StringComparison.Ordinal));
    }
}
