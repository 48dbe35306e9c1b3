using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Security;

namespace Platform.Gateway.Tests;

/// <summary>The transport and browser protection every process of the platform puts first in its pipeline.</summary>
public sealed class WebSecurityTests
{
    private static async Task<WebApplication> StartAsync(string environment, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        foreach (var (key, value) in settings ?? []) builder.Configuration[key] = value;
        var app = builder.Build();
        app.UsePlatformWebSecurity(WebSecurity.PagePolicy("https://api.example.nl"));
        app.MapGet("/page", (HttpContext http) =>
        {
            http.Response.Cookies.Append("plain", "1");
            http.Response.Cookies.Append("cross-site", "1", new CookieOptions { SameSite = SameSiteMode.None, Secure = true });
            return "<p>hallo</p>";
        });
        app.MapGet("/health", () => "Healthy");
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app, string scheme)
    {
        var client = app.GetTestClient();
        client.BaseAddress = new Uri($"{scheme}://regelingen.example.nl/");
        return client;
    }

    [Fact]
    public async Task Outside_Development_plain_HTTP_is_refused_by_name_and_health_probes_still_answer()
    {
        await using var app = await StartAsync("Production");
        using var http = Client(app, "http");

        using var page = await http.GetAsync("page");
        using var health = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.UpgradeRequired, page.StatusCode);
        Assert.Contains("HTTPS is required", await page.Content.ReadAsStringAsync());
        Assert.False(page.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Over_HTTPS_every_answer_carries_the_headers_and_cookies_are_secure_httponly_and_samesite()
    {
        await using var app = await StartAsync("Production");
        using var https = Client(app, "https");

        using var response = await https.GetAsync("page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline';", policy.Split("style-src")[0]); // no inline script
        Assert.Contains("https://api.example.nl", policy);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var plain = Assert.Single(cookies, c => c.StartsWith("plain=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", plain);
        Assert.Contains("httponly", plain);
        Assert.Contains("samesite=lax", plain);
        // A cookie that must cross sites (a sign-in round trip) keeps SameSite=None, still Secure and HttpOnly.
        var crossSite = Assert.Single(cookies, c => c.StartsWith("cross-site=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("samesite=none", crossSite);
        Assert.Contains("secure", crossSite);
    }

    [Fact]
    public async Task Behind_a_proxy_that_ends_TLS_its_forwarded_scheme_counts_only_when_configured()
    {
        await using var trusting = await StartAsync("Production", new() { ["Platform:Http:ForwardedHeaders"] = "true" });
        await using var notTrusting = await StartAsync("Production");

        async Task<HttpStatusCode> ViaProxyAsync(WebApplication app)
        {
            using var http = Client(app, "http");
            using var request = new HttpRequestMessage(HttpMethod.Get, "page");
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await ViaProxyAsync(trusting));
        Assert.Equal(HttpStatusCode.UpgradeRequired, await ViaProxyAsync(notTrusting));
    }

    [Fact]
    public async Task In_Development_plain_HTTP_on_loopback_is_answered_with_the_same_headers()
    {
        await using var app = await StartAsync("Development");
        using var http = Client(app, "http");

        using var response = await http.GetAsync("page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
