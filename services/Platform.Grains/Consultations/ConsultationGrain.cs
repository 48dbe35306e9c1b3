using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Consultations;
using Platform.Domain.Events;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;

namespace Platform.Grains.Consultations;

[GenerateSerializer]
public sealed class ConsultationState
{
    [Id(0)] public string ArrangementId { get; set; } = "";
    [Id(1)] public string ArrangementName { get; set; } = "";
    [Id(2)] public string ExecutingOrganisation { get; set; } = "";
    [Id(3)] public List<string> Members { get; set; } = [];
    [Id(4)] public ConsultationLevel Level { get; set; }
    [Id(5)] public string Title { get; set; } = "";
    [Id(6)] public DateTimeOffset ScheduledAt { get; set; }
    [Id(7)] public List<string> Agenda { get; set; } = [];
    [Id(8)] public ConsultationStatus Status { get; set; }
    [Id(9)] public string? Minutes { get; set; }
    [Id(10)] public List<string> Decisions { get; set; } = [];
    [Id(11)] public List<ActionItem> ActionItems { get; set; } = [];
    [Id(12)] public string ScheduledBy { get; set; } = "";
    /// <summary>The outbox: its events, appended to the log once each (by id) after the state is written.</summary>
    [Id(13)] public List<PendingEffect> Pending { get; set; } = [];
}

