using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.Incidents;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;

namespace Platform.Grains.Incidents;

/// <summary>How long each level has before an incident moves up by itself (section <c>Platform:Escalation</c>).</summary>
public sealed class EscalationSettings
{
    public const string Section = "Platform:Escalation";

    public TimeSpan Operations { get; set; } = EscalationDeadlines.Default.Operations;

    public TimeSpan ContractManagers { get; set; } = EscalationDeadlines.Default.ContractManagers;

    public EscalationDeadlines Deadlines => new(Operations, ContractManagers);

    /// <summary>Each deadline is at least ten seconds (a shorter one is a configuration mistake, not a policy); checked when the silo starts.</summary>
    public bool IsValid => Operations >= TimeSpan.FromSeconds(10) && ContractManagers >= TimeSpan.FromSeconds(10);
}

[GenerateSerializer]
public sealed class IncidentState
{
    [Id(0)] public string ArrangementId { get; set; } = "";
    [Id(1)] public string ArrangementName { get; set; } = "";
    [Id(2)] public string ExecutingOrganisation { get; set; } = "";
    [Id(3)] public List<string> Members { get; set; } = [];
    [Id(4)] public string Title { get; set; } = "";
    [Id(5)] public string Description { get; set; } = "";
    [Id(6)] public bool Political { get; set; }
    [Id(7)] public IncidentStatus Status { get; set; }
    [Id(8)] public List<EscalationStep> Steps { get; set; } = [];
    [Id(9)] public string ReportedBy { get; set; } = "";
    [Id(10)] public DateTimeOffset ReportedAt { get; set; }
    /// <summary>The outbox: its events, appended to the log once each (by id) after the state is written.</summary>
    [Id(11)] public List<PendingEffect> Pending { get; set; } = [];
}

