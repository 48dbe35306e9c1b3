using Platform.Domain.Municipalities;

namespace Platform.Domain.Access;

/// <summary>
/// Who may do what with an arrangement and its municipalities: decided here once, enforced by the
/// gateway before a call and again by the grain on receipt. Reading tariffs, members and arrangements
/// is public.
/// </summary>
public static class ArrangementPolicy
{
    /// <summary>
    /// Who sees the records the parties keep among themselves (incidents, extra work, consultations): operators, the
    /// executing organisation's people and systems, and the members' people and systems, never residents.
    /// </summary>
    public static bool SeesPartyRecords(Caller caller, string executingOrganisation, IReadOnlyCollection<string> members) =>
        caller.IsOperator
        || caller.IsAuthenticated && caller.Organisation == executingOrganisation
        || caller.ActsForAny(members) && !caller.HasRole(Roles.Citizen);

    public static Decision Onboard(Caller caller) =>
        caller.IsOperator ? Decision.Allow : Decision.Deny(caller, "Only a platform operator onboards a municipality.");

    /// <summary>The municipality's own admin chooses how its portal looks (an operator may too).</summary>
    public static Decision SetPortalTheme(Caller caller, string municipality) =>
        caller.IsOperator || (caller.HasRole(Roles.MunicipalityAdmin) && caller.Organisation == municipality)
            ? Decision.Allow
            : Decision.Deny(caller, $"Only {municipality}'s own admin chooses how its portal looks.");

    /// <summary>
    /// An operator, or the admin or contract manager of a municipality, which becomes the arrangement's first member.
    /// </summary>
    public static Decision Create(Caller caller) =>
        caller.IsOperator || IsMunicipalSteward(caller)
            ? Decision.Allow
            : Decision.Deny(caller, "Only a platform operator, or the admin or contract manager of a municipality, sets up an arrangement.");

    /// <summary>Whether the caller is the admin or contract manager of a municipality (signed in as a person).</summary>
    public static bool IsMunicipalSteward(Caller caller) =>
        caller.Kind == CallerKind.User && MunicipalityCode.IsValid(caller.Organisation ?? "")
        && (caller.HasRole(Roles.MunicipalityAdmin) || caller.HasRole(Roles.ContractManager));

    /// <summary>An operator, or the admin or contract manager of a municipality that is a member today.</summary>
    public static Decision AddMember(Caller caller, IEnumerable<string> memberCodes)
    {
        if (caller.IsOperator) return Decision.Allow;
        if (IsMunicipalSteward(caller) && caller.ActsForAny(memberCodes)) return Decision.Allow;
        return Decision.Deny(caller, "Only a platform operator, or the admin or contract manager of a member municipality, admits a member or ends a membership.");
    }

    /// <summary>
    /// An operator; the admin or contract manager of a member municipality; or a member
    /// municipality's own system (a partner client) holding the arrangements:write scope.
    /// </summary>
    public static Decision PublishTariffs(Caller caller, IEnumerable<string> memberCodes)
    {
        var members = memberCodes.ToList();
        if (caller.IsOperator) return Decision.Allow;
        if ((caller.HasRole(Roles.MunicipalityAdmin) || caller.HasRole(Roles.ContractManager)) && caller.ActsForAny(members)) return Decision.Allow;
        if (caller.Kind == CallerKind.Partner && caller.ActsForAny(members))
        {
            return caller.HasScope(Scopes.ArrangementsWrite)
                ? Decision.Allow
                : Decision.Forbidden($"This client lacks the scope {Scopes.ArrangementsWrite}.");
        }
        return Decision.Deny(caller, "Only a platform operator, or the admin or contract manager of a member municipality, publishes tariffs.");
    }
}
