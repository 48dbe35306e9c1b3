using Orleans.Concurrency;
using Platform.Domain.Organisations;

namespace Platform.Grains.Organisations;

/// <summary>
/// An organisation: the tenant, a municipality (key: its CBS code) or an executing organisation (key: a short id
/// such as afvalbedrijf-nhn). It holds who works there and in which role, decides who may manage them, and
/// answers, for every signed-in request, whether a person still has access and in which role.
/// </summary>
[Alias("Platform.IOrganisationGrain")]
public interface IOrganisationGrain : IGrainWithStringKey
{
    /// <summary>An operator registers an executing organisation; a municipality's organisation is registered when it is onboarded.</summary>
    [Alias("Register")]
    Task<CommandResult> RegisterAsync(RegisterOrganisation command);

    [Alias("Get"), ReadOnly]
    Task<OrganisationSnapshot?> GetAsync();

    /// <summary>Its people, for its admins and platform operators; refused to anyone else.</summary>
    [Alias("People"), ReadOnly]
    Task<PeopleView> PeopleAsync();

    /// <summary>Adds a person with a role of this kind of organisation; the caller then has the identity server mail the invitation.</summary>
    [Alias("Invite")]
    Task<CommandResult> InviteAsync(InvitePerson command);

    [Alias("ChangeRole")]
    Task<CommandResult> ChangeRoleAsync(ChangePersonRole command);

    /// <summary>Withdraws a person's access at once (the gateway refuses their tokens from the next request).</summary>
    [Alias("RemovePerson")]
    Task<CommandResult> RemovePersonAsync(string? email);

    [Alias("RecordInvitation")]
    Task RecordInvitationAsync(string email, bool sent, string detail);

    /// <summary>Takes back an invitation the identity server refused for good (the address has an account elsewhere).</summary>
    [Alias("CancelInvitation")]
    Task CancelInvitationAsync(string email, string reason);

    /// <summary>Whether the person signed in as <paramref name="subject"/> (their email) works here now, and in which role.</summary>
    [Alias("AccessOf"), ReadOnly]
    Task<PersonAccess> AccessOfAsync(string subject);

    /// <summary>What the caller may do with this organisation.</summary>
    [Alias("Capabilities"), ReadOnly]
    Task<OrganisationCapabilities> CapabilitiesAsync();
}

[GenerateSerializer, Immutable]
public sealed record RegisterOrganisation(
    [property: Id(0)] string? Name,
    [property: Id(1)] OrganisationKind Kind = OrganisationKind.ExecutingOrganisation);

[GenerateSerializer, Immutable]
public sealed record OrganisationSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset RegisteredAt,
    [property: Id(3)] OrganisationKind Kind = OrganisationKind.ExecutingOrganisation);

public enum PersonStatus
{
    Active = 0,
    Removed = 1,
}

[GenerateSerializer, Immutable]
public sealed record Person(
    [property: Id(0)] string Email,
    [property: Id(1)] string Name,
    [property: Id(2)] string Role,
    [property: Id(3)] PersonStatus Status,
    [property: Id(4)] DateTimeOffset Since,
    [property: Id(5)] bool InvitationSent);

[GenerateSerializer, Immutable]
public sealed record InvitePerson(
    [property: Id(0)] string? Email,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Role);

[GenerateSerializer, Immutable]
public sealed record ChangePersonRole(
    [property: Id(0)] string? Email,
    [property: Id(1)] string? Role);

/// <summary>The people of an organisation, or the refusal when the caller may not see them.</summary>
[GenerateSerializer, Immutable]
public sealed record PeopleView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] IReadOnlyList<Person> People,
    [property: Id(2)] IReadOnlyList<HistoryEntry> History);

/// <summary>A person's standing: unknown here (null status), working here in a role, or removed.</summary>
[GenerateSerializer, Immutable]
public sealed record PersonAccess(
    [property: Id(0)] PersonStatus? Status,
    [property: Id(1)] string? Role);

[GenerateSerializer, Immutable]
public sealed record OrganisationCapabilities(
    [property: Id(0)] bool ManagePeople,
    [property: Id(1)] IReadOnlyList<string> AssignableRoles);
