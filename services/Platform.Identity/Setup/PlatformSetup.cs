using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Platform.Identity.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;
using ApiScopes = Platform.Domain.Access.Scopes;
using Roles = Platform.Domain.Access.Roles;

namespace Platform.Identity.Setup;

/// <summary>
/// What the platform needs in every environment, demo data or not: the roles, its own clients (the web app and
/// the gateway, their secrets from configuration) and one platform operator. On an empty start the operator's
/// password comes from <c>Platform:Identity:Operator:Password</c>, or is made up and printed once when the
/// account is created.
/// </summary>
public sealed partial class PlatformSetup(IServiceProvider services, IOptions<IdentitySettings> settings, ILogger<PlatformSetup> logger) : IHostedService
{
    public const string WebClientId = "platform-web";
    public const string GatewayClientId = "platform-gateway";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PlatformUser>>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var s = settings.Value;

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) Ensure(await roles.CreateAsync(new IdentityRole(role)), role);
        }
        // The web app's addresses and the secrets follow configuration (ports differ between runs), so these are updated, not only created.
        await EnsureClientAsync(applications, WebClient(s), cancellationToken, update: true);
        await EnsureClientAsync(applications, PlatformService(GatewayClientId, s.GatewayClientSecret, "The GraphQL gateway",
            [ApiScopes.AccountsInvite, ApiScopes.AccountsManage, ApiScopes.ClientsManage]), cancellationToken, update: true);

        if (!s.SeedDemoData && await users.FindByEmailAsync(s.Operator.Email) is null)
        {
            var password = string.IsNullOrEmpty(s.Operator.Password) ? MadeUpPassword() : s.Operator.Password;
            var user = new PlatformUser { UserName = s.Operator.Email, Email = s.Operator.Email, EmailConfirmed = true, DisplayName = "Platform operator" };
            Ensure(await users.CreateAsync(user, password), s.Operator.Email);
            Ensure(await users.AddToRoleAsync(user, Roles.Operator), s.Operator.Email);
            if (string.IsNullOrEmpty(s.Operator.Password)) LogOperatorCreated(logger, s.Operator.Email, password);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Long enough to need no rules of its own; ends in a digit, a capital and a sign for the password policy.</summary>
    private static string MadeUpPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y') + "7K!";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Empty start: the platform operator {Email} was created with the password {Password} (shown this once; change it after signing in, or set Platform:Identity:Operator:Password)")]
    private static partial void LogOperatorCreated(ILogger logger, string email, string password);

    private static void Ensure(IdentityResult result, string what)
    {
        if (!result.Succeeded) throw new InvalidOperationException($"Account {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }

    /// <summary>
    /// The portal and console: a confidential client (its server keeps the secret) using the code flow
    /// with PKCE, refresh tokens, and sign-out through the end-session endpoint.
    /// </summary>
    public static OpenIddictApplicationDescriptor WebClient(IdentitySettings settings)
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
        foreach (var url in settings.WebAppUrlsOrDefault)
        {
            descriptor.RedirectUris.Add(new Uri(url, "signin-oidc"));
            descriptor.PostLogoutRedirectUris.Add(new Uri(url, "signout-callback-oidc"));
        }
        return descriptor;
    }

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

    public static async Task EnsureClientAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken, bool update = false)
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
}
