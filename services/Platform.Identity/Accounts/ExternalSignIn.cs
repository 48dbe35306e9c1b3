using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Platform.Identity.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity.Accounts;

/// <summary>
/// Sign-in through an external OpenID Connect provider, as a DigiD or eHerkenning broker is reached: the code flow
/// with PKCE to the provider, its identity held in the external cookie, then the account it is linked to signed in.
/// A first sign-in links to the account with the same (vouched-for) address, or asks for the municipality and
/// creates a resident's account.
/// </summary>
public static class ExternalSignIn
{
    public const string CompletePath = "/account/external/complete";

    public static IServiceCollection AddExternalProviders(this IServiceCollection services, IdentitySettings settings, bool development)
    {
        var authentication = services.AddAuthentication();
        foreach (var provider in settings.ExternalProviders)
        {
            if (provider.Authority is null || string.IsNullOrWhiteSpace(provider.Name) || string.IsNullOrWhiteSpace(provider.ClientId))
            {
                throw new InvalidOperationException($"An external provider needs Name, Authority and ClientId (Platform:Identity:ExternalProviders, '{provider.Name}').");
            }
            authentication.AddOpenIdConnect(provider.Scheme, provider.DisplayName, o =>
            {
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.Authority = provider.Authority.ToString();
                o.ClientId = provider.ClientId;
                o.ClientSecret = provider.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // A plain redirect with the code in the query, not a form posted by an inline script.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.CallbackPath = provider.CallbackPath ?? $"/signin-{provider.Name}";
                o.RequireHttpsMetadata = !development;
                if (development)
                {
                    // Plain HTTP on loopback: the correlation and nonce cookies cannot be Secure, and SameSite=None needs
                    // Secure. Lax works, since a provider on loopback is the same site. Elsewhere the defaults (Secure) stand.
                    foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
                    {
                        cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                        cookie.SameSite = SameSiteMode.Lax;
                    }
                }
                o.MapInboundClaims = false;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.Scope.Clear();
                foreach (var scope in provider.Scopes) o.Scope.Add(scope);
                // The provider's refusal (or the person cancelling) ends on the sign-in page with a message, not an exception page.
                o.Events.OnRemoteFailure = context =>
                {
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalSignIn))
                        .LogWarning(context.Failure, "Sign-in through {Provider} failed", provider.Name);
                    context.Response.Redirect("/account/login?external=failed");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        }
        return services;
    }

    public static IEndpointRouteBuilder MapExternalSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/external/{name}", StartAsync);
        app.MapGet("/account/external-callback", CallbackAsync);
        return app;
    }

    public static ExternalProviderSettings? Provider(IdentitySettings settings, string? name) =>
        settings.ExternalProviders.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    private static string LocalOnly(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/account/signed-in";

    private static IResult StartAsync(string name, string? returnUrl, Microsoft.Extensions.Options.IOptions<IdentitySettings> settings, SignInManager<PlatformUser> signIn)
    {
        if (Provider(settings.Value, name) is not { } provider) return Results.NotFound();
        var callback = $"/account/external-callback?returnUrl={Uri.EscapeDataString(LocalOnly(returnUrl))}";
        var properties = signIn.ConfigureExternalAuthenticationProperties(provider.Scheme, callback);
        return Results.Challenge(properties, [provider.Scheme]);
    }

    private static async Task<IResult> CallbackAsync(string? returnUrl, HttpContext http, Microsoft.Extensions.Options.IOptions<IdentitySettings> settings, SignInManager<PlatformUser> signIn)
    {
        var target = LocalOnly(returnUrl);
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null) return Results.Redirect("/account/login?external=failed");

        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (result.Succeeded)
        {
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            return Results.LocalRedirect(target);
        }
        if (result.IsLockedOut || result.IsNotAllowed) return Results.Redirect("/account/login?external=refused");

        // Not linked yet. A provider that vouches for addresses links to the account with the same one.
        var provider = settings.Value.ExternalProviders.First(p => p.Scheme == info.LoginProvider);
        var email = EmailOf(info.Principal);
        if (provider.TrustEmail && email is not null && await signIn.UserManager.FindByEmailAsync(email) is { } existing)
        {
            if (!existing.EmailConfirmed || await signIn.UserManager.IsLockedOutAsync(existing)) return Results.Redirect("/account/login?external=refused");
            var linked = await signIn.UserManager.AddLoginAsync(existing, new UserLoginInfo(info.LoginProvider, info.ProviderKey, provider.DisplayName));
            if (!linked.Succeeded) return Results.Redirect("/account/login?external=refused");
            await signIn.SignInAsync(existing, isPersistent: false, info.LoginProvider);
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            return Results.LocalRedirect(target);
        }
        // A new resident: they choose their municipality, and the account is made.
        return Results.Redirect($"{CompletePath}?returnUrl={Uri.EscapeDataString(target)}");
    }

    public static string? EmailOf(ClaimsPrincipal principal) =>
        principal.FindFirst(Claims.Email)?.Value ?? principal.FindFirst(ClaimTypes.Email)?.Value;

    public static string? NameOf(ClaimsPrincipal principal) =>
        principal.FindFirst(Claims.PreferredUsername)?.Value ?? principal.FindFirst(Claims.Name)?.Value ?? principal.FindFirst(ClaimTypes.Name)?.Value;
}