/// <summary>
/// A consultation: the parties (the members and the executing organisation) are fixed when it is scheduled; its minutes
/// are recorded once, and each action item is marked done once by the party that owns it.
/// </summary>
public sealed class ConsultationGrain(
    [PersistentState("consultation", StorageNames.Grains)] IPersistentState<ConsultationState> state,
    TimeProvider time,
    ILogger<ConsultationGrain> logger) : Grain, IConsultationGrain
{
    private string Id => this.GetPrimaryKeyString();

    private List<string> Parties => [.. state.State.Members, state.State.ExecutingOrganisation];

    public override Task OnActivateAsync(CancellationToken cancellationToken) => state.RecordExists ? DispatchAsync() : Task.CompletedTask;

    public async Task<CommandResult> ScheduleAsync(ScheduleConsultation command)
    {
        var caller = CallerContext.Current;
        if (!caller.IsAuthenticated) return CommandResult.Refused(ConsultationRules.MayOrganise(caller, "", []));
        if (state.RecordExists) return CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"Consultation {Id} exists already.");
        var now = time.GetUtcNow();
        if (await ArrangementParties.LoadAsync(GrainFactory, command.ArrangementId, now) is not var (arrangement, members, executor))
        {
            return ArrangementParties.Missing(command.ArrangementId);
        }
        var decision = ConsultationRules.MayOrganise(caller, executor, members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (!Enum.IsDefined(command.Level)) return CommandResult.Fail("level", ViolationCodes.OutOfRange, $"'{command.Level}' is not a level.");
        var violations = ConsultationRules.ValidateSchedule(command.Title, command.ScheduledAt, now, command.Agenda);
        if (violations.Count > 0) return CommandResult.Fail(violations);

        var s = state.State;
        s.ArrangementId = arrangement.Id;
        s.ArrangementName = arrangement.Name;
        s.ExecutingOrganisation = executor;
        s.Members = members;
        s.Level = command.Level;
        s.Title = command.Title!.Trim();
        s.ScheduledAt = command.ScheduledAt;
        s.Agenda = [.. (command.Agenda ?? []).Select(a => a.Trim())];
        s.Status = ConsultationStatus.Scheduled;
        s.ScheduledBy = caller.Actor;
        return await PublishAsync(EventTypes.ConsultationScheduled, "scheduled", null);
    }

    public async Task<CommandResult> RecordMinutesAsync(RecordMinutes command)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = ConsultationRules.MayOrganise(caller, s.ExecutingOrganisation, s.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (s.Status == ConsultationStatus.Held) return CommandResult.Fail("consultationId", ViolationCodes.AlreadyExists, "The minutes of this consultation are recorded already.");
        var meetingDate = AmsterdamCalendar.DateOf(s.ScheduledAt);
        if (AmsterdamCalendar.DateOf(time.GetUtcNow()) < meetingDate)
        {
            return CommandResult.Fail("consultationId", ViolationCodes.NotOpen, $"The consultation is on {meetingDate:yyyy-MM-dd}; its minutes are recorded from that day on.");
        }
        var violations = ConsultationRules.ValidateMinutes(command.Minutes, command.Decisions, command.ActionItems, meetingDate, Parties);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        s.Minutes = command.Minutes!.Trim();
        s.Decisions = [.. (command.Decisions ?? []).Select(d => d.Trim())];
        s.ActionItems = [.. (command.ActionItems ?? []).Select((a, i) => new ActionItem(i + 1, a.Text!.Trim(), a.Owner!.Trim(), a.Due!.Value))];
        s.Status = ConsultationStatus.Held;
        return await PublishAsync(EventTypes.ConsultationHeld, "held", null);
    }

    public async Task<CommandResult> CompleteActionItemAsync(int number)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        if (!ArrangementPolicy.SeesPartyRecords(caller, s.ExecutingOrganisation, s.Members)) return CommandResult.Refused(Decision.Deny(caller, "Only the parties of the arrangement act on its consultations."));
        var index = s.ActionItems.FindIndex(a => a.Number == number);
        if (index < 0) return CommandResult.Fail("number", ViolationCodes.NotFound, $"The consultation has no action item {number}.");
        var item = s.ActionItems[index];
        var decision = ConsultationRules.MayComplete(caller, item.Owner);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (item.Done) return CommandResult.Fail("number", ViolationCodes.AlreadyExists, $"Action item {number} is done already.");
        s.ActionItems[index] = item with { DoneAt = time.GetUtcNow(), DoneBy = caller.Actor };
        return await PublishAsync(EventTypes.ActionItemDone, $"done-{number}", $"{number}. {item.Text}");
    }

    public Task<ConsultationView> ViewAsync()
    {
        if (!state.RecordExists) return Task.FromResult(new ConsultationView(NotFound(), null));
        var caller = CallerContext.Current;
        var s = state.State;
        if (!ArrangementPolicy.SeesPartyRecords(caller, s.ExecutingOrganisation, s.Members))
        {
            return Task.FromResult(new ConsultationView(CommandResult.Refused(Decision.Deny(caller, "Only the people of the executing organisation and of the members see an arrangement's consultations.")), null));
        }
        var can = new ConsultationCapabilities(
            s.Status == ConsultationStatus.Scheduled && AmsterdamCalendar.DateOf(time.GetUtcNow()) >= AmsterdamCalendar.DateOf(s.ScheduledAt)
                && ConsultationRules.MayOrganise(caller, s.ExecutingOrganisation, s.Members).Allowed,
            [.. s.ActionItems.Where(a => !a.Done && ConsultationRules.MayComplete(caller, a.Owner).Allowed).Select(a => a.Number)]);
        return Task.FromResult(new ConsultationView(CommandResult.Ok(Id), new(Id, s.ArrangementId, s.Level, s.Title, s.ScheduledAt, [.. s.Agenda], s.Status, s.Minutes,
            [.. s.Decisions], [.. s.ActionItems], s.ScheduledBy, Parties, can)));
    }

    private async Task<CommandResult> PublishAsync(string type, string step, string? explanation)
    {
        var s = state.State;
        var facts = new ArrangementEventData(s.ArrangementId, s.ArrangementName, s.Members, Title: s.Title, Date: AmsterdamCalendar.DateOf(s.ScheduledAt),
            Explanation: explanation, ConsultationId: Id);
        s.Pending.Add(PendingEffect.Publish(new($"consultation:{Id}:{step}", type, time.GetUtcNow(), Id, s.ArrangementId, null, s.ExecutingOrganisation, null, EventData.Write(facts))));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    private CommandResult NotFound() => CommandResult.Fail("consultationId", ViolationCodes.NotFound, $"No consultation has the id '{Id}'.");

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
