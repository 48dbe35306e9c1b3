using System.Globalization;
using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Consultations;
using Platform.Domain.Events;
using Platform.Domain.ExtraWork;
using Platform.Domain.Incidents;
using Platform.Domain.Municipalities;
using Platform.Domain.Proposals;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;
using Platform.Grains.Catalogs;
using Platform.Grains.Common;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Arrangements;

[GenerateSerializer]
public sealed class ArrangementState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public string ExecutingOrganisation { get; set; } = "";
    // Never a shared instance here: the JSON storage fills the existing object on reload, so a static
    // default would be overwritten for the whole process. Set when the arrangement is created.
    [Id(2)] public VoteWeightRule WeightRule { get; set; } = null!;
    [Id(3)] public List<Member> Members { get; set; } = [];
    [Id(4)] public List<ServiceDefinition> Services { get; set; } = [];
    [Id(5)] public List<TariffVersion> Tariffs { get; set; } = [];
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public List<HistoryEntry> History { get; set; } = [];
    [Id(8)] public List<PendingEffect> Pending { get; set; } = [];
    [Id(9)] public string? ExecutingOrganisationId { get; set; }
    [Id(10)] public List<DecisionRule> DecisionRules { get; set; } = [];
    [Id(11)] public List<string> ProposalIds { get; set; } = [];
    [Id(12)] public List<ArrangementDecision> Decisions { get; set; } = [];
}

