using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.ExtraWork;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;

namespace Platform.Grains.ExtraWork;

[GenerateSerializer]
public sealed class ExtraWorkState
{
    [Id(0)] public string ArrangementId { get; set; } = "";
    [Id(1)] public string ArrangementName { get; set; } = "";
    [Id(2)] public string ExecutingOrganisation { get; set; } = "";
    [Id(3)] public List<string> Members { get; set; } = [];
    [Id(4)] public string Municipality { get; set; } = "";
    [Id(5)] public string Title { get; set; } = "";
    [Id(6)] public string Description { get; set; } = "";
    [Id(7)] public ExtraWorkStatus Status { get; set; }
    [Id(8)] public decimal? Quote { get; set; }
    [Id(9)] public decimal? Approved { get; set; }
    [Id(10)] public decimal? Invoiced { get; set; }
    [Id(11)] public List<ExtraWorkStep> Steps { get; set; } = [];
    [Id(12)] public string RequestedBy { get; set; } = "";
    [Id(13)] public DateTimeOffset RequestedAt { get; set; }
    /// <summary>The outbox: its events, appended to the log once each (by id) after the state is written.</summary>
    [Id(14)] public List<PendingEffect> Pending { get; set; } = [];
}

/// <summary>
/// A request for extra work and its money: the members and the executing organisation are fixed when it is asked; every
/// step is recorded and published to them as an event. The approved amount is what the invoice may not exceed.
/// </summary>
public sealed class ExtraWorkGrain(
    [PersistentState("extra-work", StorageNames.Grains)] IPersistentState<ExtraWorkState> state,
    TimeProvider time,
    ILogger<ExtraWorkGrain> logger) : Grain, IExtraWorkGrain
{
    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => state.RecordExists ? DispatchAsync() : Task.CompletedTask;

    public async Task<CommandResult> RequestAsync(RequestExtraWork command)
    {
        var caller = CallerContext.Current;
        if (!caller.IsAuthenticated) return CommandResult.Refused(ExtraWorkRules.MayRequest(caller, []));
        if (state.RecordExists) return CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"Extra work {Id} exists already.");
        var now = time.GetUtcNow();
        if (await ArrangementParties.LoadAsync(GrainFactory, command.ArrangementId, now) is not var (arrangement, members, executor))
        {
            return ArrangementParties.Missing(command.ArrangementId);
        }
        var decision = ExtraWorkRules.MayRequest(caller, members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var violations = ExtraWorkRules.ValidateRequest(command.Title, command.Description);
        if (violations.Count > 0) return CommandResult.Fail(violations);

        var s = state.State;
        s.ArrangementId = arrangement.Id;
        s.ArrangementName = arrangement.Name;
        s.ExecutingOrganisation = executor;
        s.Members = members;
        s.Municipality = caller.Organisation!;
        s.Title = command.Title!.Trim();
        s.Description = command.Description!.Trim();
        s.RequestedBy = caller.Actor;
        s.RequestedAt = now;
        return await StepAsync(ExtraWorkStatus.Requested, caller.Actor, null, null, EventTypes.ExtraWorkRequested);
    }

    public async Task<CommandResult> QuoteAsync(decimal amount, string? note)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var decision = ExtraWorkRules.MayQuote(caller, state.State.ExecutingOrganisation);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (ExtraWorkRules.CheckQuote(state.State.Status) is { } refused) return CommandResult.Fail([refused]);
        var violations = ExtraWorkRules.ValidateAmount(amount, note);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        state.State.Quote = amount;
        return await StepAsync(ExtraWorkStatus.Quoted, caller.Actor, amount, note, EventTypes.ExtraWorkQuoted);
    }

    public async Task<CommandResult> ApproveAsync()
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var decision = ExtraWorkRules.MayApprove(caller, state.State.Municipality);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (ExtraWorkRules.CheckApprove(state.State.Status) is { } refused) return CommandResult.Fail([refused]);
        state.State.Approved = state.State.Quote;
        return await StepAsync(ExtraWorkStatus.Approved, caller.Actor, state.State.Quote, null, EventTypes.ExtraWorkApproved);
    }

    public async Task<CommandResult> DeclineAsync(string? reason)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var decision = ExtraWorkRules.MayApprove(caller, state.State.Municipality);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (ExtraWorkRules.CheckDecline(state.State.Status) is { } refused) return CommandResult.Fail([refused]);
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, "reason", reason, ExtraWorkRules.MaxText);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        return await StepAsync(ExtraWorkStatus.Declined, caller.Actor, state.State.Quote, reason, EventTypes.ExtraWorkDeclined);
    }

    public async Task<CommandResult> InvoiceAsync(decimal amount, string? note)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var decision = ExtraWorkRules.MayQuote(caller, state.State.ExecutingOrganisation);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var violations = ExtraWorkRules.ValidateAmount(amount, note);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        if (ExtraWorkRules.CheckInvoice(state.State.Status, state.State.Approved, amount) is { } refused) return CommandResult.Fail([refused]);
        state.State.Invoiced = amount;
        return await StepAsync(ExtraWorkStatus.Invoiced, caller.Actor, amount, note, EventTypes.ExtraWorkInvoiced);
    }

    public Task<ExtraWorkView> ViewAsync()
    {
        if (!state.RecordExists) return Task.FromResult(new ExtraWorkView(NotFound(), null));
        var caller = CallerContext.Current;
        var s = state.State;
        if (!ArrangementPolicy.SeesPartyRecords(caller, s.ExecutingOrganisation, s.Members))
        {
            return Task.FromResult(new ExtraWorkView(CommandResult.Refused(Decision.Deny(caller, "Only the people of the executing organisation and of the members see an arrangement's extra work.")), null));
        }
        var executor = ExtraWorkRules.MayQuote(caller, s.ExecutingOrganisation).Allowed;
        var payer = ExtraWorkRules.MayApprove(caller, s.Municipality).Allowed;
        var can = new ExtraWorkCapabilities(
            executor && ExtraWorkRules.CheckQuote(s.Status) is null,
            payer && ExtraWorkRules.CheckApprove(s.Status) is null,
            payer && ExtraWorkRules.CheckDecline(s.Status) is null,
            executor && s.Status == ExtraWorkStatus.Approved);
        return Task.FromResult(new ExtraWorkView(CommandResult.Ok(Id),
            new(Id, s.ArrangementId, s.Municipality, s.Title, s.Description, s.Status, s.Quote, s.Approved, s.Invoiced, [.. s.Steps], s.RequestedBy, s.RequestedAt, can)));
    }

    /// <summary>Records the step, with its event in the outbox (id: the request and the step's number, the same on every retry).</summary>
    private async Task<CommandResult> StepAsync(ExtraWorkStatus status, string by, decimal? amount, string? note, string eventType)
    {
        var s = state.State;
        var now = time.GetUtcNow();
        s.Status = status;
        s.Steps.Add(new(now, by, status, amount, note?.Trim() is { Length: > 0 } text ? text : null));
        var facts = new ArrangementEventData(s.ArrangementId, s.ArrangementName, s.Members, Title: s.Title, Municipality: s.Municipality,
            Amount: amount, Explanation: s.Steps[^1].Note, ExtraWorkId: Id);
        s.Pending.Add(PendingEffect.Publish(new($"extra-work:{Id}:{s.Steps.Count}", eventType, now, Id, s.ArrangementId, null, s.ExecutingOrganisation, null, EventData.Write(facts))));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    private CommandResult NotFound() => CommandResult.Fail("extraWorkId", ViolationCodes.NotFound, $"No extra work has the id '{Id}'.");

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
