using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using ApiScopes = Platform.Domain.Access.Scopes;
using Roles = Platform.Domain.Access.Roles;
using DemoAccounts = Platform.Domain.Access.DemoAccounts;
using Platform.Identity.Setup;
using Platform.Identity.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity.DemoData;

/// <summary>
/// Demo accounts (one per role), the demo partner clients and the command-line client, created when missing
/// and the demo data is asked for; values that scripts and the README rely on. Runs after <see cref="PlatformSetup"/>.
/// </summary>
public sealed class DemoAccountsSeeder(IServiceProvider services, ILogger<DemoAccountsSeeder> logger) : IHostedService
{
    public const string WebClientId = PlatformSetup.WebClientId;

    public const string Password = DemoAccounts.Password;
    public const string FirstMunicipality = DemoAccounts.FirstMunicipality;
    public const string OtherMunicipality = DemoAccounts.OtherMunicipality;

    public static IReadOnlyList<(string Email, string Name, string? Organisation, string Role)> Accounts => DemoAccounts.All;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        foreach (var (email, name, organisation, role) in Accounts)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new PlatformUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, Organisation = organisation };
            Ensure(await users.CreateAsync(user, Password), email);
            Ensure(await users.AddToRoleAsync(user, role), email);
        }

        await PlatformSetup.EnsureClientAsync(applications, Partner("demo-partner", "demo-partner-secret", "Demo partner (Hoorn)", FirstMunicipality, ApiScopes.Partner), cancellationToken);
        await PlatformSetup.EnsureClientAsync(applications, Partner("demo-partner-readonly", "demo-partner-readonly-secret", "Demo partner, read only (Hoorn)", FirstMunicipality, [ApiScopes.ArrangementsRead]), cancellationToken);
        await PlatformSetup.EnsureClientAsync(applications, Partner("demo-partner-amsterdam", "demo-partner-amsterdam-secret", "Demo partner (Amsterdam)", OtherMunicipality, ApiScopes.Partner), cancellationToken);
        await PlatformSetup.EnsureClientAsync(applications, CommandLineClient(), cancellationToken);
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





    private static void Ensure(IdentityResult result, string what)
    {
        if (!result.Succeeded) throw new InvalidOperationException($"Demo account {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
