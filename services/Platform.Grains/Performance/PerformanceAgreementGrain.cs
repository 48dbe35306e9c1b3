using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.Performance;
using Platform.Domain.Proposals;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;
using Platform.Grains.Proposals;
using Platform.ReadModel;

namespace Platform.Grains.Performance;

[GenerateSerializer]
public sealed class PerformanceAgreementState
{
    [Id(0)] public string ArrangementName { get; set; } = "";
    [Id(1)] public string ExecutingOrganisation { get; set; } = "";
    [Id(2)] public List<string> Members { get; set; } = [];
    [Id(3)] public AgreementStatus Status { get; set; }
    [Id(4)] public List<Indicator> Indicators { get; set; } = [];
    [Id(5)] public List<IndicatorFigure> Figures { get; set; } = [];
    [Id(6)] public int LastIndicatorNumber { get; set; }
    [Id(7)] public DateTimeOffset? DefinitiveAt { get; set; }
    [Id(8)] public string? DefinitiveBy { get; set; }
    /// <summary>The outbox: its events, appended to the log once each (by id) after the state is written.</summary>
    [Id(9)] public List<PendingEffect> Pending { get; set; } = [];
    /// <summary>Complaint-based periods measured without a figure (no complaint about the service was resolved in them), as key:period.</summary>
    [Id(10)] public List<string> MeasuredEmpty { get; set; } = [];
}

