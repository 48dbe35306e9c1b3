using Orleans.Concurrency;
using Platform.Domain.Arrangements;
using Platform.Domain.Tariffs;

namespace Platform.Grains.Arrangements;

/// <summary>
/// A joint arrangement (gemeenschappelijke regeling): its members and their vote weights, the executing
/// organisation, its services and the tariff schedule. Key: the arrangement id.
/// </summary>
[Alias("Platform.IArrangementGrain")]
public interface IArrangementGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<CommandResult> CreateAsync(CreateArrangement command);

    /// <summary>The arrangement, or null when no arrangement has this id.</summary>
    [Alias("Get"), ReadOnly]
    Task<ArrangementSnapshot?> GetAsync();

    [Alias("AddMember")]
    Task<CommandResult> AddMemberAsync(AddMember command);

    /// <summary>Publishes the initial tariff schedule; later changes go through the Board's decisions.</summary>
    [Alias("PublishTariffSchedule")]
    Task<CommandResult> PublishTariffScheduleAsync(PublishTariffSchedule command);
}

[GenerateSerializer, Immutable]
public sealed record CreateArrangement(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? ExecutingOrganisation,
    [property: Id(2)] IReadOnlyList<ServiceDefinition> Services,
    [property: Id(3)] VoteWeightRule WeightRule,
    [property: Id(4)] string? ExecutingOrganisationId = null);

[GenerateSerializer, Immutable]
public sealed record AddMember([property: Id(0)] string? MunicipalityCode);

[GenerateSerializer, Immutable]
public sealed record PublishTariffSchedule([property: Id(0)] IReadOnlyList<TariffVersion> Tariffs);

/// <summary>A member and the basis of its vote weight: inhabitants counted on a reference date.</summary>
[GenerateSerializer, Immutable]
public sealed record Member(
    [property: Id(0)] string MunicipalityCode,
    [property: Id(1)] int Inhabitants,
    [property: Id(2)] DateOnly InhabitantsReferenceDate,
    [property: Id(3)] int Weight,
    [property: Id(4)] DateTimeOffset JoinedAt);

[GenerateSerializer, Immutable]
public sealed record ArrangementSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string ExecutingOrganisation,
    [property: Id(3)] VoteWeightRule WeightRule,
    [property: Id(4)] IReadOnlyList<Member> Members,
    [property: Id(5)] IReadOnlyList<ServiceDefinition> Services,
    [property: Id(6)] IReadOnlyList<TariffVersion> Tariffs,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] IReadOnlyList<HistoryEntry> History,
    [property: Id(9)] string? ExecutingOrganisationId = null);
