using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Validation.AspNetCore;
using Platform.Domain.Access;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Gateway.Access;

/// <summary>Turns the bearer token of a request into the <see cref="Caller"/> that grains and policies see.</summary>
public static class CallerAuthentication
{
    public enum Outcome { Anonymous, Authenticated, InvalidToken }

    /// <summary>No Authorization header: anonymous. A header with a token that does not validate: refused (401).</summary>
    public static async Task<(Outcome Outcome, Caller Caller, string? Problem)> AuthenticateAsync(HttpContext http)
    {
        if (!http.Request.Headers.Authorization.Any())
        {
            return (Outcome.Anonymous, Caller.Anonymous, null);
        }
        if (http.User.Identity?.IsAuthenticated == true)
        {
            return await WithCurrentAccessAsync(http, FromPrincipal(http.User)); // done by the authentication middleware
        }
        var result = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            var problem = result.Properties?.Items.TryGetValue(".error_description", out var description) == true ? description : null;
            return (Outcome.InvalidToken, Caller.Anonymous, problem ?? result.Failure?.Message ?? "The bearer token is not valid.");
        }
        http.User = result.Principal;
        return await WithCurrentAccessAsync(http, FromPrincipal(result.Principal));
    }

    /// <summary>
    /// A person's organisation decides, at every request, whether they still work there and in which role: a
    /// removed person's token is refused at once, a changed role applies at once. People the organisation does
    /// not list (residents) keep what their token says. The answer is kept under the public data feed as a facet of the
    /// organisation's record: the organisation announces every stored change (a person invited, moved to another role,
    /// removed) before its call returns, which drops what was kept of it, so "at once" holds as when the grain was asked
    /// every time (<see cref="GraphQL.Http.PublicRecords"/>).
    /// </summary>
    private static async Task<(Outcome, Caller, string?)> WithCurrentAccessAsync(HttpContext http, Caller caller)
    {
        if (caller.Kind is not (CallerKind.User or CallerKind.Partner) || caller.Organisation is not { } organisation || !GraphQL.Types.GlobalId.IsUsableKey(organisation))
        {
            return (Outcome.Authenticated, caller, null);
        }
        var grain = http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(organisation);
        var access = await GraphQL.Http.PublicRecords.ReadAsync(http.RequestServices.GetRequiredService<GraphQL.Http.PublicAnswerCache>(), grain,
            $"access\n{caller.Subject}\n{caller.AccountId}", async () => (Platform.Grains.Organisations.PersonAccess?)await grain.AccessOfAsync(caller.Subject, caller.AccountId));
        return access switch
        {
            { Status: Platform.Grains.Organisations.PersonStatus.Removed } =>
                (Outcome.InvalidToken, Caller.Anonymous, $"The access of {caller.Subject} to {organisation} was withdrawn."),
            { Status: Platform.Grains.Organisations.PersonStatus.Active, Role: { } role } when caller.Kind == CallerKind.User => (Outcome.Authenticated, caller with { Roles = [role] }, null),
            _ => (Outcome.Authenticated, caller, null),
        };
    }

    public static Caller FromPrincipal(ClaimsPrincipal principal)
    {
        var kind = principal.FindFirst(TokenContract.CallerKindClaim)?.Value == TokenContract.PartnerKind ? CallerKind.Partner : CallerKind.User;
        var subject = kind == CallerKind.User
            ? principal.FindFirst(Claims.Email)?.Value ?? principal.FindFirst(Claims.Name)?.Value ?? principal.FindFirst(Claims.Subject)?.Value ?? "unknown"
            : principal.FindFirst(Claims.Subject)?.Value ?? "unknown";
        var scopes = principal.FindAll(Claims.Private.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Concat(principal.FindAll(Claims.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new Caller(
            kind,
            subject,
            principal.FindFirst(TokenContract.OrganisationClaim)?.Value,
            kind == CallerKind.User ? principal.FindAll(Claims.Role).Select(c => c.Value).ToList() : [],
            kind == CallerKind.Partner ? scopes : [],
            kind == CallerKind.User ? principal.FindFirst(Claims.Subject)?.Value : null);
    }
}
