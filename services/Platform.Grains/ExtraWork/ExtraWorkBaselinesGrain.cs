using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.ExtraWork;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;

namespace Platform.Grains.ExtraWork;

[GenerateSerializer]
public sealed class ExtraWorkBaselinesState
{
    /// <summary>Per member (CBS code): euros a year that such work cost it before the hand-over.</summary>
    [Id(0)] public Dictionary<string, decimal> Baselines { get; set; } = [];
}

/// <summary>
/// The baselines the extra-work ledger is set against, kept apart from the arrangement (whose snapshot every public read
/// copies); who sees and sets them is decided here, against the arrangement's current members.
/// </summary>
public sealed class ExtraWorkBaselinesGrain(
    [PersistentState("extra-work-baselines", StorageNames.Grains)] IPersistentState<ExtraWorkBaselinesState> state,
    TimeProvider time) : Grain, IExtraWorkBaselinesGrain
{
    public async Task<CommandResult> SetAsync(string? municipalityCode, decimal annualAmount)
    {
        var caller = CallerContext.Current;
        if (await ArrangementParties.LoadAsync(GrainFactory, this.GetPrimaryKeyString(), time.GetUtcNow()) is not var (arrangement, members, _)) return NotFound();
        var code = MunicipalityCode.Normalize(municipalityCode);
        if (!members.Contains(code)) return CommandResult.Fail("municipalityCode", ViolationCodes.NotFound, $"'{municipalityCode}' is not a member of {arrangement.Name}.");
        var decision = ExtraWorkRules.MayApprove(caller, code);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        // Zero is a real baseline (no such work was bought before); negative, too large or fractions of cents are not.
        var violations = annualAmount == 0 ? [] : ExtraWorkRules.ValidateAmount(annualAmount, null);
        if (violations.Count > 0) return CommandResult.Fail([.. violations.Select(v => v with { Field = "annualAmount" })]);
        state.State.Baselines[code] = annualAmount;
        await state.WriteStateAsync();
        return CommandResult.Ok(code);
    }

    public async Task<ExtraWorkBaselinesView> ViewAsync()
    {
        var caller = CallerContext.Current;
        if (await ArrangementParties.LoadAsync(GrainFactory, this.GetPrimaryKeyString(), time.GetUtcNow()) is not var (_, members, executor)) return new(NotFound(), new Dictionary<string, decimal>(), false);
        if (!ArrangementPolicy.SeesPartyRecords(caller, executor, members))
        {
            return new(CommandResult.Refused(Decision.Deny(caller, "Only the people of the executing organisation and of the members see an arrangement's extra work.")), new Dictionary<string, decimal>(), false);
        }
        var own = caller.Organisation is { } org && members.Contains(org) && ExtraWorkRules.MayApprove(caller, org).Allowed;
        return new(CommandResult.Ok(this.GetPrimaryKeyString()), new Dictionary<string, decimal>(state.State.Baselines), own);
    }

    private CommandResult NotFound() => ArrangementParties.Missing(this.GetPrimaryKeyString());
}
