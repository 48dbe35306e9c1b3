using Platform.Domain.Organisations;

namespace Platform.Domain.Access;

/// <summary>
/// What a caller may do on the platform as a whole (what belongs to one aggregate, such as voting on a
/// proposal, that aggregate tells). Derived from the same policies the grains enforce, so a client shows
/// exactly the actions that will be accepted and holds no role names of its own.
/// </summary>
public sealed record ViewerCapabilities(
    bool OnboardMunicipalities,
    bool RegisterOrganisations,
    bool CreateArrangements,
    bool FileComplaints,
    bool HandleComplaints,
    bool ManagePeople,
    bool UseConsole,
    bool CloseOwnAccount = false)
{
    /// <summary>A resident closes their own account; staff accounts are their organisation's to remove.</summary>
    public static Decision CloseAccount(Caller caller) =>
        caller.Kind == CallerKind.User && caller.HasRole(Roles.Citizen) && caller.AccountId is { Length: > 0 } && caller.Organisation is not null
            ? Decision.Allow
            : Decision.Deny(caller, "Only a resident closes their own account here; staff accounts are removed by their organisation's admin.");

    public static ViewerCapabilities Of(Caller caller)
    {
        var handles = ComplaintPolicy.IsMunicipalStaff(caller) || caller.IsExecutorStaff;
        var managesPeople = caller.Organisation is { } organisation
            && OrganisationPolicy.ManagePeople(caller, organisation, StaffRoles.KindOf(organisation)).Allowed;
        return new(
            ArrangementPolicy.Onboard(caller).Allowed,
            OrganisationPolicy.Register(caller).Allowed,
            ArrangementPolicy.Create(caller).Allowed,
            caller.Kind == CallerKind.User && ComplaintPolicy.File(caller).Allowed,
            handles,
            managesPeople,
            caller.IsOperator || handles || managesPeople,
            CloseAccount(caller).Allowed);
    }
}
