using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using ApiScopes = Platform.Domain.Access.Scopes;
using Roles = Platform.Domain.Access.Roles;
using DemoAccounts = Platform.Domain.Access.DemoAccounts;
using Platform.Identity.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity.DemoData;

/// <summary>
/// Demo accounts (one per role), the demo partner clients and the command-line client, created in
/// Development when missing; values that scripts and the README rely on.
/// </summary>
public sealed class DemoAccountsSeeder(IServiceProvider services, Microsoft.Extensions.Options.IOptions<IdentitySettings> settings, ILogger<DemoAccountsSeeder> logger) : IHostedService
{
    public const string WebClientId = "platform-web";

    public const string Password = DemoAccounts.Password;
    public const string FirstMunicipality = DemoAccounts.FirstMunicipality;
    public const string OtherMunicipality = DemoAccounts.OtherMunicipality;

    public static IReadOnlyList<(string Email, string Name, string? Organisation, string Role)> Accounts => DemoAccounts.All;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) Ensure(await roles.CreateAsync(new IdentityRole(role)), role);
        }
        foreach (var (email, name, organisation, role) in Accounts)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new PlatformUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, Organisation = organisation };
            Ensure(await users.CreateAsync(user, Password), email);
            Ensure(await users.AddToRoleAsync(user, role), email);
        }

        await EnsureClientAsync(applications, Partner("demo-partner", "demo-partner-secret", "Demo partner (Hoorn)", FirstMunicipality, ApiScopes.Partner), cancellationToken);
        await EnsureClientAsync(applications, Partner("demo-partner-readonly", "demo-partner-readonly-secret", "Demo partner, read only (Hoorn)", FirstMunicipality, [ApiScopes.ArrangementsRead]), cancellationToken);
        await EnsureClientAsync(applications, Partner("demo-partner-amsterdam", "demo-partner-amsterdam-secret", "Demo partner (Amsterdam)", OtherMunicipality, ApiScopes.Partner), cancellationToken);
        await EnsureClientAsync(applications, CommandLineClient(), cancellationToken);
        // The web app's addresses follow its configuration (ports differ between runs), so it is updated, not only created.
        await EnsureClientAsync(applications, WebClient(settings.Value), cancellationToken, update: true);
        await EnsureClientAsync(applications, PlatformService("platform-gateway", "platform-gateway-secret", "The GraphQL gateway",
            [ApiScopes.AccountsInvite, ApiScopes.AccountsManage, ApiScopes.ClientsManage]), cancellationToken, update: true);
        logger.LogInformation("Demo accounts and clients in place");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static OpenIddictApplicationDescriptor Partner(string clientId, string secret, string name, string organisation, IEnumerable<string> scopes)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in scopes) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        descriptor.Properties[IdentityNames.OrganisationProperty] = System.Text.Json.JsonSerializer.SerializeToElement(organisation);
        return descriptor;
    }

    /// <summary>One of the platform's own services, calling the identity server's API.</summary>
    private static OpenIddictApplicationDescriptor PlatformService(string clientId, string secret, string name, IEnumerable<string> scopes)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in scopes) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        return descriptor;
    }

    /// <summary>A public client for command-line tools: code flow with PKCE, a loopback redirect.</summary>
    private static OpenIddictApplicationDescriptor CommandLineClient() => new()
    {
        ClientId = "demo-cli",
        ClientType = ClientTypes.Public,
        ConsentType = ConsentTypes.Implicit,
        DisplayName = "Command-line tools",
        RedirectUris = { new Uri("http://127.0.0.1:8765/callback") },
        PostLogoutRedirectUris = { new Uri("http://127.0.0.1:8765/signed-out") },
        Permissions =
        {
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Scopes.Roles,
            Permissions.Prefixes.Scope + Scopes.OfflineAccess,
        },
        Requirements = { Requirements.Features.ProofKeyForCodeExchange },
    };

    /// <summary>
    /// The portal and console: a confidential client (its server keeps the secret) using the code flow
    /// with PKCE, refresh tokens, and sign-out through the end-session endpoint.
    /// </summary>
    private static OpenIddictApplicationDescriptor WebClient(IdentitySettings settings)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = WebClientId,
            ClientSecret = settings.WebAppClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Portal and console",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Scopes.Roles,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var url in settings.WebAppUrls)
        {
            descriptor.RedirectUris.Add(new Uri(url, "signin-oidc"));
            descriptor.PostLogoutRedirectUris.Add(new Uri(url, "signout-callback-oidc"));
        }
        return descriptor;
    }

    private static async Task EnsureClientAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken, bool update = false)
    {
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else if (update)
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    private static void Ensure(IdentityResult result, string what)
    {
        if (!result.Succeeded) throw new InvalidOperationException($"Demo account {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
