using Platform.Domain.Complaints;

namespace Platform.Domain.Access;

/// <summary>
/// Who may file, see and move a complaint. A complaint is visible to its author, to staff of the
/// author's municipality (which stays accountable to its residents) and to the executing
/// organisation that handles it (its staff, or its systems with the complaints scopes); nobody else.
/// </summary>
public static class ComplaintPolicy
{
    /// <summary>The roles of a municipality's staff, who keep sight of their residents' complaints.</summary>
    public static readonly IReadOnlyList<string> MunicipalStaffRoles = [Roles.MunicipalityAdmin, Roles.ContractManager, Roles.BoardMember, Roles.Alderman];

    public static bool IsMunicipalStaff(Caller caller) => MunicipalStaffRoles.Any(caller.HasRole);

    /// <summary>Sees (or, with the write scope, moves) its municipality's residents' complaints: its staff, or its systems with the scope.</summary>
    public static bool ActsForMunicipality(Caller caller, string partnerScope = Scopes.ComplaintsRead) =>
        IsMunicipalStaff(caller) || caller.HasScope(partnerScope);

    /// <summary>Sees (or moves) the complaints its organisation executes: its staff, or its systems with the scope.</summary>
    public static bool ActsForExecutor(Caller caller, string partnerScope = Scopes.ComplaintsRead) =>
        caller.IsExecutorStaff || caller.HasScope(partnerScope);

    /// <summary>
    /// A signed-in resident files for the municipality they live in; a municipality's own system (with
    /// complaints:write) files for the residents it takes reports from, in that municipality only.
    /// </summary>
    public static Decision File(Caller caller) =>
        caller.Organisation is not null && (caller.HasRole(Roles.Citizen) || (caller.Kind == CallerKind.Partner && caller.HasScope(Scopes.ComplaintsWrite)))
            ? Decision.Allow
            : Decision.Deny(caller, "Complaints are filed by a signed-in resident of a member municipality, or by that municipality's system.");

    /// <param name="partnerScope">The scope a partner system needs for what it is doing (read or write).</param>
    public static ComplaintRole RoleOf(Caller caller, string authorSubject, string municipality, string? executor, string partnerScope = Scopes.ComplaintsRead)
    {
        if (caller.Kind == CallerKind.System) return ComplaintRole.System;
        // A person is known by their email address, in any case: a complaint confirmed by mail before they had an
        // account is theirs once they sign in with that address.
        if (caller.Kind == CallerKind.User && string.Equals(caller.Subject, authorSubject, StringComparison.OrdinalIgnoreCase)) return ComplaintRole.Author;
        if (caller.Organisation == municipality && ActsForMunicipality(caller, partnerScope)) return ComplaintRole.MunicipalityStaff;
        if (executor is not null && caller.Organisation == executor
            && ActsForExecutor(caller, partnerScope)) return ComplaintRole.ExecutorStaff;
        return ComplaintRole.Other;
    }

    public static bool CanSee(ComplaintRole role) => role != ComplaintRole.Other;
}
