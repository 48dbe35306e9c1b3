using Platform.Domain.Access;
using Platform.Domain.Plans;
using Platform.Domain.Proposals;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Proposals;

namespace Platform.Grains.Plans;

[GenerateSerializer]
public sealed class PlansState
{
    [Id(0)] public List<Plan> Plans { get; set; } = [];
}

/// <summary>
/// An arrangement's plans, drafted by its executing organisation in versions and proposed for adoption. The proposal gets
/// a key derived from the plan (p-{arrangement}-plan-{number}), so a proposal made just before a crash is found again on
/// the retry and the plan still marked, never proposed twice.
/// </summary>
public sealed class PlansGrain(
    [PersistentState("plans", StorageNames.Grains)] IPersistentState<PlansState> state,
    TimeProvider time) : Grain, IPlansGrain
{
    private string ArrangementId => this.GetPrimaryKeyString();

    public static string ProposalKeyOf(string arrangementId, int number) => $"p-{arrangementId}-plan-{number}";

    public async Task<CommandResult> SaveDraftAsync(int? number, PlanDraftInput input)
    {
        if (await ArrangementParties.LoadAsync(GrainFactory, ArrangementId, time.GetUtcNow()) is not { } parties) return ArrangementParties.Missing(ArrangementId);
        var caller = CallerContext.Current;
        var decision = PlanRules.MayDraft(caller, parties.ExecutingOrganisation);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var plans = state.State.Plans;
        var existing = number is { } n ? plans.FirstOrDefault(p => p.Number == n) : null;
        if (number is not null && existing is null) return NoPlan(number.Value);
        if (existing is null && plans.Count >= PlanRules.MaxPlans)
        {
            return CommandResult.Fail("number", ViolationCodes.OutOfRange, $"This arrangement has {PlanRules.MaxPlans} plans, the most kept.");
        }
        var errors = PlanRules.Validate(input);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var next = existing?.Number ?? (plans.Count == 0 ? 1 : plans.Max(p => p.Number) + 1);
        var (saved, refused) = PlanRules.Save(existing, next, input, caller.Actor, time.GetUtcNow());
        if (refused is not null) return CommandResult.Fail([refused]);
        if (!ReferenceEquals(saved, existing))
        {
            if (existing is null) plans.Add(saved!);
            else plans[plans.IndexOf(existing)] = saved!;
            await state.WriteStateAsync();
        }
        return CommandResult.Ok(PlanKeys.Of(ArrangementId, next));
    }

    public async Task<CommandResult> ProposeAsync(int number, string? motivation, DateOnly? effectiveDate, EvidencePeriod? evidence = null)
    {
        if (await ArrangementParties.LoadAsync(GrainFactory, ArrangementId, time.GetUtcNow()) is not { } parties) return ArrangementParties.Missing(ArrangementId);
        var decision = PlanRules.MayDraft(CallerContext.Current, parties.ExecutingOrganisation);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var plans = state.State.Plans;
        if (plans.FirstOrDefault(p => p.Number == number) is not { } plan) return NoPlan(number);
        if (plan.ProposalId is { } already)
        {
            return CommandResult.Fail("number", ViolationCodes.AlreadyExists, $"Plan {number} was proposed for adoption already ({already}).");
        }
        var key = ProposalKeyOf(ArrangementId, number);
        var proposal = GrainFactory.GetGrain<IProposalGrain>(key);
        var proposed = await proposal.ProposeAsync(new(ArrangementId, PlanRules.ToProposal(plan, motivation, effectiveDate), evidence));
        // Made before a crash kept this grain from marking the plan: the retry finds it and marks it now.
        var madeBefore = proposed.Errors is [{ Code: ViolationCodes.AlreadyExists }] && (await proposal.GetAsync())?.ArrangementId == ArrangementId;
        if (!proposed.Succeeded && !madeBefore) return proposed;
        plans[plans.IndexOf(plan)] = plan with { ProposalId = key, ProposedAt = time.GetUtcNow() };
        await state.WriteStateAsync();
        return CommandResult.Ok(PlanKeys.Of(ArrangementId, number));
    }

    public async Task<PlansView> ViewAsync()
    {
        if (await ArrangementParties.LoadAsync(GrainFactory, ArrangementId, time.GetUtcNow()) is not { } parties) return new(ArrangementParties.Missing(ArrangementId), null);
        var caller = CallerContext.Current;
        if (!ArrangementPolicy.SeesPartyRecords(caller, parties.ExecutingOrganisation, parties.Members))
        {
            return new(CommandResult.Refused(Decision.Deny(caller, "An arrangement's plans are for the people of its members and its executing organisation; adopted plans are public as proposals.")), null);
        }
        var mayDraft = PlanRules.MayDraft(caller, parties.ExecutingOrganisation).Allowed;
        var snapshots = new List<PlanSnapshot>();
        foreach (var plan in state.State.Plans.OrderByDescending(p => p.Number))
        {
            var status = PlanStatus.Draft;
            if (plan.ProposalId is { } id)
            {
                status = (await GrainFactory.GetGrain<IProposalGrain>(id).GetAsync())?.Outcome switch
                {
                    ProposalOutcome.Adopted => PlanStatus.Adopted,
                    ProposalOutcome.Rejected => PlanStatus.Rejected,
                    ProposalOutcome.NoQuorum => PlanStatus.NoQuorum,
                    _ => PlanStatus.Proposed,
                };
            }
            snapshots.Add(new(ArrangementId, plan, status, mayDraft && plan.ProposalId is null));
        }
        return new(CommandResult.Ok(ArrangementId), new(ArrangementId, snapshots, mayDraft));
    }

    private static CommandResult NoPlan(int number) => CommandResult.Fail("number", ViolationCodes.NotFound, $"This arrangement has no plan {number}.");
}
