using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Platform.WebAdmin.Auth;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Sign-in: the identity server's code flow with PKCE; back to where the person was.
        app.MapGet("/account/signin", (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]));

        // Sign-out ends both sessions: this app's cookie and the identity server's (end-session endpoint).
        app.MapPost("/account/signout", ([FromForm] string? returnUrl) =>
            Results.SignOut(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));

        // Residents create their account at the identity server, in the language of this site.
        app.MapGet("/account/register", (Microsoft.Extensions.Options.IOptions<WebAdminSettings> settings) =>
            Results.Redirect(new Uri(settings.Value.Authority, $"account/register?lang={System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName}").ToString()));

        // The language switch: a cookie for a year, then back to the same page.
        app.MapGet("/culture", (HttpContext http, string? lang, string? returnUrl) =>
        {
            var culture = Extensions.Cultures.FirstOrDefault(c => c.TwoLetterISOLanguageName == lang) ?? Extensions.Cultures[0];
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(LocalOnly(returnUrl));
        });
    }

    /// <summary>Only paths on this site: an open redirect would let a link send people anywhere after sign-in.</summary>
    public static string LocalOnly(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
