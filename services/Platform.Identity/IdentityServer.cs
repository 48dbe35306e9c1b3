using Platform.ServiceDefaults.Security;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Platform.Databases;
using Platform.Identity.Accounts;
using Platform.Identity.Connect;
using Platform.ServiceDefaults.Mail;
using Platform.Identity.DemoData;
using Platform.Identity.Persistence;
using Platform.Identity.Pages;
using Platform.Identity.Protection;
using Platform.ServiceDefaults.RateLimiting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity;

public static class IdentityServer
{
    /// <summary>Accounts (ASP.NET Core Identity), the OpenID Connect server (OpenIddict) and their store.</summary>
    public static IHostApplicationBuilder AddIdentityServer(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(IdentitySettings.Section).Get<IdentitySettings>() ?? new IdentitySettings();
        builder.Services.AddOptions<IdentitySettings>().BindConfiguration(IdentitySettings.Section);
        var development = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        if (development) RequireLoopback(builder.Configuration);

        var database = DatabaseConnection.From(builder.Configuration, builder.Environment, IdentityStoreSetup.ConnectionName, Path.Combine("identity", "identity.db"));
        builder.Services.AddPlatformDatabase<IdentityStore, SqliteIdentityStore, PostgresIdentityStore>(database, options => options.UseOpenIddict());
        // Every instance reads and writes the same key ring, so a cookie one issued is valid at another.
        builder.Services.AddDataProtection().SetApplicationName("platform-identity").PersistKeysToDbContext<IdentityStore>();

        builder.Services.AddIdentity<PlatformUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // A resident's account works once the address is confirmed; invited accounts confirm by accepting.
                options.SignIn.RequireConfirmedEmail = true;
                options.Password.RequiredLength = 8;
                // No account lockout: it lets a stranger lock anyone out. Wrong passwords throttle their address instead (IdentityLimits).
                options.Lockout.AllowedForNewUsers = false;
                // Tokens carry the OpenID Connect claim names.
                options.ClaimsIdentity.UserNameClaimType = Claims.Name;
                options.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                options.ClaimsIdentity.RoleClaimType = Claims.Role;
                options.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<IdentityStore>()
            .AddDefaultTokenProviders();
        builder.Services.AddExternalProviders(settings, development);
        // A withdrawn account's sign-in session ends at its next request, not half an hour later.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.Cookie.Name = "platform.identity";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
        });

        builder.Services.AddOpenIddict()
            .AddCore(options =>
            {
                options.UseEntityFrameworkCore().UseDbContext<IdentityStore>();
                // A rotated partner secret keeps working for its overlap period.
                options.ReplaceApplicationManager<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication, Platform.Identity.Accounts.RotatingSecretApplicationManager>();
            })
            // The identity server's own API (invitations) accepts tokens it issued itself.
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
            })
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout");

                options.AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowClientCredentialsFlow()
                    .AllowRefreshTokenFlow();
                // S256 only: "plain" would let a stolen code be redeemed by whoever saw the request.
                options.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                options.RegisterScopes([Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess,
                    .. Platform.Domain.Access.Scopes.Partner, Platform.Domain.Access.Scopes.AccountsInvite, Platform.Domain.Access.Scopes.AccountsManage, Platform.Domain.Access.Scopes.ClientsManage]);
                options.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                options.SetRefreshTokenLifetime(settings.RefreshTokenLifetime);
                // Rotation: a refresh token works once; a second use revokes the whole chain.
                options.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                // The gateway validates access tokens with the published signing keys alone.
                options.DisableAccessTokenEncryption();
                if (settings.Issuer is not null) options.SetIssuer(settings.Issuer);

                if (development)
                {
                    options.AddDevelopmentEncryptionCertificate().AddDevelopmentSigningCertificate();
                }
                else
                {
                    options.AddSigningCertificate(LoadCertificate(settings.SigningCertificate, "SigningCertificate"));
                    options.AddEncryptionCertificate(LoadCertificate(settings.EncryptionCertificate, "EncryptionCertificate"));
                    for (var i = 0; i < settings.AdditionalSigningCertificates.Count; i++)
                    {
                        options.AddSigningCertificate(LoadCertificate(settings.AdditionalSigningCertificates[i], $"AdditionalSigningCertificates:{i}"));
                    }
                    for (var i = 0; i < settings.AdditionalEncryptionCertificates.Count; i++)
                    {
                        options.AddEncryptionCertificate(LoadCertificate(settings.AdditionalEncryptionCertificates[i], $"AdditionalEncryptionCertificates:{i}"));
                    }
                }

                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (development)
                {
                    // Plain HTTP, and only on loopback (checked above). Elsewhere TLS is required.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        // The pages live in this assembly, which is not the entry assembly when a test hosts the server.
        builder.Services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            var assembly = typeof(IdentityServer).Assembly;
            if (parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name)) return;
            foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
            {
                parts.ApplicationParts.Add(part);
            }
        });
        builder.AddMail(development);
        builder.Services.AddLanguages();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMemoryCache();
        builder.Services.AddHttpClient<Platform.Identity.Accounts.Municipalities>();
        builder.Services.AddScoped<Platform.Identity.Accounts.AccountMail>();
        // Links in invitation, confirmation and reset mails work for this long.
        builder.Services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = settings.LinkLifetime);
        builder.Services.AddThrottle(Platform.Identity.Protection.IdentityLimits.Defaults);
        builder.Services.AddHostedService<Platform.Identity.Setup.PlatformSetup>();
        if (settings.SeedDemoData) builder.Services.AddHostedService<DemoAccountsSeeder>();
        return builder;
    }

    public static WebApplication MapIdentityServer(this WebApplication app)
    {
        app.UsePlatformWebSecurity(WebSecurity.PagePolicy());
        app.UseLanguages();
        app.UseTokenEndpointThrottle();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapConnectEndpoints();
        app.MapInvitationEndpoints();
        app.MapAccountAdminEndpoints();
        app.MapPartnerClientEndpoints();
        app.MapExternalSignIn();
        app.MapRazorPages();
        app.MapGet("/", () => Results.Redirect("/account/login"));
        return app;
    }

    private static X509Certificate2 LoadCertificate(CertificateSettings? certificate, string name)
    {
        var key = $"{IdentitySettings.Section}:{name}";
        if (certificate is null || string.IsNullOrWhiteSpace(certificate.Path))
        {
            throw new InvalidOperationException(
                $"Outside Development the identity server needs a {name} to sign and encrypt tokens: set {key}:Path to a PFX file " +
                $"(and {key}:Password if it has one). Development keys are used only in the Development environment.");
        }
        if (!File.Exists(certificate.Path))
        {
            throw new InvalidOperationException($"{key}:Path names '{certificate.Path}', which does not exist.");
        }
        return X509CertificateLoader.LoadPkcs12FromFile(certificate.Path, certificate.Password);
    }

    /// <summary>Plain HTTP is allowed in Development only when every address the server listens on is loopback.</summary>
    private static void RequireLoopback(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"), UriKind.Absolute, out var uri)) continue;
            var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                throw new InvalidOperationException(
                    $"In Development the identity server runs on plain HTTP and so listens on loopback only; '{url}' is not a loopback address.");
            }
        }
    }
}
