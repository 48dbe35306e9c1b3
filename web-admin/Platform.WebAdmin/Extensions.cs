using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.WebEncoders;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Platform.WebAdmin.Auth;
using Platform.WebAdmin.Gateway;
using Platform.WebAdmin.Persistence;
using Platform.Databases;
using Microsoft.AspNetCore.DataProtection;

namespace Platform.WebAdmin;

public sealed class WebAdminSettings
{
    public const string Section = "Platform:WebAdmin";

    /// <summary>The gateway's GraphQL endpoint: the web app's only source of data.</summary>
    public Uri GatewayUrl { get; set; } = new("http://127.0.0.1:5080/graphql");

    /// <summary>The identity server people sign in with.</summary>
    public Uri Authority { get; set; } = new("http://127.0.0.1:5081/");

    public string ClientId { get; set; } = "platform-web";

    public string ClientSecret { get; set; } = "platform-web-secret";
}

public static class Extensions
{
    public static readonly CultureInfo[] Cultures = [new("nl-NL"), new("en-GB")];

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebAdminSettings>().BindConfiguration(WebAdminSettings.Section);
        var settings = builder.Configuration.GetSection(WebAdminSettings.Section).Get<WebAdminSettings>() ?? new WebAdminSettings();
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddCascadingAuthenticationState();
        // Dutch text (€, ë, m³) as characters, not numeric entities.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddHttpClient<GatewayClient>(http => http.Timeout = TimeSpan.FromSeconds(20));
        builder.Services.AddHttpClient(TokenRefresher.HttpClientName);
        builder.Services.AddScoped<Session>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Platform.WebAdmin.Gateway.PortalThemes>();
        builder.Services.AddSingleton<TokenRefresher>();
        // Shared by every instance: the key ring (cookies written by one are read by all) and token exchanges in flight.
        builder.Services.AddPlatformDatabaseFactory<WebAdminStore, SqliteWebAdminStore, PostgresWebAdminStore>(
            DatabaseConnection.From(builder.Configuration, builder.Environment, WebAdminStore.ConnectionName, Path.Combine("webadmin", "webadmin.db")));
        builder.Services.AddDataProtection().SetApplicationName("platform-web").PersistKeysToDbContext<WebAdminStore>();

        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            // The language switch sets the cookie; nothing else (no Accept-Language guessing: Dutch is the default).
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "platform.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<TokenRefresher>().RefreshIfNeededAsync(context);
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = settings.Authority.ToString();
                o.RequireHttpsMetadata = builder.Environment.IsProduction();
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query of a plain redirect: a form_post answer would need an inline script
                // on the identity server's page, which its Content-Security-Policy refuses. PKCE binds the code.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email", "roles", "offline_access" }) o.Scope.Add(scope);
                o.TokenValidationParameters.NameClaimType = "email";
                o.TokenValidationParameters.RoleClaimType = "role";
                // The identity server's pages speak the language the person chose here.
                o.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.UiLocales = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }
}
