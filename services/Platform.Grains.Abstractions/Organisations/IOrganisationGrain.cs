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
    Task<PersonAccess> AccessOfAsync(string subject, string? accountId = null);

    /// <summary>A resident of this municipality closes their account: its tokens are refused from the next request.</summary>
    [Alias("CloseAccount")]
    Task<CommandResult> CloseAccountAsync();

    /// <summary>Reserves a partner client (id generated here) for the identity server to create; refused unless the caller manages this organisation.</summary>
    [Alias("AddClient")]
    Task<CommandResult> AddClientAsync(AddPartnerClient command);

    /// <summary>Records whether the identity server created the client; one it did not is dropped.</summary>
    [Alias("RecordClient")]
    Task RecordClientAsync(string clientId, bool created, string detail);

    /// <summary>Allows rotating or revoking one of this organisation's own clients (and records it once done).</summary>
    [Alias("ChangeClient")]
    Task<CommandResult> ChangeClientAsync(string? clientId, ClientChange change);

    /// <summary>Records an Open311 API key by its hash (the caller made the key and shows it once); the result's id is the key's id.</summary>
    [Alias("AddOpen311Key")]
    Task<CommandResult> AddOpen311KeyAsync(AddOpen311Key command);

    [Alias("RevokeOpen311Key")]
    Task<CommandResult> RevokeOpen311KeyAsync(string? keyId);

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
    [property: Id(2)] IReadOnlyList<HistoryEntry> History,
    [property: Id(3)] IReadOnlyList<PartnerClient>? Clients = null,
    [property: Id(4)] IReadOnlyList<Open311Key>? Open311Keys = null);

/// <summary>A person's standing: unknown here (null status), working here in a role, or removed.</summary>
[GenerateSerializer, Immutable]
public sealed record PersonAccess(
    [property: Id(0)] PersonStatus? Status,
    [property: Id(1)] string? Role);

[GenerateSerializer, Immutable]
public sealed record OrganisationCapabilities(
    [property: Id(0)] bool ManagePeople,
    [property: Id(1)] IReadOnlyList<string> AssignableRoles,
    [property: Id(2)] IReadOnlyList<string>? GrantableScopes = null,
    [property: Id(3)] bool ManageWebhooks = false);

[GenerateSerializer, Immutable]
public sealed record AddPartnerClient(
    [property: Id(0)] string? Name,
    [property: Id(1)] IReadOnlyList<string>? Scopes);

[GenerateSerializer, Immutable]
public sealed record AddOpen311Key(
    [property: Id(0)] string? Name,
    [property: Id(1)] string Hash,
    [property: Id(2)] string Prefix);

public enum ClientChange
{
    Rotate = 0,
    Revoke = 1,
}

public enum CredentialStatus
{
    Active = 0,
    Revoked = 1,
}

/// <summary>A partner client of the organisation (its secret lives only at the identity server, hashed).</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerClient(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Scopes,
    [property: Id(3)] CredentialStatus Status,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? RotatedAt,
    [property: Id(6)] bool Created);

/// <summary>An Open311 API key: its id and first characters to recognise it by; the key itself is kept as a SHA-256 hash.</summary>
[GenerateSerializer, Immutable]
public sealed record Open311Key(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Prefix,
    [property: Id(3)] string Hash,
    [property: Id(4)] CredentialStatus Status,
    [property: Id(5)] DateTimeOffset CreatedAt);

/// <summary>
/// One Open311 API key, found by the SHA-256 hash of the key: which organisation it acts for, and whether it
/// still works. Written by the organisation that issued it; read by the gateway for every Open311 request.
/// </summary>
[Alias("Platform.IOpen311KeyGrain")]
public interface IOpen311KeyGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task SetAsync(string organisation, string name, CredentialStatus status);

    /// <summary>The organisation and name of an active key; null for a revoked or unknown one.</summary>
    [Alias("Get"), ReadOnly]
    Task<Open311KeyOwner?> GetAsync();
}

[GenerateSerializer, Immutable]
public sealed record Open311KeyOwner([property: Id(0)] string Organisation, [property: Id(1)] string Name);
