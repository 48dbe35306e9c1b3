using Orleans.Concurrency;
namespace Platform.Grains.Municipalities;

/// <summary>A municipality (gemeente), the tenant. Key: its CBS code, e.g. GM0363.</summary>
[Alias("Platform.IMunicipalityGrain")]
public interface IMunicipalityGrain : IGrainWithStringKey
{
    [Alias("Onboard")]
    Task<CommandResult> OnboardAsync(OnboardMunicipality command);

    /// <summary>The municipality's profile, or null when it has not been onboarded.</summary>
    [Alias("Get"), ReadOnly]
    Task<MunicipalitySnapshot?> GetAsync();

    /// <summary>
    /// The municipality unless the caller holds it already: <paramref name="knownVersion"/> is the version of the
    /// snapshot it kept (null: none). The gateway asks this on every read of a member's name and copies a snapshot only
    /// after a change, as it does for arrangements.
    /// </summary>
    [Alias("GetIfChanged"), ReadOnly]
    Task<Platform.Grains.Common.VersionedRead<MunicipalitySnapshot>> GetIfChangedAsync(string? knownVersion);

    /// <summary>Chooses the look of the municipality's portal pages (one of <see cref="Platform.Domain.Municipalities.PortalThemes.Names"/>); its own admin only.</summary>
    [Alias("SetPortalTheme")]
    Task<CommandResult> SetPortalThemeAsync(string? theme);

    /// <summary>
    /// The municipality's own colours for its portal, accepted only when each pair read on the other reaches 4.5:1
    /// (<see cref="Platform.Domain.Municipalities.PortalColourRules"/>); the portal then wears them (theme "custom"). Its own admin only.
    /// </summary>
    [Alias("SetPortalColours")]
    Task<CommandResult> SetPortalColoursAsync(Platform.Domain.Municipalities.PortalColours? colours);

    /// <summary>Whether the caller may change the portal's logo now (its own admin); asked before an upload is decoded.</summary>
    [Alias("CanSetPortalLogo"), ReadOnly]
    Task<CommandResult> CanSetPortalLogoAsync();

    /// <summary>
    /// Records the logo already stored in the tenant's container (<see cref="Platform.Domain.Municipalities.PortalLogoRules"/>),
    /// or none when null; the same logo again changes nothing. Its own admin only.
    /// </summary>
    [Alias("SetPortalLogo")]
    Task<CommandResult> SetPortalLogoAsync(Platform.Domain.Municipalities.PortalLogo? logo);

    /// <summary>Called by an arrangement that admitted this municipality as a member; idempotent.</summary>
    [Alias("RecordMembership")]
    Task RecordMembershipAsync(string arrangementId);
}

[GenerateSerializer, Immutable]
public sealed record OnboardMunicipality(
    [property: Id(0)] string? Name,
    [property: Id(1)] int Inhabitants,
    [property: Id(2)] DateOnly? InhabitantsReferenceDate);

[GenerateSerializer, Immutable]
public sealed record MunicipalitySnapshot(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] int Inhabitants,
    [property: Id(3)] DateOnly InhabitantsReferenceDate,
    [property: Id(4)] IReadOnlyList<string> ArrangementIds,
    [property: Id(5)] DateTimeOffset OnboardedAt,
    [property: Id(6)] IReadOnlyList<HistoryEntry> History,
    [property: Id(7)] string PortalTheme = Platform.Domain.Municipalities.PortalThemes.Neutral,
    [property: Id(8)] Platform.Domain.Municipalities.PortalColours? PortalColours = null,
    [property: Id(9)] Platform.Domain.Municipalities.PortalLogo? PortalLogo = null);
