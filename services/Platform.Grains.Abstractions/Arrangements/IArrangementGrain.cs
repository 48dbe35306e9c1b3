using Orleans.Concurrency;
using Platform.Domain.Arrangements;
using Platform.Domain.Proposals;
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

    /// <summary>
    /// The arrangement unless the caller holds it already: <paramref name="knownVersion"/> is the version of the
    /// snapshot it kept (null: none). The gateway asks this on every read and reads a snapshot only after a change.
    /// </summary>
    [Alias("GetIfChanged"), ReadOnly]
    Task<Platform.Grains.Common.VersionedRead<ArrangementSnapshot>> GetIfChangedAsync(string? knownVersion);

    [Alias("AddMember")]
    Task<CommandResult> AddMemberAsync(AddMember command);

    /// <summary>Publishes the initial tariff schedule; later changes go through the Board's decisions.</summary>
    /// <summary>Ends a member's membership after a given day: from the next day it is not in new votes and files no complaints here.</summary>
    [Alias("EndMembership")]
    Task<CommandResult> EndMembershipAsync(EndMembership command);

    [Alias("PublishTariffSchedule")]
    Task<CommandResult> PublishTariffScheduleAsync(PublishTariffSchedule command);

    /// <summary>Records the rule from the arrangement's statutes for one kind of proposal (platform operators).</summary>
    [Alias("SetDecisionRule")]
    Task<CommandResult> SetDecisionRuleAsync(DecisionRule rule);

    /// <summary>Lists a proposal under the arrangement (called by the proposal itself; idempotent).</summary>
    [Alias("RecordProposal")]
    Task<CommandResult> RecordProposalAsync(string proposalId);

    /// <summary>
    /// Carries out an adopted proposal: a tariff change becomes a tariff version pointing back to the
    /// proposal, a service-level change replaces the service's level, every kind is recorded as a
    /// decision. Exactly once per proposal, however often it is called.
    /// </summary>
    [Alias("ApplyDecision")]
    Task<CommandResult> ApplyDecisionAsync(AdoptedDecision decision);

    /// <summary>What the caller may do with this arrangement (asked apart from the public snapshot, which is the same for everyone).</summary>
    [Alias("Capabilities"), ReadOnly]
    Task<ArrangementCapabilities> CapabilitiesAsync();
}

[GenerateSerializer, Immutable]
public sealed record ArrangementCapabilities(
    [property: Id(0)] bool AddMember,
    [property: Id(1)] bool PublishTariffs,
    [property: Id(2)] bool ProposeChange,
    [property: Id(3)] bool SetDecisionRules,
    [property: Id(4)] bool SeeComplaintFigures,
    [property: Id(5)] bool EndMemberships = false,
    [property: Id(6)] bool ReportIncidents = false,
    [property: Id(7)] bool RequestExtraWork = false,
    [property: Id(8)] bool ScheduleConsultations = false,
    [property: Id(9)] bool ProposePlan = false);

[GenerateSerializer, Immutable]
public sealed record AdoptedDecision(
    [property: Id(0)] string ProposalId,
    [property: Id(1)] ProposalKind Kind,
    [property: Id(2)] string Title,
    [property: Id(3)] DateTimeOffset DecidedAt,
    [property: Id(4)] DateOnly? EffectiveDate,
    [property: Id(5)] TariffChange? Tariff,
    [property: Id(6)] ServiceLevelChange? ServiceLevel);

/// <summary>An adopted proposal as the arrangement recorded it.</summary>
[GenerateSerializer, Immutable]
public sealed record ArrangementDecision(
    [property: Id(0)] string ProposalId,
    [property: Id(1)] ProposalKind Kind,
    [property: Id(2)] string Title,
    [property: Id(3)] DateTimeOffset DecidedAt,
    [property: Id(4)] DateOnly? EffectiveDate,
    [property: Id(5)] DateTimeOffset AppliedAt,
    [property: Id(6)] string Effect);

[GenerateSerializer, Immutable]
public sealed record CreateArrangement(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? ExecutingOrganisation,
    [property: Id(2)] IReadOnlyList<ServiceDefinition> Services,
    [property: Id(3)] VoteWeightRule WeightRule,
    [property: Id(4)] string? ExecutingOrganisationId = null);

[GenerateSerializer, Immutable]
public sealed record AddMember(
    [property: Id(0)] string? MunicipalityCode,
    [property: Id(1)] int? Inhabitants = null,
    [property: Id(2)] DateOnly? InhabitantsReferenceDate = null);

[GenerateSerializer, Immutable]
public sealed record EndMembership([property: Id(0)] string? MunicipalityCode, [property: Id(1)] DateOnly? LastDay);

[GenerateSerializer, Immutable]
public sealed record PublishTariffSchedule([property: Id(0)] IReadOnlyList<TariffVersion> Tariffs);

/// <summary>A member and the basis of its vote weight: inhabitants counted on a reference date.</summary>
[GenerateSerializer, Immutable]
public sealed record Member(
    [property: Id(0)] string MunicipalityCode,
    [property: Id(1)] int Inhabitants,
    [property: Id(2)] DateOnly InhabitantsReferenceDate,
    [property: Id(3)] int Weight,
    [property: Id(4)] DateTimeOffset JoinedAt,
    [property: Id(5)] DateOnly? LastDay = null)
{
    /// <summary>Whether it is a member on <paramref name="date"/>: its membership has no end, or ends on or after that day.</summary>
    public bool IsMemberOn(DateOnly date) => LastDay is not { } last || date <= last;
}

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
    [property: Id(9)] string? ExecutingOrganisationId = null,
    [property: Id(10)] IReadOnlyList<DecisionRule>? DecisionRules = null,
    [property: Id(11)] IReadOnlyList<string>? ProposalIds = null,
    [property: Id(12)] IReadOnlyList<ArrangementDecision>? Decisions = null)
{
    /// <summary>The rule for a kind: the one recorded from the statutes, else the default.</summary>
    public DecisionRule RuleFor(ProposalKind kind) =>
        DecisionRules?.FirstOrDefault(r => r.Kind == kind) ?? Platform.Domain.Proposals.DecisionRules.Default(kind, WeightRule);

    /// <summary>The members on a date: those whose membership has not ended before it.</summary>
    public IReadOnlyList<Member> MembersOn(DateOnly date) => [.. Members.Where(m => m.IsMemberOn(date))];

    public IReadOnlyList<DecisionRule> EffectiveRules =>
        Enum.GetValues<ProposalKind>().Select(RuleFor).ToList();
}