/// <summary>
/// An arrangement's performance agreements. The members set the indicators (the what); the executing organisation reports
/// each period's figure, which is compared with its target at once and announced as a deviation when it misses it; the
/// complaint-based indicators are measured by the platform itself after each period, per member as well.
/// </summary>
public sealed class PerformanceAgreementGrain(
    [PersistentState("performance", StorageNames.Grains)] IPersistentState<PerformanceAgreementState> state,
    IDbContextFactory<ComplaintListStore> complaints,
    TimeProvider time,
    ILogger<PerformanceAgreementGrain> logger) : Grain, IPerformanceAgreementGrain, IRemindable
{
    public const string MeasureReminder = "performance-measure";
    /// <summary>Who is named as the reporter of the figures the platform measures from the complaints.</summary>
    public const string PlatformReporter = "platform";

    private string ArrangementId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return;
        await DispatchAsync();
        await ScheduleAsync();
    }

    public async Task<CommandResult> DefineIndicatorAsync(IndicatorInput input)
    {
        var caller = CallerContext.Current;
        if (await PartiesAsync() is not { } parties) return NoArrangement();
        var decision = PerformanceRules.MayDefine(caller, parties.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var s = state.State;
        if (s.Status == AgreementStatus.Definitive) return Definitive();
        if (s.Indicators.Count >= PerformanceRules.MaxIndicators) return CommandResult.Fail("arrangementId", ViolationCodes.OutOfRange, $"An arrangement has at most {PerformanceRules.MaxIndicators} indicators.");
        var today = time.TodayInAmsterdam();
        var violations = PerformanceRules.ValidateIndicator(input, [.. parties.Arrangement.Services.Select(x => x.Code)], today);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        var indicator = PerformanceRules.Normalise($"ind-{s.LastIndicatorNumber + 1}", input, today);
        if (s.Indicators.Any(i => string.Equals(i.Name, indicator.Name, StringComparison.OrdinalIgnoreCase) && i.Goal == indicator.Goal))
        {
            return CommandResult.Fail("name", ViolationCodes.Duplicate, $"The goal '{indicator.Goal}' has an indicator '{indicator.Name}' already.");
        }
        s.LastIndicatorNumber++;
        s.Indicators.Add(indicator);
        Remember(parties);
        await state.WriteStateAsync();
        await ScheduleAsync();
        return CommandResult.Ok(ArrangementId);
    }

    public async Task<CommandResult> RemoveIndicatorAsync(string? indicatorKey)
    {
        var caller = CallerContext.Current;
        if (await PartiesAsync() is not { } parties) return NoArrangement();
        var decision = PerformanceRules.MayDefine(caller, parties.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var s = state.State;
        if (s.Status == AgreementStatus.Definitive) return Definitive();
        if (s.Indicators.FindIndex(i => i.Key == indicatorKey) is var index && index < 0) return NoIndicator(indicatorKey);
        if (s.Figures.Any(f => f.IndicatorKey == indicatorKey))
        {
            return CommandResult.Fail("indicatorKey", ViolationCodes.IllegalTransition, "This indicator has figures; it stays on record with them.");
        }
        s.Indicators.RemoveAt(index);
        Remember(parties);
        await state.WriteStateAsync();
        return CommandResult.Ok(ArrangementId);
    }

    public async Task<CommandResult> ReportAsync(ReportFigure command)
    {
        var caller = CallerContext.Current;
        if (await PartiesAsync() is not { } parties) return NoArrangement();
        var decision = PerformanceRules.MayReport(caller, parties.ExecutingOrganisation);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var s = state.State;
        if (s.Indicators.FirstOrDefault(i => i.Key == command.IndicatorKey) is not { } indicator) return NoIndicator(command.IndicatorKey);
        if (indicator.Source != IndicatorSource.Reported)
        {
            return CommandResult.Fail("indicatorKey", ViolationCodes.IllegalTransition, "The platform measures this indicator from the complaints; it takes no reports.");
        }
        var violations = new List<RuleViolation>();
        if (PerformanceRules.CheckReportable(indicator, command.Period, time.TodayInAmsterdam()) is { } closed) violations.Add(closed);
        if (command.Value is not { } value) violations.Add(new("value", ViolationCodes.Required, "The figure is required."));
        else PerformanceRules.CheckFigure(violations, "value", value);
        if (string.IsNullOrWhiteSpace(command.Unit)) violations.Add(new("unit", ViolationCodes.Required, $"Say the figure's unit; this indicator is in '{indicator.Unit}'."));
        else if (!PerformanceRules.SameUnit(command.Unit, indicator.Unit)) violations.Add(new("unit", ViolationCodes.UnitMismatch, $"This indicator is measured in '{indicator.Unit}', not '{command.Unit.Trim()}'."));
        Rules.OptionalText(violations, "note", command.Note, PerformanceRules.MaxNote);
        var members = PerformanceRules.CheckMemberFigures(violations, command.Members, parties.Members);
        if (violations.Count > 0) return CommandResult.Fail(violations);
        var period = command.Period!.Trim();
        if (s.Figures.Any(f => f.IndicatorKey == indicator.Key && f.Period == period))
        {
            return CommandResult.Fail("period", ViolationCodes.AlreadyExists, $"The figure of '{indicator.Name}' for {period} is reported already.");
        }
        Remember(parties);
        Record(indicator, period, command.Value!.Value, caller.Actor, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim(), members);
        return await SaveAsync();
    }

    public async Task<CommandResult> MakeDefinitiveAsync(string? proposalId)
    {
        var caller = CallerContext.Current;
        if (await PartiesAsync() is not { } parties) return NoArrangement();
        var decision = PerformanceRules.MayDefine(caller, parties.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var s = state.State;
        if (s.Status == AgreementStatus.Definitive) return CommandResult.Fail("arrangementId", ViolationCodes.AlreadyExists, $"The agreements are definitive already, by proposal {s.DefinitiveBy}.");
        if (s.Indicators.Count == 0) return CommandResult.Fail("arrangementId", ViolationCodes.IllegalTransition, "There are no indicators to make definitive.");
        var proposal = proposalId is { Length: > 0 and <= 100 } ? await GrainFactory.GetGrain<IProposalGrain>(proposalId).GetAsync() : null;
        if (proposal is null || proposal.ArrangementId != ArrangementId)
        {
            return CommandResult.Fail("proposalId", ViolationCodes.NotFound, $"The arrangement has no proposal '{proposalId}'.");
        }
        if (proposal.Outcome != ProposalOutcome.Adopted || proposal.Change.Kind is not (ProposalKind.PolicyDecision or ProposalKind.PlanAdoption))
        {
            return CommandResult.Fail("proposalId", ViolationCodes.IllegalTransition, "The agreements become definitive by an adopted policy decision or plan adoption; this proposal is not one.");
        }
        var today = time.TodayInAmsterdam();
        var effective = proposal.Change.EffectiveDate ?? (proposal.ClosedAt is { } closed ? AmsterdamCalendar.DateOf(closed) : today);
        if (effective > today) return CommandResult.Fail("proposalId", ViolationCodes.NotOpen, $"The decision takes effect on {effective:yyyy-MM-dd}; the agreements become definitive from that day on.");
        Remember(parties);
        s.Status = AgreementStatus.Definitive;
        s.DefinitiveAt = time.GetUtcNow();
        s.DefinitiveBy = proposal.Id;
        Announce(EventTypes.PerformanceDefinitive, "definitive", EventFacts() with { ProposalId = proposal.Id, Title = proposal.Change.Title });
        return await SaveAsync();
    }

    public async Task TickAsync()
    {
        var s = state.State;
        if (!state.RecordExists) return;
        var today = time.TodayInAmsterdam();
        var measured = false;
        foreach (var indicator in s.Indicators.Where(i => i.Source != IndicatorSource.Reported).ToList())
        {
            var done = s.Figures.Where(f => f.IndicatorKey == indicator.Key).Select(f => f.Period)
                .Concat(s.MeasuredEmpty.Where(m => m.StartsWith(indicator.Key + ":", StringComparison.Ordinal)).Select(m => m[(indicator.Key.Length + 1)..]))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var period in PerformanceRules.DueMeasurements(indicator, today, done))
            {
                var (from, to) = PerformanceRules.Parse(indicator.Period, period)!.Value;
                var resolved = await ResolvedAsync(indicator.ServiceCode!, from, to);
                var overall = PerformanceRules.ComplaintFigure(indicator.Source, resolved.Select(r => r.Complaint).ToList());
                var members = resolved.GroupBy(r => r.Municipality, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new MemberFigure(g.Key, PerformanceRules.ComplaintFigure(indicator.Source, g.Select(r => r.Complaint).ToList())!.Value, g.Count())).ToList();
                if (overall is { } value) Record(indicator, period, value, PlatformReporter, string.Create(CultureInfo.InvariantCulture, $"{resolved.Count} complaints resolved"), members);
                else s.MeasuredEmpty.Add($"{indicator.Key}:{period}"); // no figure without a resolved complaint, and no deviation
                measured = true;
            }
        }
        if (measured) await SaveAsync();
        await ScheduleAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == MeasureReminder ? TickAsync() : Task.CompletedTask;

    public async Task<PerformanceView> ViewAsync()
    {
        var caller = CallerContext.Current;
        if (await PartiesAsync() is not { } parties) return new(NoArrangement(), null);
        if (!ArrangementPolicy.SeesPartyRecords(caller, parties.ExecutingOrganisation, parties.Members))
        {
            return new(CommandResult.Refused(Decision.Deny(caller, "Only the people of the executing organisation and of the members see an arrangement's performance agreements.")), null);
        }
        var s = state.State;
        var define = s.Status == AgreementStatus.Provisional && PerformanceRules.MayDefine(caller, parties.Members).Allowed;
        var can = new PerformanceCapabilities(define, s.Indicators.Any(i => i.Source == IndicatorSource.Reported) && PerformanceRules.MayReport(caller, parties.ExecutingOrganisation).Allowed,
            define && s.Indicators.Count > 0);
        return new(CommandResult.Ok(ArrangementId), new(ArrangementId, s.Status, [.. s.Indicators], [.. s.Figures],
            s.DefinitiveAt, s.DefinitiveBy, parties.Members, can));
    }

    private void Record(Indicator indicator, string period, decimal value, string reporter, string? note, IReadOnlyList<MemberFigure> members)
    {
        var deviation = PerformanceRules.Deviates(indicator.Direction, indicator.Target, value);
        state.State.Figures.Add(new(indicator.Key, period, value, indicator.Target, deviation, time.GetUtcNow(), reporter, note, members));
        Announce(deviation ? EventTypes.PerformanceDeviation : EventTypes.PerformanceFigureReported, $"{indicator.Key}:{period}", EventFacts() with
        {
            Title = indicator.Name, Period = period, Amount = value, Target = indicator.Target, Unit = indicator.Unit, Explanation = note,
            Kind = indicator.Direction == IndicatorDirection.AtLeast ? "at least" : "at most", ServiceCode = indicator.ServiceCode,
        });
    }

    private async Task<List<(string Municipality, (DateTimeOffset, DateTimeOffset, DateOnly, DateOnly) Complaint)>> ResolvedAsync(string serviceCode, DateOnly from, DateOnly to)
    {
        var start = AmsterdamCalendar.StartOf(from).ToUnixTimeMilliseconds();
        var end = AmsterdamCalendar.StartOf(to.AddDays(1)).ToUnixTimeMilliseconds();
        await using var store = await complaints.CreateDbContextAsync();
        var rows = await store.Complaints.AsNoTracking()
            .Where(c => c.ArrangementId == ArrangementId && c.ServiceCode == serviceCode && c.ResolvedAt != null && c.ResolvedAt >= start && c.ResolvedAt < end)
            .Select(c => new { c.Municipality, c.FiledAt, ResolvedAt = c.ResolvedAt!.Value, c.ResolveBy }).ToListAsync();
        return [.. rows.Select(r =>
        {
            var resolved = DateTimeOffset.FromUnixTimeMilliseconds(r.ResolvedAt);
            return (r.Municipality, (DateTimeOffset.FromUnixTimeMilliseconds(r.FiledAt), resolved, AmsterdamCalendar.DateOf(resolved), r.ResolveBy));
        })];
    }

    private async Task<ArrangementParties?> PartiesAsync() => await ArrangementParties.LoadAsync(GrainFactory, ArrangementId, time.GetUtcNow());

    private void Remember(ArrangementParties parties)
    {
        state.State.ArrangementName = parties.Arrangement.Name;
        state.State.ExecutingOrganisation = parties.ExecutingOrganisation;
        state.State.Members = parties.Members;
    }

    private ArrangementEventData EventFacts() => new(ArrangementId, state.State.ArrangementName, state.State.Members);

    private void Announce(string type, string step, ArrangementEventData facts) =>
        state.State.Pending.Add(PendingEffect.Publish(new($"performance:{ArrangementId}:{step}", type, time.GetUtcNow(), ArrangementId, ArrangementId, null,
            state.State.ExecutingOrganisation, null, EventData.Write(facts))));

    private async Task<CommandResult> SaveAsync()
    {
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(ArrangementId);
    }

    /// <summary>Daily, an hour after midnight in Amsterdam, while a complaint-based indicator exists.</summary>
    private async Task ScheduleAsync()
    {
        var existing = await this.GetReminder(MeasureReminder);
        if (state.State.Indicators.Any(i => i.Source != IndicatorSource.Reported))
        {
            if (existing is null)
            {
                var next = AmsterdamCalendar.At(time.TodayInAmsterdam().AddDays(1), new TimeOnly(1, 0));
                await this.RegisterOrUpdateReminder(MeasureReminder, ReminderDue.Until(next, time.GetUtcNow()), TimeSpan.FromDays(1));
            }
        }
        else if (existing is not null)
        {
            await this.UnregisterReminder(existing);
        }
    }

    private CommandResult NoArrangement() => ArrangementParties.Missing(ArrangementId);

    private static CommandResult NoIndicator(string? key) => CommandResult.Fail("indicatorKey", ViolationCodes.NotFound, $"The arrangement has no indicator '{key}'.");

    private static CommandResult Definitive() =>
        CommandResult.Fail("arrangementId", ViolationCodes.IllegalTransition, "The performance agreements are definitive; their indicators change only by a new decision.");

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