/// <summary>
/// An incident's escalation: each level has until its deadline to decide (<see cref="EscalationSettings"/>, by default
/// <see cref="EscalationDeadlines.Default"/>),
/// after which a reminder moves it up by itself; every step and decision is recorded and published to the members as
/// an event. The members and the executing organisation are fixed when it is reported.
/// </summary>
public sealed class IncidentGrain(
    [PersistentState("incident", StorageNames.Grains)] IPersistentState<IncidentState> state,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<EscalationSettings> settings,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain, IRemindable
{
    private readonly EscalationDeadlines deadlines = settings.Value.Deadlines;

    public const string DeadlineReminder = "escalation-deadline";
    public const string EscalationActor = "system:escalation";

    private string Id => this.GetPrimaryKeyString();

    private EscalationStep Current => state.State.Steps[^1];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return;
        await DispatchAsync();
        // A deadline that passed while no silo held the incident is acted on now; a missing reminder is registered
        // (one read per activation, no write when the reminder is there: each change since set it).
        if (Escalation.DueEscalation(state.State.Status, Current, time.GetUtcNow()) is not null) await TickAsync();
        else if (await this.GetReminder(DeadlineReminder) is null) await ScheduleAsync();
    }

    public async Task<CommandResult> ReportAsync(ReportIncident command)
    {
        var caller = CallerContext.Current;
        if (!caller.IsAuthenticated) return CommandResult.Refused(Escalation.MayReport(caller, "", []));
        if (state.RecordExists) return CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"Incident {Id} exists already.");
        var now = time.GetUtcNow();
        if (await ArrangementParties.LoadAsync(GrainFactory, command.ArrangementId, now) is not var (arrangement, members, executor))
        {
            return ArrangementParties.Missing(command.ArrangementId);
        }
        var decision = Escalation.MayReport(caller, executor, members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var violations = Escalation.ValidateReport(command.Title, command.Description);
        if (violations.Count > 0) return CommandResult.Fail(violations);

        var s = state.State;
        s.ArrangementId = arrangement.Id;
        s.ArrangementName = arrangement.Name;
        s.ExecutingOrganisation = executor;
        s.Members = members;
        s.Title = command.Title!.Trim();
        s.Description = command.Description!.Trim();
        s.Political = command.Political;
        s.Status = IncidentStatus.Open;
        s.ReportedBy = caller.Actor;
        s.ReportedAt = now;
        var level = Escalation.FirstLevel(command.Political);
        s.Steps.Add(new(level, now, command.Political ? EscalationReason.Political : EscalationReason.Reported, caller.Actor, Escalation.DecideBy(level, now, deadlines)));
        Publish(EventTypes.IncidentReported, "reported", Facts() with { Reason = Current.Reason.ToString() });
        await state.WriteStateAsync();
        await DispatchAsync();
        await ScheduleAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> RaiseAsync(EscalationLevel to, string? note, bool political)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = Escalation.MayRaise(caller, Current.Level, s.ExecutingOrganisation, s.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (s.Status == IncidentStatus.Resolved) return CommandResult.Fail("incidentId", ViolationCodes.Closed, "The incident is resolved; it moves no more.");
        if (!Enum.IsDefined(to)) return CommandResult.Fail("to", ViolationCodes.OutOfRange, $"'{to}' is not a level.");
        var violations = Escalation.ValidateText("note", note);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        if (Escalation.CheckRaise(Current.Level, to, political || s.Political) is { } refused) return CommandResult.Fail([refused]);
        if (political) s.Political = true;
        MoveUp(to, political && to > Current.Level + 1 ? EscalationReason.Political : EscalationReason.Raised, caller.Actor, note!.Trim());
        await state.WriteStateAsync();
        await DispatchAsync();
        await ScheduleAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> DecideAsync(string? decisionText, bool resolves)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = Escalation.MayDecide(caller, Current.Level, s.ExecutingOrganisation, s.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (s.Status == IncidentStatus.Resolved) return CommandResult.Fail("incidentId", ViolationCodes.Closed, "The incident is resolved already.");
        if (Current.Decided) return CommandResult.Fail("decision", ViolationCodes.AlreadyExists, $"{Capitalised(Escalation.Name(Current.Level))} decided already; raise the incident for another decision.");
        var violations = Escalation.ValidateText("decision", decisionText);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        var now = time.GetUtcNow();
        s.Steps[^1] = Current with { Decision = decisionText!.Trim(), DecidedBy = caller.Actor, DecidedAt = now };
        if (resolves) s.Status = IncidentStatus.Resolved;
        Publish(EventTypes.IncidentDecided, $"decided-{s.Steps.Count}", Facts() with { Explanation = Current.Decision, Resolved = resolves });
        await state.WriteStateAsync();
        await DispatchAsync();
        await ScheduleAsync();
        return CommandResult.Ok(Id);
    }

    public async Task TickAsync()
    {
        if (!state.RecordExists) return;
        if (Escalation.DueEscalation(state.State.Status, Current, time.GetUtcNow()) is { } next)
        {
            MoveUp(next, EscalationReason.DeadlinePassed, EscalationActor, $"{Capitalised(Escalation.Name(Current.Level))} did not decide by {Current.DecideBy:u}.");
            await state.WriteStateAsync();
            await DispatchAsync();
        }
        await ScheduleAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == DeadlineReminder ? TickAsync() : Task.CompletedTask;

    public Task<IncidentView> ViewAsync()
    {
        if (!state.RecordExists) return Task.FromResult(new IncidentView(NotFound(), null));
        var caller = CallerContext.Current;
        var s = state.State;
        if (!ArrangementPolicy.SeesPartyRecords(caller, s.ExecutingOrganisation, s.Members)) return Task.FromResult(new IncidentView(CommandResult.Refused(Decision.Deny(caller, "Only the people of the executing organisation and of the members see an arrangement's incidents.")), null));
        var open = s.Status == IncidentStatus.Open;
        var can = new IncidentCapabilities(
            open && !Current.Decided && Escalation.MayDecide(caller, Current.Level, s.ExecutingOrganisation, s.Members).Allowed,
            open && Current.Level < EscalationLevel.AldermenCommittee && Escalation.MayRaise(caller, Current.Level, s.ExecutingOrganisation, s.Members).Allowed);
        return Task.FromResult(new IncidentView(CommandResult.Ok(Id),
            new(Id, s.ArrangementId, s.Title, s.Description, s.Political, s.Status, Current.Level, [.. s.Steps], s.ReportedBy, s.ReportedAt, can)));
    }

    private void MoveUp(EscalationLevel to, EscalationReason reason, string by, string note)
    {
        var now = time.GetUtcNow();
        state.State.Steps.Add(new(to, now, reason, by, Escalation.DecideBy(to, now, deadlines), Note: note));
        Publish(EventTypes.IncidentEscalated, $"level-{state.State.Steps.Count}", Facts() with { Reason = reason.ToString(), Explanation = note });
    }

    /// <summary>The reminder is due at the current level's deadline; gone once the incident is resolved, decided at its level, or at the top.</summary>
    private async Task ScheduleAsync()
    {
        var s = state.State;
        var existing = await this.GetReminder(DeadlineReminder);
        if (s.Status == IncidentStatus.Open && !Current.Decided && Current.DecideBy is { } at)
        {
            await this.RegisterOrUpdateReminder(DeadlineReminder, ReminderDue.Until(at, time.GetUtcNow()), TimeSpan.FromMinutes(15));
        }
        else if (existing is not null)
        {
            await this.UnregisterReminder(existing);
        }
    }

    /// <summary>An event of this change in the outbox; its id is the incident and the step, the same on every retry.</summary>
    private void Publish(string type, string step, ArrangementEventData facts)
    {
        var s = state.State;
        var e = new PlatformEvent($"incident:{Id}:{step}", type, time.GetUtcNow(), Id, s.ArrangementId, null, s.ExecutingOrganisation, null, EventData.Write(facts));
        s.Pending.Add(PendingEffect.Publish(e));
    }

    private ArrangementEventData Facts()
    {
        var s = state.State;
        return new(s.ArrangementId, s.ArrangementName, s.Members, Title: s.Title, IncidentId: Id, Level: Current.Level.ToString());
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private CommandResult NotFound() => CommandResult.Fail("incidentId", ViolationCodes.NotFound, $"No incident has the id '{Id}'.");

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