public sealed class ArrangementGrain(
    [PersistentState("arrangement", StorageNames.Grains)] IPersistentState<ArrangementState> state,
    TimeProvider time,
    ILogger<ArrangementGrain> logger) : Grain, IArrangementGrain, PublicData.IPublicState
{
    /// <summary>Public: a stored change is announced to the gateways (see <see cref="PublicData.PublicDataChanges"/>).</summary>
    string? PublicData.IPublicState.StateVersion => state.Etag;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => DispatchAsync();

    public async Task<CommandResult> CreateAsync(CreateArrangement command)
    {
        var decision = ArrangementPolicy.Create(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (state.RecordExists)
        {
            return CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"An arrangement with id '{Id}' already exists.");
        }
        // The executing organisation is a registered tenant: its staff see the complaints about this arrangement.
        var executor = command.ExecutingOrganisationId is { Length: > 0 } executorId
            ? await GrainFactory.GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(executorId).GetAsync()
            : null;
        var errors = ArrangementRules.ValidateCreation(command.Name, executor?.Name ?? command.ExecutingOrganisation, command.Services).ToList();
        // A municipality that sets up an arrangement is its first member; an operator admits the members afterwards.
        var caller = CallerContext.Current;
        var founder = caller.IsOperator ? null : await GrainFactory.GetGrain<IMunicipalityGrain>(caller.Organisation!).GetAsync();
        if (!caller.IsOperator && founder is null)
        {
            errors.Add(new("arrangementId", ViolationCodes.NotFound, $"Your municipality ({caller.Organisation}) has not been onboarded, so it cannot found an arrangement."));
        }
        if (executor is not { Kind: Platform.Domain.Organisations.OrganisationKind.ExecutingOrganisation })
        {
            errors.RemoveAll(e => e.Field == "executingOrganisation");
            errors.Add(new("executingOrganisationId", ViolationCodes.NotFound, string.IsNullOrEmpty(command.ExecutingOrganisationId)
                ? "Name the executing organisation that does the work (its id); a platform operator registers it first."
                : $"No executing organisation '{command.ExecutingOrganisationId}' is registered; a platform operator registers it first."));
        }
        if (errors.Count > 0) return CommandResult.Fail(errors);

        var s = state.State;
        s.Name = command.Name!.Trim();
        s.ExecutingOrganisation = executor!.Name;
        s.WeightRule = command.WeightRule;
        s.ExecutingOrganisationId = executor.Id;
        s.Services = command.Services.Select(x => x with { Name = x.Name.Trim() }).ToList();
        s.CreatedAt = time.GetUtcNow();
        Record(s.CreatedAt, "created", $"{s.Name}, executed by {s.ExecutingOrganisation}, services: {string.Join(", ", s.Services.Select(x => x.Code))}");
        s.Pending.Add(PendingEffect.ListIn(CatalogNames.Arrangements, Id));
        if (founder is not null) Admit(founder, founder.Inhabitants, founder.InhabitantsReferenceDate, s.CreatedAt);
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    public Task<ArrangementSnapshot?> GetAsync() =>
        Task.FromResult(state.RecordExists ? Snapshot() : this.Missing<ArrangementSnapshot>());

    public Task<VersionedRead<ArrangementSnapshot>> GetIfChangedAsync(string? knownVersion) => this.ReadIfChanged(state, knownVersion, Snapshot);

    private ArrangementSnapshot Snapshot()
    {
        var s = state.State;
        return new(Id, s.Name, s.ExecutingOrganisation, s.WeightRule,
            [.. s.Members], [.. s.Services], [.. s.Tariffs], s.CreatedAt, [.. s.History], s.ExecutingOrganisationId,
            [.. s.DecisionRules], [.. s.ProposalIds], [.. s.Decisions]);
    }

    public Task<ArrangementCapabilities> CapabilitiesAsync()
    {
        if (!state.RecordExists) return Task.FromResult(new ArrangementCapabilities(false, false, false, false, false));
        var caller = CallerContext.Current;
        var members = CurrentMemberCodes.ToList();
        var manageMembers = ArrangementPolicy.AddMember(caller, members).Allowed;
        return Task.FromResult(new ArrangementCapabilities(
            manageMembers,
            state.State.Tariffs.Count == 0 && ArrangementPolicy.PublishTariffs(caller, members).Allowed,
            ProposalPolicy.Propose(caller, members).Allowed && caller.Kind != CallerKind.System,
            ProposalPolicy.SetDecisionRule(caller, members, state.State.ProposalIds.Count > 0).Allowed,
            ComplaintPolicy.IsMunicipalStaff(caller) && caller.ActsForAny(MemberCodes),
            manageMembers && state.State.Members.Any(m => m.LastDay is null),
            caller.Kind != CallerKind.System && Escalation.MayReport(caller, state.State.ExecutingOrganisationId ?? "", members).Allowed,
            ExtraWorkRules.MayRequest(caller, members).Allowed,
            ConsultationRules.MayOrganise(caller, state.State.ExecutingOrganisationId ?? "", members).Allowed,
            ProposalPolicy.Propose(caller, members, ProposalKind.PlanAdoption, state.State.ExecutingOrganisationId).Allowed && caller.Kind != CallerKind.System));
    }

    public async Task<CommandResult> AddMemberAsync(AddMember command)
    {
        if (!state.RecordExists) return NotFound();
        var decision = ArrangementPolicy.AddMember(CallerContext.Current, CurrentMemberCodes);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var code = MunicipalityCode.Normalize(command.MunicipalityCode);
        if (!MunicipalityCode.IsValid(code))
        {
            return CommandResult.Fail("municipalityCode", ViolationCodes.InvalidFormat,
                $"'{command.MunicipalityCode}' is not a CBS municipality code; expected GM followed by four digits, e.g. GM0363.");
        }
        var s = state.State;
        if (s.Members.Any(m => m.MunicipalityCode == code))
        {
            return CommandResult.Fail("municipalityCode", ViolationCodes.Duplicate, $"{code} is already a member of '{s.Name}'.");
        }
        if (s.Members.Count >= ArrangementRules.MaxMembers)
        {
            return CommandResult.Fail("municipalityCode", ViolationCodes.OutOfRange, $"'{s.Name}' already has the maximum of {ArrangementRules.MaxMembers} members.");
        }
        var municipality = await GrainFactory.GetGrain<IMunicipalityGrain>(code).GetAsync();
        if (municipality is null)
        {
            return CommandResult.Fail("municipalityCode", ViolationCodes.NotFound, $"No municipality with code {code} has been onboarded.");
        }

        var now = time.GetUtcNow();
        // The count the members agreed on for this arrangement, or else the one the municipality was onboarded with.
        var (inhabitants, counted) = (municipality.Inhabitants, municipality.InhabitantsReferenceDate);
        if (command.Inhabitants is not null || command.InhabitantsReferenceDate is not null)
        {
            var errors = new List<RuleViolation>();
            OnboardingRules.ValidateCount(errors, command.Inhabitants ?? 0, command.InhabitantsReferenceDate, AmsterdamCalendar.DateOf(now));
            if (errors.Count > 0) return CommandResult.Fail(errors);
            (inhabitants, counted) = (command.Inhabitants!.Value, command.InhabitantsReferenceDate!.Value);
        }
        Admit(municipality, inhabitants, counted, now);
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    private void Admit(MunicipalitySnapshot municipality, int inhabitants, DateOnly counted, DateTimeOffset now)
    {
        var s = state.State;
        var weight = s.WeightRule.WeightOf(inhabitants);
        s.Members.Add(new(municipality.Code, inhabitants, counted, weight, now));
        Record(now, "member-added", $"{municipality.Name} ({municipality.Code}), weight {weight} from {inhabitants} inhabitants on {counted:yyyy-MM-dd}");
        s.Pending.Add(PendingEffect.RecordMembership(municipality.Code, Id));
        Publish(EventTypes.MemberJoined, $"{municipality.Code}", now, Facts() with { Municipality = municipality.Code, Date = AmsterdamCalendar.DateOf(now) });
    }

    public async Task<CommandResult> EndMembershipAsync(EndMembership command)
    {
        if (!state.RecordExists) return NotFound();
        var decision = ArrangementPolicy.AddMember(CallerContext.Current, CurrentMemberCodes);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var code = MunicipalityCode.Normalize(command.MunicipalityCode);
        var s = state.State;
        var index = s.Members.FindIndex(m => m.MunicipalityCode == code);
        if (index < 0)
        {
            return CommandResult.Fail("municipalityCode", ViolationCodes.NotFound, $"'{command.MunicipalityCode}' is not a member of '{s.Name}'.");
        }
        var member = s.Members[index];
        var now = time.GetUtcNow();
        var errors = ArrangementRules.ValidateMembershipEnd(code, member.LastDay, AmsterdamCalendar.DateOf(member.JoinedAt), command.LastDay, AmsterdamCalendar.DateOf(now));
        if (errors.Count > 0) return CommandResult.Fail(errors);

        s.Members[index] = member with { LastDay = command.LastDay };
        Record(now, "membership-ends", $"{code} is a member until {command.LastDay:yyyy-MM-dd} (inclusive)");
        Publish(EventTypes.MemberLeaving, $"{code}:{command.LastDay:yyyy-MM-dd}", now, Facts() with { Municipality = code, Date = command.LastDay });
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> PublishTariffScheduleAsync(PublishTariffSchedule command)
    {
        if (!state.RecordExists) return NotFound();
        var decision = ArrangementPolicy.PublishTariffs(CallerContext.Current, CurrentMemberCodes);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var s = state.State;
        if (s.Tariffs.Count > 0)
        {
            return CommandResult.Fail("arrangementId", ViolationCodes.AlreadyPublished,
                $"'{s.Name}' already has a tariff schedule ({s.Tariffs.Count} tariffs); later changes go through a Board decision.");
        }
        var known = s.Services.Select(x => x.Code).ToHashSet(StringComparer.Ordinal);
        var errors = TariffSchedule.Validate(s.Tariffs, command.Tariffs, known);
        if (errors.Count > 0) return CommandResult.Fail(errors);

        s.Tariffs.AddRange(command.Tariffs);
        var lines = command.Tariffs.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.ServiceCode} {t.Currency} {t.Amount:0.00} {t.Unit} from {t.ValidFrom:yyyy-MM-dd}{(t.ValidTo is { } end ? $" to {end:yyyy-MM-dd}" : "")}"));
        var now = time.GetUtcNow();
        Record(now, "tariff-schedule-published", string.Join("; ", lines));
        foreach (var tariff in command.Tariffs) PublishTariff(tariff, now);
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> SetDecisionRuleAsync(DecisionRule rule)
    {
        if (!state.RecordExists) return NotFound();
        var decision = ProposalPolicy.SetDecisionRule(CallerContext.Current, CurrentMemberCodes, state.State.ProposalIds.Count > 0);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var s = state.State;
        var errors = Platform.Domain.Proposals.DecisionRules.Validate(rule, CurrentMemberCodes.ToList());
        if (errors.Count > 0) return CommandResult.Fail(errors);
        s.DecisionRules.RemoveAll(r => r.Kind == rule.Kind);
        s.DecisionRules.Add(rule);
        Record(time.GetUtcNow(), "decision-rule-set", $"{rule.Kind}: weights {rule.Weights}, {rule.Describe()}, opinion {rule.OpinionDays} days, voting {rule.VotingDays} days");
        await state.WriteStateAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> RecordProposalAsync(string proposalId)
    {
        if (!state.RecordExists) return NotFound();
        if (CallerContext.Current.Kind != CallerKind.System) return CommandResult.Refused(Decision.Forbidden("Proposals list themselves."));
        if (state.State.ProposalIds.Contains(proposalId)) return CommandResult.Ok(Id);
        state.State.ProposalIds.Add(proposalId);
        await state.WriteStateAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> ApplyDecisionAsync(AdoptedDecision decision)
    {
        if (!state.RecordExists) return NotFound();
        if (CallerContext.Current.Kind != CallerKind.System) return CommandResult.Refused(Decision.Forbidden("Only an adopted proposal changes the arrangement this way."));
        var s = state.State;
        if (s.Decisions.Any(d => d.ProposalId == decision.ProposalId)) return CommandResult.Ok(Id); // applied before: exactly once

        var now = time.GetUtcNow();
        string effect;
        switch (decision.Kind)
        {
            case ProposalKind.TariffChange when decision.Tariff is { } tariff && decision.EffectiveDate is { } from:
                var (schedule, conflict) = TariffSchedule.Supersede(s.Tariffs, tariff.ToVersion(from, null, decision.ProposalId));
                if (conflict is null)
                {
                    s.Tariffs = [.. schedule];
                    var added = schedule[^1];
                    PublishTariff(added, now);
                    effect = string.Create(CultureInfo.InvariantCulture,
                        $"tariff {added.ServiceCode} EUR {added.Amount:0.00} {added.Unit} from {added.ValidFrom:yyyy-MM-dd}{(added.ValidTo is { } to ? $" to {to:yyyy-MM-dd}" : "")}");
                }
                else
                {
                    effect = $"not applied: {conflict}";
                }
                break;
            case ProposalKind.ServiceLevelChange when decision.ServiceLevel is { } level:
                var index = s.Services.FindIndex(x => x.Code == level.ServiceCode);
                if (index >= 0)
                {
                    s.Services[index] = s.Services[index] with { Level = level.Level };
                    effect = $"service level of {level.ServiceCode}: acknowledge in {level.Level.DaysToAcknowledge}, resolve in {level.Level.DaysToResolve} {level.Level.Counting}";
                }
                else
                {
                    effect = $"not applied: the arrangement no longer has the service '{level.ServiceCode}'";
                }
                break;
            default:
                effect = "recorded";
                break;
        }
        s.Decisions.Add(new(decision.ProposalId, decision.Kind, decision.Title, decision.DecidedAt, decision.EffectiveDate, now, effect));
        Record(now, "decision-applied", $"{decision.ProposalId} ({decision.Kind}, {decision.Title}): {effect}");
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    private IEnumerable<string> MemberCodes => state.State.Members.Select(m => m.MunicipalityCode);

    /// <summary>The members today: a municipality whose membership has ended no longer steers the arrangement.</summary>
    private IEnumerable<string> CurrentMemberCodes
    {
        get
        {
            var today = AmsterdamCalendar.DateOf(time.GetUtcNow());
            return state.State.Members.Where(m => m.IsMemberOn(today)).Select(m => m.MunicipalityCode);
        }
    }

    /// <summary>An event of this change in the outbox; <paramref name="key"/> makes its id the same on every retry of the same change.</summary>
    private void Publish(string type, string key, DateTimeOffset at, ArrangementEventData facts)
    {
        var e = new PlatformEvent($"arrangement:{Id}:{type[EventTypes.Prefix.Length..]}:{key}", type, at, Id, Id, null, state.State.ExecutingOrganisationId, null, EventData.Write(facts));
        state.State.Pending.Add(PendingEffect.Publish(e));
    }

    private void PublishTariff(TariffVersion tariff, DateTimeOffset at) =>
        Publish(EventTypes.TariffPublished, $"{tariff.ServiceCode}:{tariff.ValidFrom:yyyy-MM-dd}", at, Facts() with
        {
            ServiceCode = tariff.ServiceCode, Amount = tariff.Amount, Unit = tariff.Unit, Date = tariff.ValidFrom, ProposalId = tariff.DecidedBy,
        });

    /// <summary>The members today (a new one included): who an arrangement's event concerns.</summary>
    private ArrangementEventData Facts() => new(Id, state.State.Name, [.. CurrentMemberCodes.Distinct()]);

    private void Record(DateTimeOffset at, string action, string detail) =>
        state.State.History.Add(new(at, CallerContext.Actor, action, detail));

    private CommandResult NotFound() =>
        ArrangementParties.Missing(Id);

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
