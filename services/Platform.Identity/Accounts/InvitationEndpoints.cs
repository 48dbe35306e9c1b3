using System.Net.Mail;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Platform.ServiceDefaults.Mail;
using Platform.Identity.Persistence;
using Roles = Platform.Domain.Access.Roles;

namespace Platform.Identity.Accounts;

public sealed record InvitationRequest(string? Email, string? DisplayName, string? Organisation, string? Role);

public sealed record InvitationCreated(string UserId, string Email, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>POST /admin/invitations</c>: creates an account without a password and mails a link that sets
/// one. Called by the platform's own services (the gateway, when an operator approves a
/// municipality) with a client-credentials token holding the accounts:invite scope.
/// </summary>
public static class InvitationEndpoints
{
    public const string Scope = Platform.Domain.Access.Scopes.AccountsInvite;
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapInvitationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/invitations", InviteAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> InviteAsync(HttpContext http, InvitationRequest request, UserManager<PlatformUser> users,
        IMailSender mail, IOptions<IdentitySettings> settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var auth = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!auth.Succeeded) return Results.Problem("A bearer token of a platform service is required.", statusCode: StatusCodes.Status401Unauthorized);
        if (!auth.Principal!.HasScope(Scope)) return Results.Problem($"The token lacks the scope {Scope}.", statusCode: StatusCodes.Status403Forbidden);

        var errors = Validate(request);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var email = request.Email!.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is not null && (user.EmailConfirmed || user.Organisation != request.Organisation))
        {
            return Results.Problem($"An account for {email} already exists.", statusCode: StatusCodes.Status409Conflict);
        }
        if (user is null)
        {
            user = new PlatformUser { UserName = email, Email = email, DisplayName = request.DisplayName!.Trim(), Organisation = request.Organisation };
            var created = await users.CreateAsync(user); // no password until the invitation is accepted
            if (!created.Succeeded) return Results.ValidationProblem(created.Errors.GroupBy(e => "email").ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
            await users.AddToRoleAsync(user, request.Role!);
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var origin = settings.Value.Issuer?.ToString().TrimEnd('/') ?? $"{http.Request.Scheme}://{http.Request.Host}";
        var link = $"{origin}/account/invitation?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}";
        await mail.SendAsync(new MailMessageToSend(email, "Your account for the shared service arrangements platform",
            $"""
            Hello {user.DisplayName},

            An account has been made for you as {request.Role} of {request.Organisation}.
            Choose your password here (the link works for {Lifetime.TotalHours:0} hours):

            {link}
            """), cancellationToken);
        return Results.Created($"/admin/invitations/{user.Id}", new InvitationCreated(user.Id, email, time.GetUtcNow() + Lifetime));
    }

    private static Dictionary<string, string[]> Validate(InvitationRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256 || !MailAddress.TryCreate(request.Email.Trim(), out _))
            errors["email"] = ["A valid email address of at most 256 characters is required."];
        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > 200)
            errors["displayName"] = ["A name of 1 to 200 characters is required."];
        if (string.IsNullOrWhiteSpace(request.Organisation) || request.Organisation.Length > 64)
            errors["organisation"] = ["The organisation (1 to 64 characters) is required."];
        else if (request.Role is null)
            errors["role"] = ["The role is required."];
        else if (!RolesOf(request.Organisation).Contains(request.Role))
            errors["role"] = [$"The role must be one of {string.Join(", ", RolesOf(request.Organisation))} for {request.Organisation}."];
        return errors;
    }

    /// <summary>The roles a person of <paramref name="organisation"/> can have: its staff roles, or resident of a municipality.</summary>
    public static IReadOnlyList<string> RolesOf(string organisation)
    {
        var kind = Platform.Domain.Organisations.StaffRoles.KindOf(organisation);
        var staff = Platform.Domain.Organisations.StaffRoles.For(kind);
        return kind == Platform.Domain.Organisations.OrganisationKind.Municipality ? [.. staff, Roles.Citizen] : staff;
    }
}
