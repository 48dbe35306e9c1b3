using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Platform.Identity.Persistence;
using Scopes = Platform.Domain.Access.Scopes;

namespace Platform.Identity.Accounts;

public sealed record AccountRoleChange(string? Email, string? Organisation, string? Role);

public sealed record AccountWithdrawal(string? Email, string? Organisation);

public sealed record AccountDeletion(string? Email, string? Organisation);

/// <summary>
/// What an organisation decided about one of its people, carried out on their account (called by the gateway
/// with the accounts:manage scope, after the organisation's grain allowed it): a new role, or access withdrawn,
/// which locks the account, revokes its refresh tokens and authorizations and ends its sign-in sessions.
/// </summary>
public static class AccountAdminEndpoints
{
    public static IEndpointRouteBuilder MapAccountAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/accounts/role", ChangeRoleAsync).DisableAntiforgery();
        app.MapPost("/admin/accounts/withdrawal", WithdrawAsync).DisableAntiforgery();
        app.MapPost("/admin/accounts/deletion", DeleteAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult?> AuthorizeAsync(HttpContext http)
    {
        var auth = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!auth.Succeeded) return Results.Problem("A bearer token of a platform service is required.", statusCode: StatusCodes.Status401Unauthorized);
        return auth.Principal!.HasScope(Scopes.AccountsManage)
            ? null
            : Results.Problem($"The token lacks the scope {Scopes.AccountsManage}.", statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>The account of <paramref name="email"/> in <paramref name="organisation"/>, or the problem to answer.</summary>
    private static async Task<(PlatformUser?, IResult?)> FindAsync(UserManager<PlatformUser> users, string? email, string? organisation)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(organisation))
        {
            return (null, Results.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["The email address and the organisation are required."] }));
        }
        var user = await users.FindByEmailAsync(email.Trim());
        return user is null || user.Organisation != organisation
            ? (null, Results.Problem($"{email} has no account of {organisation}.", statusCode: StatusCodes.Status404NotFound))
            : (user, null);
    }

    private static async Task<IResult> ChangeRoleAsync(HttpContext http, AccountRoleChange request, UserManager<PlatformUser> users)
    {
        if (await AuthorizeAsync(http) is { } refused) return refused;
        var (user, problem) = await FindAsync(users, request.Email, request.Organisation);
        if (problem is not null) return problem;
        if (request.Role is null || !InvitationEndpoints.RolesOf(request.Organisation!).Contains(request.Role))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"The role must be one of {string.Join(", ", InvitationEndpoints.RolesOf(request.Organisation!))}."] });
        }
        var current = await users.GetRolesAsync(user!);
        await users.RemoveFromRolesAsync(user!, current);
        await users.AddToRoleAsync(user!, request.Role);
        // New tokens carry the new role; the gateway applies it at once from the organisation itself.
        await users.UpdateSecurityStampAsync(user!);
        return Results.NoContent();
    }

    private static async Task<IResult> WithdrawAsync(HttpContext http, AccountWithdrawal request, UserManager<PlatformUser> users,
        IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(http) is { } refused) return refused;
        var (user, problem) = await FindAsync(users, request.Email, request.Organisation);
        if (problem is not null) return problem;
        await users.SetLockoutEnabledAsync(user!, true);
        await users.SetLockoutEndDateAsync(user!, DateTimeOffset.MaxValue);
        // Sign-in cookies are checked against the stamp on every request (IdentityServer sets no grace interval).
        await users.UpdateSecurityStampAsync(user!);
        var revokedTokens = await tokens.RevokeBySubjectAsync(user!.Id, cancellationToken);
        var revokedAuthorizations = await authorizations.RevokeBySubjectAsync(user.Id, cancellationToken);
        return Results.Ok(new { revokedTokens, revokedAuthorizations });
    }

    /// <summary>
    /// A resident closed their account (the gateway asked after their municipality's grain allowed it and their
    /// complaints were anonymised): tokens and authorizations revoked, the account and its personal data deleted.
    /// Staff accounts are not deleted this way; their organisation withdraws them.
    /// </summary>
    private static async Task<IResult> DeleteAsync(HttpContext http, AccountDeletion request, UserManager<PlatformUser> users,
        IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(http) is { } refused) return refused;
        var (user, problem) = await FindAsync(users, request.Email, request.Organisation);
        if (problem is not null) return problem;
        var roles = await users.GetRolesAsync(user!);
        if (roles.Count != 1 || roles[0] != Platform.Domain.Access.Roles.Citizen)
        {
            return Results.Problem($"{request.Email} is a staff account; its organisation removes it.", statusCode: StatusCodes.Status409Conflict);
        }
        var revokedTokens = await tokens.RevokeBySubjectAsync(user!.Id, cancellationToken);
        var revokedAuthorizations = await authorizations.RevokeBySubjectAsync(user.Id, cancellationToken);
        var deleted = await users.DeleteAsync(user);
        return deleted.Succeeded
            ? Results.Ok(new { revokedTokens, revokedAuthorizations })
            : Results.Problem(string.Join(" ", deleted.Errors.Select(e => e.Description)), statusCode: StatusCodes.Status500InternalServerError);
    }
}
