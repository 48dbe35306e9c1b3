using Orleans.Concurrency;

namespace Platform.Grains.Organisations;

/// <summary>An executing organisation (uitvoeringsorganisatie), a tenant like a municipality. Key: a short id such as afvalbedrijf-nhn.</summary>
[Alias("Platform.IOrganisationGrain")]
public interface IOrganisationGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task<CommandResult> RegisterAsync(RegisterOrganisation command);

    [Alias("Get"), ReadOnly]
    Task<OrganisationSnapshot?> GetAsync();
}

[GenerateSerializer, Immutable]
public sealed record RegisterOrganisation([property: Id(0)] string? Name);

[GenerateSerializer, Immutable]
public sealed record OrganisationSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset RegisteredAt);
