using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Grains.Catalogs;
using Platform.Grains.Common;
using Platform.Domain.Calendar;

namespace Platform.Grains.Municipalities;

[GenerateSerializer]
public sealed class MunicipalityState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public int Inhabitants { get; set; }
    [Id(2)] public DateOnly InhabitantsReferenceDate { get; set; }
    [Id(3)] public SortedSet<string> ArrangementIds { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public DateTimeOffset OnboardedAt { get; set; }
    [Id(5)] public List<HistoryEntry> History { get; set; } = [];
    [Id(6)] public List<PendingEffect> Pending { get; set; } = [];
    /// <summary>Whether its organisation (the tenant, with its people) was asked for; municipalities onboarded before organisations existed get it on activation.</summary>
    [Id(7)] public bool OrganisationRequested { get; set; }
    [Id(8)] public string? PortalTheme { get; set; }
    /// <summary>Its own colours, kept when it switches to a token set and back.</summary>
    [Id(9)] public PortalColours? PortalColours { get; set; }
    /// <summary>Its logo in the portal's header, whatever the theme.</summary>
    [Id(10)] public PortalLogo? PortalLogo { get; set; }
}

public sealed class MunicipalityGrain(
    [PersistentState("municipality", StorageNames.Grains)] IPersistentState<MunicipalityState> state,
    TimeProvider time,
    ILogger<MunicipalityGrain> logger) : Grain, IMunicipalityGrain, PublicData.IPublicState
{
    /// <summary>Public: a stored change is announced to the gateways (see <see cref="PublicData.PublicDataChanges"/>).</summary>
    string? PublicData.IPublicState.StateVersion => state.Etag;

    private string Code => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && !state.State.OrganisationRequested)
        {
            state.State.Pending.Add(PendingEffect.RegisterOrganisation(Code, state.State.Name));
            state.State.OrganisationRequested = true;
            await state.WriteStateAsync();
        }
        await DispatchAsync();
    }

    public async Task<CommandResult> OnboardAsync(OnboardMunicipality command)
    {
        var decision = ArrangementPolicy.Onboard(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (state.RecordExists)
        {
            return CommandResult.Fail("code", ViolationCodes.AlreadyExists, $"Municipality {Code} is already onboarded as '{state.State.Name}'.");
        }
        var errors = OnboardingRules.Validate(Code, command.Name, command.Inhabitants, command.InhabitantsReferenceDate, time.TodayInAmsterdam());
        if (errors.Count > 0) return CommandResult.Fail(errors);

        var s = state.State;
        s.Name = command.Name!.Trim();
        s.Inhabitants = command.Inhabitants;
        s.InhabitantsReferenceDate = command.InhabitantsReferenceDate!.Value;
        s.OnboardedAt = time.GetUtcNow();
        s.History.Add(new(s.OnboardedAt, CallerContext.Actor, "onboarded",
            $"{s.Name} ({Code}), {s.Inhabitants} inhabitants on {s.InhabitantsReferenceDate:yyyy-MM-dd}"));
        s.Pending.Add(PendingEffect.ListIn(CatalogNames.Municipalities, Code));
        s.Pending.Add(PendingEffect.RegisterOrganisation(Code, s.Name));
        s.OrganisationRequested = true;
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Code);
    }

    public Task<MunicipalitySnapshot?> GetAsync() =>
        Task.FromResult(state.RecordExists ? Snapshot() : this.Missing<MunicipalitySnapshot>());

    public Task<VersionedRead<MunicipalitySnapshot>> GetIfChangedAsync(string? knownVersion) => this.ReadIfChanged(state, knownVersion, Snapshot);

    private MunicipalitySnapshot Snapshot()
    {
        var s = state.State;
        return new(Code, s.Name, s.Inhabitants, s.InhabitantsReferenceDate,
            [.. s.ArrangementIds], s.OnboardedAt, [.. s.History], s.PortalTheme ?? PortalThemes.Neutral, s.PortalColours, s.PortalLogo);
    }

    /// <summary>Why the caller may not change the portal's look (not its own admin, or no such municipality), or null.</summary>
    private CommandResult? LookRefusal()
    {
        var decision = ArrangementPolicy.SetPortalTheme(CallerContext.Current, Code);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        return state.RecordExists ? null : CommandResult.Fail("municipalityCode", ViolationCodes.NotFound, $"No municipality with code {Code} has been onboarded.");
    }

    public async Task<CommandResult> SetPortalThemeAsync(string? theme)
    {
        if (LookRefusal() is { } refused) return refused;
        var errors = PortalThemes.Validate(theme, hasColours: state.State.PortalColours is not null);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        if ((state.State.PortalTheme ?? PortalThemes.Neutral) == theme) return CommandResult.Ok(Code); // unchanged: nothing to store
        state.State.PortalTheme = theme;
        state.State.History.Add(new(time.GetUtcNow(), CallerContext.Actor, "portal-theme-set", theme!));
        await state.WriteStateAsync();
        return CommandResult.Ok(Code);
    }

    public async Task<CommandResult> SetPortalColoursAsync(PortalColours? colours)
    {
        if (LookRefusal() is { } refused) return refused;
        var errors = PortalColourRules.Validate(colours);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var chosen = colours!.Normalized();
        if (state.State.PortalColours == chosen && state.State.PortalTheme == PortalColours.Theme) return CommandResult.Ok(Code);
        state.State.PortalColours = chosen;
        state.State.PortalTheme = PortalColours.Theme;
        state.State.History.Add(new(time.GetUtcNow(), CallerContext.Actor, "portal-colours-set", $"brand {chosen.Brand}, brand text {chosen.BrandText}, accent {chosen.Accent}"));
        await state.WriteStateAsync();
        return CommandResult.Ok(Code);
    }

    public Task<CommandResult> CanSetPortalLogoAsync() => Task.FromResult(LookRefusal() ?? CommandResult.Ok(Code));

    public async Task<CommandResult> SetPortalLogoAsync(PortalLogo? logo)
    {
        if (LookRefusal() is { } refused) return refused;
        if (logo is not null && PortalLogoRules.Validate(logo.Width, logo.Height, logo.Size) is { Count: > 0 } errors) return CommandResult.Fail(errors);
        if (state.State.PortalLogo?.Sha256 == logo?.Sha256) return CommandResult.Ok(Code); // the same logo again, or none again: nothing to store
        state.State.PortalLogo = logo;
        state.State.History.Add(new(time.GetUtcNow(), CallerContext.Actor, logo is null ? "portal-logo-removed" : "portal-logo-set",
            logo is null ? "" : $"{logo.ContentType}, {logo.Width}×{logo.Height}, {logo.Size} bytes"));
        await state.WriteStateAsync();
        return CommandResult.Ok(Code);
    }

    public async Task RecordMembershipAsync(string arrangementId)
    {
        if (!state.RecordExists || !state.State.ArrangementIds.Add(arrangementId)) return;
        state.State.History.Add(new(time.GetUtcNow(), CallerContext.Actor, "joined-arrangement", arrangementId));
        await state.WriteStateAsync();
    }

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
