using System.Text.RegularExpressions;
using Platform.Domain.Access;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;

namespace Platform.Domain.Organisations;

/// <summary>What an organisation is: the tenant. A municipality (key: its CBS code) or an executing organisation (key: a short id).</summary>
public enum OrganisationKind
{
    Municipality = 0,
    ExecutingOrganisation = 1,
}

/// <summary>The roles an organisation's people can have, by kind of organisation; one of them administers the rest.</summary>
public static class StaffRoles
{
    public static IReadOnlyList<string> For(OrganisationKind kind) => kind == OrganisationKind.Municipality
        ? [Roles.MunicipalityAdmin, Roles.ContractManager, Roles.BoardMember, Roles.Alderman]
        : [Roles.ExecutorAdmin, Roles.ExecutorStaff];

    /// <summary>The scopes an organisation may give its own partner clients: voting belongs to member municipalities.</summary>
    public static IReadOnlyList<string> PartnerScopes(OrganisationKind kind) => kind == OrganisationKind.Municipality
        ? Scopes.Partner
        : [Scopes.ArrangementsRead, Scopes.ComplaintsRead, Scopes.ComplaintsWrite];

    public static string AdminOf(OrganisationKind kind) => kind == OrganisationKind.Municipality ? Roles.MunicipalityAdmin : Roles.ExecutorAdmin;

    /// <summary>The kind of organisation an id names: a CBS code is a municipality.</summary>
    public static OrganisationKind KindOf(string organisationId) =>
        MunicipalityCode.IsValid(organisationId) ? OrganisationKind.Municipality : OrganisationKind.ExecutingOrganisation;
}

/// <summary>Who may manage an organisation and its people: decided here, enforced by the organisation grain.</summary>
public static partial class OrganisationPolicy
{
    public const int MaxNameLength = 150;
    public const int MaxPersonNameLength = 200;
    public const int MaxEmailLength = 256;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExecutingOrganisationId();

    public static Decision Register(Caller caller) =>
        caller.IsOperator ? Decision.Allow : Decision.Deny(caller, "Only a platform operator registers an executing organisation.");

    /// <summary>A platform operator, or an admin of this very organisation.</summary>
    public static Decision ManagePeople(Caller caller, string organisationId, OrganisationKind kind)
    {
        if (caller.IsOperator) return Decision.Allow;
        if (caller.HasRole(StaffRoles.AdminOf(kind)) && caller.Organisation == organisationId) return Decision.Allow;
        return Decision.Deny(caller, $"Only an admin of {organisationId} manages its people.");
    }

    /// <summary>Webhooks carry the organisation's events to its systems: its admins (of either kind) and operators manage them.</summary>
    public static Decision ManageWebhooks(Caller caller, string organisationId)
    {
        if (caller.IsOperator) return Decision.Allow;
        if ((caller.HasRole(Roles.MunicipalityAdmin) || caller.HasRole(Roles.ExecutorAdmin)) && caller.Organisation == organisationId) return Decision.Allow;
        return Decision.Deny(caller, $"Only an admin of {organisationId} manages its webhooks.");
    }

    /// <summary>The id an executing organisation may have: 2 to 64 lower-case letters, digits and hyphens, and never a CBS code.</summary>
    public static bool IsExecutingOrganisationId(string? id) => id is not null && ExecutingOrganisationId().IsMatch(id) && !MunicipalityCode.IsValid(id);

    public static IReadOnlyList<RuleViolation> ValidateRegistration(string id, string? name)
    {
        var errors = new List<RuleViolation>();
        if (!IsExecutingOrganisationId(id))
        {
            errors.Add(new("id", ViolationCodes.InvalidFormat, $"'{id}' is not an organisation id; use 2 to 64 lower-case letters, digits or hyphens, e.g. afvalbedrijf-nhn."));
        }
        Rules.RequireText(errors, "name", name, MaxNameLength);
        return errors;
    }

    /// <summary>A person to invite: an email address, a name, and a role this kind of organisation has.</summary>
    public static IReadOnlyList<RuleViolation> ValidatePerson(OrganisationKind kind, string? email, string? name, string? role)
    {
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "email", email, MaxEmailLength);
        if (errors.Count == 0 && !System.Net.Mail.MailAddress.TryCreate(email!.Trim(), out _))
        {
            errors.Add(new("email", ViolationCodes.InvalidFormat, $"'{email}' is not an email address."));
        }
        Rules.RequireText(errors, "name", name, MaxPersonNameLength);
        ValidateRole(errors, kind, role);
        return errors;
    }

    public const int MaxClientNameLength = 100;

    /// <summary>A partner client: a name, and scopes this kind of organisation may give.</summary>
    public static IReadOnlyList<RuleViolation> ValidateClient(OrganisationKind kind, string? name, IReadOnlyList<string>? scopes)
    {
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "name", name, MaxClientNameLength);
        var allowed = StaffRoles.PartnerScopes(kind);
        if (scopes is not { Count: > 0 })
        {
            errors.Add(new("scopes", ViolationCodes.Required, $"Choose at least one scope: {string.Join(", ", allowed)}."));
        }
        else if (scopes.FirstOrDefault(s => !allowed.Contains(s)) is { } other)
        {
            errors.Add(new("scopes", ViolationCodes.OutOfRange, $"'{other}' is not a scope this organisation may give; choose from {string.Join(", ", allowed)}."));
        }
        return errors;
    }

    public static void ValidateRole(ICollection<RuleViolation> errors, OrganisationKind kind, string? role)
    {
        var roles = StaffRoles.For(kind);
        if (role is null || !roles.Contains(role))
        {
            errors.Add(new("role", ViolationCodes.OutOfRange,
                $"'{role}' is not a role of {(kind == OrganisationKind.Municipality ? "a municipality" : "an executing organisation")}; choose one of {string.Join(", ", roles)}."));
        }
    }
}
