using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.HttpsPolicy;

namespace Platform.ServiceDefaults.Security;

/// <summary>
/// Transport and browser protection for every process of the platform, in one place:
/// <list type="bullet">
/// <item>outside Development, a request over plain HTTP is refused (426, naming the problem), health probes excepted, and
/// HSTS tells browsers to come back over HTTPS only; behind a proxy that ends TLS, <c>Platform:Http:ForwardedHeaders</c>
/// makes its <c>X-Forwarded-Proto</c> count;</item>
/// <item>every answer carries <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c> (follow links carry
/// secrets), and a Content-Security-Policy without inline script and with <c>frame-ancestors 'none'</c>;</item>
/// <item>cookies are HttpOnly, SameSite=Lax unless a handler asks for None, and Secure wherever plain HTTP is refused.</item>
/// </list>
/// <c>Platform:Http:AllowPlainHttp</c> lets a process outside Development answer plain HTTP (a test rig on loopback).
/// </summary>
public static class WebSecurity
{
    /// <summary>Pages for people (web app, identity server): scripts only from the site itself; styles may be inline.</summary>
    public static string PagePolicy(params string[] imageSources) => PagePolicy(imageSources, []);

    /// <summary>The same, with the origins a page's scripts may fetch from (an address search).</summary>
    public static string PagePolicy(IEnumerable<string> imageSources, IEnumerable<string> connectSources) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        $"img-src 'self' data:{string.Concat(imageSources.Select(s => " " + s))}; font-src 'self'; connect-src 'self'{string.Concat(connectSources.Select(s => " " + s))}; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>APIs answer data, never pages: nothing may load from them or frame them.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    private static readonly HashSet<string> ProbePaths = new(StringComparer.OrdinalIgnoreCase) { "/health", "/alive" };

    /// <summary>Both parts, for a process with nothing to answer in between.</summary>
    public static WebApplication UsePlatformWebSecurity(this WebApplication app, string contentSecurityPolicy) =>
        app.UsePlatformTransportSecurity().UsePlatformResponseSecurity(contentSecurityPolicy);

    /// <summary>
    /// What must hold before anything is answered: forwarded headers when configured, HSTS and the refusal of plain HTTP
    /// outside Development. A middleware placed after it and before <see cref="UsePlatformResponseSecurity"/> that answers
    /// on its own writes the headers itself (<see cref="WriteHeaders"/>).
    /// </summary>
    public static WebApplication UsePlatformTransportSecurity(this WebApplication app)
    {
        var rules = Rules(app);
        if (rules.ForwardedHeaders)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            // The proxy is configured by the operator; its addresses are not known here.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }
        if (!rules.Development)
        {
            app.UseHsts();
        }
        if (!rules.PlainHttpAllowed)
        {
            app.Use(async (context, next) =>
            {
                if (context.Request.IsHttps || ProbePaths.Contains(context.Request.Path.Value ?? ""))
                {
                    await next(context);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
                context.Response.Headers.Upgrade = "TLS/1.2, HTTP/1.1";
                context.Response.Headers.Connection = "Upgrade";
                await context.Response.WriteAsync("HTTPS is required: this server does not answer over plain HTTP.");
            });
        }
        return app;
    }

    /// <summary>The browser protection headers on every answer, and the cookie policy.</summary>
    public static WebApplication UsePlatformResponseSecurity(this WebApplication app, string contentSecurityPolicy)
    {
        var plainHttpAllowed = Rules(app).PlainHttpAllowed;
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                WriteHeaders(context.Response.Headers, contentSecurityPolicy);
                return Task.CompletedTask;
            });
            await next(context);
        });
        app.UseCookiePolicy(new CookiePolicyOptions
        {
            HttpOnly = HttpOnlyPolicy.Always,
            // SameSite=None stays where a handler asks for it (the sign-in round trip through another site posts back);
            // a cookie that says nothing gets Lax.
            MinimumSameSitePolicy = SameSiteMode.Unspecified,
            OnAppendCookie = context =>
            {
                if (context.CookieOptions.SameSite == SameSiteMode.Unspecified) context.CookieOptions.SameSite = SameSiteMode.Lax;
            },
            Secure = plainHttpAllowed ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always,
        });
        return app;
    }

    /// <summary>The headers every answer carries (see the class summary).</summary>
    public static void WriteHeaders(IHeaderDictionary headers, string contentSecurityPolicy)
    {
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = contentSecurityPolicy;
    }

    /// <summary>The transport settings, read once per process (a front door judges requests by the same instance).</summary>
    private static TransportRules Rules(WebApplication app) =>
        app.Services.GetService<TransportRules>()
        ?? new TransportRules(app.Configuration, app.Environment, app.Services.GetRequiredService<IOptions<HstsOptions>>());
}
