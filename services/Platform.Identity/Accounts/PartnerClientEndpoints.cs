using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using ApiScopes = Platform.Domain.Access.Scopes;

namespace Platform.Identity.Accounts;

public sealed record PartnerClientRequest(string? ClientId, string? Organisation, string? Name, IReadOnlyList<string>? Scopes);

public sealed record PartnerClientChange(string? Organisation, double? OverlapHours);

/// <summary>A secret, shown to the organisation's admin once; the server keeps only its hash.</summary>
public sealed record PartnerClientSecret(string ClientId, string Secret, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>
/// Partner clients (client credentials) of organisations, carried out for the gateway (scope clients:manage)
/// once the organisation's grain allowed it: create, rotate the secret with an overlap in which the previous
/// one still works, revoke (the client is deleted and its tokens revoked, so the next token request fails).
/// </summary>
public static class PartnerClientEndpoints
{
    public const string PreviousSecretProperty = "previous_secret";
    public const string PreviousSecretUntilProperty = "previous_secret_until";
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapPartnerClientEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/clients", CreateAsync).DisableAntiforgery();
        app.MapPost("/admin/clients/{clientId}/rotation", RotateAsync).DisableAntiforgery();
        app.MapPost("/admin/clients/{clientId}/revocation", RevokeAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult?> AuthorizeAsync(HttpContext http)
    {
        var auth = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!auth.Succeeded) return Results.Problem("A bearer token of a platform service is required.", statusCode: StatusCodes.Status401Unauthorized);
        return auth.Principal!.HasScope(ApiScopes.ClientsManage)
            ? null
            : Results.Problem($"The token lacks the scope {ApiScopes.ClientsManage}.", statusCode: StatusCodes.Status403Forbidden);
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<IResult> CreateAsync(HttpContext http, PartnerClientRequest request, IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(http) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(request.ClientId) || string.IsNullOrWhiteSpace(request.Organisation) || string.IsNullOrWhiteSpace(request.Name) || request.Scopes is not { Count: > 0 })
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["client"] = ["clientId, organisation, name and scopes are required."] });
        }
        if (request.Scopes.Any(s => !ApiScopes.Partner.Contains(s)))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["scopes"] = [$"Partner scopes are {string.Join(", ", ApiScopes.Partner)}."] });
        }
        if (await applications.FindByClientIdAsync(request.ClientId, cancellationToken) is not null)
        {
            return Results.Problem($"A client '{request.ClientId}' exists already.", statusCode: StatusCodes.Status409Conflict);
        }
        var secret = NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = request.ClientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = request.Name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in request.Scopes.Distinct()) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        descriptor.Properties[IdentityNames.OrganisationProperty] = JsonSerializer.SerializeToElement(request.Organisation);
        await applications.CreateAsync(descriptor, cancellationToken);
        return Results.Created($"/admin/clients/{request.ClientId}", new PartnerClientSecret(request.ClientId, secret, null));
    }

    /// <summary>The client of <paramref name="organisation"/>, or the problem to answer (a client of another organisation is not found).</summary>
    private static async Task<(object?, OpenIddictApplicationDescriptor?, IResult?)> FindAsync(IOpenIddictApplicationManager applications, string clientId, string? organisation, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null) return (null, null, Results.Problem($"No client '{clientId}'.", statusCode: StatusCodes.Status404NotFound));
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        var owner = descriptor.Properties.TryGetValue(IdentityNames.OrganisationProperty, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return owner is not null && owner == organisation
            ? (application, descriptor, null)
            : (null, null, Results.Problem($"No client '{clientId}' of {organisation}.", statusCode: StatusCodes.Status404NotFound));
    }

    private static async Task<IResult> RotateAsync(HttpContext http, string clientId, PartnerClientChange request, IOpenIddictApplicationManager applications,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(http) is { } refused) return refused;
        var (application, descriptor, problem) = await FindAsync(applications, clientId, request.Organisation, cancellationToken);
        if (problem is not null) return problem;
        var overlap = TimeSpan.FromHours(Math.Clamp(request.OverlapHours ?? 24, 0, MaxOverlap.TotalHours));
        // The stored value is already the hash of the current secret: it becomes the previous one, valid for the overlap.
        var previousHash = ((OpenIddictEntityFrameworkCoreApplication)application!).ClientSecret;
        var until = time.GetUtcNow() + overlap;
        var secret = NewSecret();
        descriptor!.ClientSecret = secret;
        if (overlap > TimeSpan.Zero && previousHash is not null)
        {
            descriptor.Properties[PreviousSecretProperty] = JsonSerializer.SerializeToElement(previousHash);
            descriptor.Properties[PreviousSecretUntilProperty] = JsonSerializer.SerializeToElement(until.ToUnixTimeSeconds());
        }
        else
        {
            // No overlap: the previous secret stops working now (and any older one with it).
            descriptor.Properties.Remove(PreviousSecretProperty);
            descriptor.Properties.Remove(PreviousSecretUntilProperty);
        }
        await applications.UpdateAsync(application!, descriptor, cancellationToken);
        return Results.Ok(new PartnerClientSecret(clientId, secret, overlap > TimeSpan.Zero ? until : null));
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, string clientId, PartnerClientChange request, IOpenIddictApplicationManager applications,
        IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(http) is { } refused) return refused;
        var (application, _, problem) = await FindAsync(applications, clientId, request.Organisation, cancellationToken);
        if (problem is not null) return problem;
        var id = await applications.GetIdAsync(application!, cancellationToken);
        await tokens.RevokeByApplicationIdAsync(id!, cancellationToken);
        await authorizations.RevokeByApplicationIdAsync(id!, cancellationToken);
        await applications.DeleteAsync(application!, cancellationToken);
        return Results.NoContent();
    }
}

/// <summary>
/// OpenIddict's application manager, except that during a rotation's overlap the previous secret (kept as
/// its hash, with an expiry, in the client's properties) is accepted too.
/// </summary>
public sealed class RotatingSecretApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    Microsoft.Extensions.Options.IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    TimeProvider time)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<bool> ValidateClientSecretAsync(OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken cancellationToken = default)
    {
        if (await base.ValidateClientSecretAsync(application, secret, cancellationToken)) return true;
        var properties = await GetPropertiesAsync(application, cancellationToken);
        if (!properties.TryGetValue(PartnerClientEndpoints.PreviousSecretProperty, out var previous) || previous.ValueKind != JsonValueKind.String
            || !properties.TryGetValue(PartnerClientEndpoints.PreviousSecretUntilProperty, out var until) || until.ValueKind != JsonValueKind.Number
            || time.GetUtcNow().ToUnixTimeSeconds() >= until.GetInt64())
        {
            return false;
        }
        return await ValidateClientSecretAsync(secret, previous.GetString()!, cancellationToken);
    }
}
