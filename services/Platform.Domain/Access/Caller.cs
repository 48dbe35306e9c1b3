namespace Platform.Domain.Access;

public enum CallerKind
{
    /// <summary>No token: may read public data only.</summary>
    Anonymous = 0,
    /// <summary>A person signed in through the identity server.</summary>
    User = 1,
    /// <summary>A partner system with its own client credentials.</summary>
    Partner = 2,
    /// <summary>The platform itself (the demo seeder, maintenance inside the cluster).</summary>
    System = 3,
}

/// <summary>Role names, as they appear in tokens.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string MunicipalityAdmin = "municipality-admin";
    public const string ContractManager = "contract-manager";
    public const string BoardMember = "board-member";
    public const string Alderman = "alderman";
    public const string ExecutorStaff = "executor-staff";
    /// <summary>An executing organisation's admin: its staff's work, plus inviting and removing its people.</summary>
    public const string ExecutorAdmin = "executor-admin";
    public const string Citizen = "citizen";

    public static readonly IReadOnlyList<string> All = [Operator, MunicipalityAdmin, ContractManager, BoardMember, Alderman, ExecutorStaff, ExecutorAdmin, Citizen];
}

/// <summary>Scopes a partner client can be granted.</summary>
public static class Scopes
{
    public const string ArrangementsRead = "arrangements:read";
    public const string ArrangementsWrite = "arrangements:write";
    public const string ComplaintsRead = "complaints:read";
    public const string ComplaintsWrite = "complaints:write";
    public const string ProposalsVote = "proposals:vote";

    public static readonly IReadOnlyList<string> Partner = [ArrangementsRead, ArrangementsWrite, ComplaintsRead, ComplaintsWrite, ProposalsVote];

    /// <summary>For the platform's own services: invite accounts at the identity server.</summary>
    public const string AccountsInvite = "accounts:invite";

    /// <summary>For the platform's own services: change an account's role, or withdraw its access.</summary>
    public const string AccountsManage = "accounts:manage";

    /// <summary>For the platform's own services: create, rotate and revoke organisations' partner clients.</summary>
    public const string ClientsManage = "clients:manage";
}

/// <summary>
/// Who makes a call: the subject (user or client id), the organisation (tenant) it acts for, its
/// roles and, for partners, its scopes. It travels with every grain call.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Caller(
    [property: Id(0)] CallerKind Kind,
    [property: Id(1)] string Subject,
    [property: Id(2)] string? Organisation,
    [property: Id(3)] IReadOnlyList<string> Roles,
    [property: Id(4)] IReadOnlyList<string> Scopes,
    [property: Id(5)] string? AccountId = null)
{
    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, "anonymous", null, [], []);

    public static Caller System(string name) => new(CallerKind.System, name, null, [], []);

    public bool IsAuthenticated => Kind != CallerKind.Anonymous;

    public bool IsOperator => Kind == CallerKind.System || (Kind == CallerKind.User && Roles.Contains(Access.Roles.Operator));

    public bool HasRole(string role) => Kind == CallerKind.User && Roles.Contains(role);

    public bool HasScope(string scope) => Kind == CallerKind.Partner && Scopes.Contains(scope);

    /// <summary>Staff of an executing organisation (its admins do the staff's work too).</summary>
    public bool IsExecutorStaff => HasRole(Access.Roles.ExecutorStaff) || HasRole(Access.Roles.ExecutorAdmin);

    /// <summary>True when the caller acts for one of <paramref name="organisations"/>.</summary>
    public bool ActsForAny(IEnumerable<string> organisations) => Organisation is { } own && organisations.Contains(own, StringComparer.Ordinal);

    /// <summary>How history names the caller.</summary>
    public string Actor => Kind switch
    {
        CallerKind.Partner => $"partner:{Subject}",
        CallerKind.System => Subject,
        CallerKind.Anonymous => "anonymous",
        _ => Subject,
    };
}
