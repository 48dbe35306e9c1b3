namespace Platform.Domain.Access;

/// <summary>
/// The demo accounts (one per role, two tenants), shared by the identity server, which creates them, and
/// the silo, which puts the staff among them on their organisations' people. Development only.
/// </summary>
public static class DemoAccounts
{
    public const string Password = "Demo!2345";
    public const string FirstMunicipality = "GM0405";
    public const string OtherMunicipality = "GM0363";
    public const string WasteExecutor = "afvalbedrijf-nhn";
    public const string GrittingExecutor = "gladheidsdienst-amstelland";

    public static IReadOnlyList<(string Email, string Name, string? Organisation, string Role)> All { get; } =
    [
        ("operator@demo.test", "Platform operator", null, Roles.Operator),
        ("admin@demo.test", "Admin, Hoorn", FirstMunicipality, Roles.MunicipalityAdmin),
        ("manager@demo.test", "Contract manager, Hoorn", FirstMunicipality, Roles.ContractManager),
        ("board@demo.test", "Board member, Hoorn", FirstMunicipality, Roles.BoardMember),
        ("alderman@demo.test", "Alderman, Hoorn", FirstMunicipality, Roles.Alderman),
        ("citizen@demo.test", "Resident of Hoorn", FirstMunicipality, Roles.Citizen),
        ("executor.admin@demo.test", "Admin, Afvalbedrijf Noord-Holland Noord", WasteExecutor, Roles.ExecutorAdmin),
        ("executor@demo.test", "Staff, Afvalbedrijf Noord-Holland Noord", WasteExecutor, Roles.ExecutorStaff),
        // Another tenant, for trying (and testing) that one tenant's staff cannot act on another's objects.
        ("admin.amsterdam@demo.test", "Admin, Amsterdam", OtherMunicipality, Roles.MunicipalityAdmin),
        ("citizen.amsterdam@demo.test", "Resident of Amsterdam", OtherMunicipality, Roles.Citizen),
        ("executor.amstelland@demo.test", "Staff, Gladheidsdienst Amstelland", GrittingExecutor, Roles.ExecutorStaff),
    ];

    /// <summary>The staff among them: people of an organisation (residents and operators are not).</summary>
    public static IEnumerable<(string Email, string Name, string Organisation, string Role)> Staff =>
        All.Where(a => a.Organisation is not null && a.Role != Roles.Citizen).Select(a => (a.Email, a.Name, a.Organisation!, a.Role));
}
