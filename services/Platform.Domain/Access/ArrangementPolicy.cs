namespace Platform.Domain.Access;

/// <summary>
/// Who may do what with an arrangement and its municipalities: decided here once, enforced by the
/// gateway before a call and again by the grain on receipt. Reading tariffs, members and arrangements
/// is public.
/// </summary>
public static class ArrangementPolicy
{
    public static Decision Onboard(Caller caller) =>
        caller.IsOperator ? Decision.Allow : Decision.Deny(caller, "Only a platform operator onboards a municipality.");

    public static Decision Create(Caller caller) =>
        caller.IsOperator ? Decision.Allow : Decision.Deny(caller, "Only a platform operator creates an arrangement.");

    /// <summary>An operator, or the admin of a municipality that is already a member.</summary>
    public static Decision AddMember(Caller caller, IEnumerable<string> memberCodes)
    {
        if (caller.IsOperator) return Decision.Allow;
        if (caller.HasRole(Roles.MunicipalityAdmin) && caller.ActsForAny(memberCodes)) return Decision.Allow;
        return Decision.Deny(caller, "Only a platform operator or the admin of a member municipality admits a member.");
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
