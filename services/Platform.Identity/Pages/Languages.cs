using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Platform.Identity.Pages;

/// <summary>
/// Dutch by default, English on request: a <c>lang</c> link (kept in a cookie), the OpenID Connect
/// <c>ui_locales</c> the application sent with the sign-in request (also inside the login page's return
/// address), or the cookie from before.
/// </summary>
public static class Languages
{
    public const string Cookie = "platform.identity.lang";

    public static readonly CultureInfo[] Cultures = [new("nl-NL"), new("en-GB")];

    public static IServiceCollection AddLanguages(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.RequestCultureProviders = [new CustomRequestCultureProvider(http => Task.FromResult(Requested(http)))];
        });
        return services;
    }

    public static IApplicationBuilder UseLanguages(this IApplicationBuilder app) => app
        .Use(async (http, next) =>
        {
            if (Normalize(http.Request.Query["lang"]) is { } chosen)
            {
                http.Response.Cookies.Append(Cookie, chosen, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
            }
            await next(http);
        })
        .UseRequestLocalization();

    private static ProviderCultureResult? Requested(HttpContext http)
    {
        var query = http.Request.Query;
        var language = Normalize(query["lang"])
            ?? Normalize(query["ui_locales"])
            ?? UiLocalesIn(query["ReturnUrl"].ToString() is { Length: > 0 } r ? r : query["returnUrl"].ToString())
            ?? Normalize(http.Request.Cookies[Cookie]);
        return language is null ? null : new ProviderCultureResult(language == "en" ? "en-GB" : "nl-NL");
    }

    private static string? UiLocalesIn(string returnUrl)
    {
        var at = returnUrl.IndexOf('?', StringComparison.Ordinal);
        return at >= 0 && Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(returnUrl[at..]).TryGetValue("ui_locales", out var locales)
            ? Normalize(locales)
            : null;
    }

    /// <summary>"en" or "nl" from a value such as "en-GB nl" (the first one we speak); null otherwise.</summary>
    private static string? Normalize(string? value)
    {
        foreach (var tag in (value ?? "").Split(' ', ',', StringSplitOptions.RemoveEmptyEntries))
        {
            var language = tag.Split('-')[0].ToLowerInvariant();
            if (language is "en" or "nl") return language;
        }
        return null;
    }

    public static string Current => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "nl";
}
