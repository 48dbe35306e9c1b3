using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.Proposals;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;
using Platform.ReadModel;

namespace Platform.Grains.Proposals;

[GenerateSerializer]
public sealed class ProposalState
{
    [Id(0)] public string ArrangementId { get; set; } = "";
    // No initial values here: the JSON storage leaves out fields at their default (TariffChange is 0)
    // and fills an existing object, so an initial PolicyDecision would survive a reload.
    [Id(1)] public ProposedChange Change { get; set; } = null!;
    [Id(2)] public string ProposedBy { get; set; } = "";
    [Id(3)] public string ProposerMunicipality { get; set; } = "";
    [Id(4)] public DecisionRule Rule { get; set; } = null!;
    [Id(5)] public ProposalSchedule Schedule { get; set; } = null!;
    /// <summary>The members and their weights when the proposal was made: the electorate is fixed for its whole life.</summary>
    [Id(6)] public List<Ballot> Electorate { get; set; } = [];
    [Id(7)] public Dictionary<string, Vote> Votes { get; set; } = [];
    [Id(8)] public ProposalOutcome? Outcome { get; set; }
    [Id(9)] public Tally? FinalTally { get; set; }
    [Id(10)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(11)] public Dictionary<string, Opinion> Opinions { get; set; } = [];
    /// <summary>Hashes of the supporters' subjects: counts once per person without keeping who.</summary>
    [Id(12)] public HashSet<string> Supporters { get; set; } = [];
    [Id(13)] public List<ProposalComment> Comments { get; set; } = [];
    [Id(14)] public Evidence? Evidence { get; set; }
    [Id(15)] public bool EffectPending { get; set; }
    [Id(16)] public DateTimeOffset? EffectAppliedAt { get; set; }
    [Id(17)] public string? EffectNote { get; set; }
    [Id(18)] public List<HistoryEntry> History { get; set; } = [];
    [Id(19)] public List<PendingEffect> Pending { get; set; } = [];
    [Id(20)] public string? ExecutingOrganisationId { get; set; }
    /// <summary>The latest vote requests applied, by their operation id, so that a late duplicate of one changes nothing.</summary>
    [Id(21)] public List<string> AppliedOperations { get; set; } = [];
    /// <summary>The steps announced as events (e.g. <c>proposal.voting-opened</c>): each once.</summary>
    [Id(22)] public HashSet<string> Announced { get; set; } = [];
    [Id(23)] public string? ArrangementName { get; set; }
    /// <summary>The evidence counted again three and six months after the change took effect.</summary>
    [Id(24)] public List<EffectMeasurement> Measurements { get; set; } = [];
    /// <summary>The external price review a tariff change cites, with its finding for the service as it was then.</summary>
    [Id(25)] public Platform.Domain.PriceReviews.PriceReviewCitation? PriceReview { get; set; }
}

public sealed class ProposalGrain(
    [PersistentState("proposal", StorageNames.Grains)] IPersistentState<ProposalState> state,
    TimeProvider time,
    IDbContextFactory<ComplaintListStore> complaints,
    ILogger<ProposalGrain> logger) : Grain, IProposalGrain, IRemindable, PublicData.IPublicState
{
    /// <summary>Public: a stored change is announced to the gateways (see <see cref="PublicData.PublicDataChanges"/>).</summary>
    string? PublicData.IPublicState.StateVersion => state.Etag;

    public const string ClosingReminder = "closing";
    public const string CloseActor = "system:proposal-close";
    public const int MaxComments = 1_000;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return;
        await DispatchAsync();
        // A crash between the close and its effect is repaired here, as well as by the next reminder tick.
        if (state.State.EffectPending) await ApplyEffectIfDueAsync();
        // An open proposal (or one with a measurement to come) without a reminder gets one now; an existing one is left
        // as it is (one read, no write per activation): each change since it was set rescheduled it, and each tick does.
        if ((state.State.Outcome is null || NextMeasurementAt() is not null) && await this.GetReminder(ClosingReminder) is null) await ScheduleAsync();
    }

    public async Task<CommandResult> ProposeAsync(ProposeChange command)
    {
        var caller = CallerContext.Current;
        if (!caller.IsAuthenticated) return CommandResult.Refused(ProposalPolicy.Propose(caller, []));
        if (state.RecordExists) return CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"Proposal {Id} exists already.");
        var arrangement = command.ArrangementId is { Length: > 0 and <= 100 } key
            ? await GrainFactory.GetGrain<IArrangementGrain>(key).GetAsync()
            : null;
        if (arrangement is null)
        {
            return ArrangementParties.Missing(command.ArrangementId);
        }
        var now = time.GetUtcNow();
        // Members whose membership has ended propose and vote no more.
        var current = arrangement.MembersOn(AmsterdamCalendar.DateOf(now));
        var members = current.Select(m => m.MunicipalityCode).ToList();
        var decision = ProposalPolicy.Propose(caller, members, command.Change.Kind, arrangement.ExecutingOrganisationId);
        if (!decision.Allowed) return CommandResult.Refused(decision);

        var change = command.Change;
        var rule = arrangement.RuleFor(change.Kind);
        var schedule = ProposalSchedule.For(now, rule);
        var services = arrangement.Services.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var errors = ProposalRules.Validate(change, command.Evidence, services, AmsterdamCalendar.DateOf(now), AmsterdamCalendar.DateOf(schedule.VotingClosesAt)).ToList();
        var electorate = current.Select(m => new Ballot(m.MunicipalityCode, rule.WeightOf(m.MunicipalityCode, m.Inhabitants), null)).ToList();
        if (electorate.Count == 0)
        {
            errors.Add(new("arrangementId", ViolationCodes.OutOfRange, $"'{arrangement.Name}' has no members to vote."));
        }
        foreach (var unseated in electorate.Where(b => b.Weight <= 0))
        {
            errors.Add(new("arrangementId", ViolationCodes.OutOfRange,
                $"The {change.Kind} rule of '{arrangement.Name}' gives {unseated.MunicipalityCode} no seats; a platform operator must record its seats first."));
        }
        Platform.Domain.PriceReviews.PriceReviewCitation? citation = null;
        if (command.PriceReview is { } number)
        {
            if (change.Kind != ProposalKind.TariffChange)
            {
                errors.Add(new("priceReview", ViolationCodes.IllegalTransition, "A price review is cited as evidence for a tariff change."));
            }
            else
            {
                var reviews = (await GrainFactory.GetGrain<PriceReviews.IPriceReviewsGrain>(arrangement.Id).ViewAsync()).Reviews?.Reviews ?? [];
                var (cited, wrong) = Platform.Domain.PriceReviews.PriceReviewRules.Cite(reviews.FirstOrDefault(r => r.Number == number), number, change.Tariff?.ServiceCode);
                if (wrong is not null) errors.Add(wrong);
                citation = cited;
            }
        }
        if (errors.Count > 0) return CommandResult.Fail(errors);

        var s = state.State;
        s.PriceReview = citation;
        s.ArrangementId = arrangement.Id;
        s.ArrangementName = arrangement.Name;
        s.ExecutingOrganisationId = arrangement.ExecutingOrganisationId;
        s.Change = change with { Title = change.Title!.Trim(), Motivation = change.Motivation!.Trim(), Text = change.Text?.Trim() };
        s.ProposedBy = PublicActor(caller);
        s.ProposerMunicipality = caller.Organisation ?? "platform";
        s.Rule = rule;
        s.Schedule = schedule;
        s.Electorate = electorate;
        if (command.Evidence is { } period)
        {
            s.Evidence = new(period, await CountComplaintsAsync(arrangement.Id, period), now);
        }
        s.History.Add(new(now, PublicActor(caller), "proposed",
            $"{change.Kind} by {s.ProposerMunicipality}: {s.Change.Title}; {rule.Describe()}; " +
            (schedule.HasOpinionPeriod ? $"opinions until {schedule.VotingOpensAt:u}, " : "") +
            $"voting {schedule.VotingOpensAt:u} to {schedule.VotingClosesAt:u}"));
        s.Pending.Add(PendingEffect.RecordProposal(arrangement.Id, Id));
        Announce(schedule.HasOpinionPeriod ? EventTypes.ProposalOpinionPeriodOpened : EventTypes.ProposalVotingOpened, EventFacts());
        await state.WriteStateAsync();
        await DispatchAsync();
        // Durable: voting opens, is reminded of and closes on time whether or not anyone calls, on whichever silo.
        await ScheduleAsync();
        return CommandResult.Ok(Id);
    }

    private async Task<int> CountComplaintsAsync(string arrangementId, EvidencePeriod period)
    {
        // Filed on or after the start of 'From' and before the end of 'To', Amsterdam time.
        var from = AmsterdamCalendar.StartOf(period.From).ToUnixTimeMilliseconds();
        var until = AmsterdamCalendar.StartOf(period.To.AddDays(1)).ToUnixTimeMilliseconds();
        await using var store = await complaints.CreateDbContextAsync();
        return await store.Complaints.CountAsync(c => c.ArrangementId == arrangementId && c.ServiceCode == period.ServiceCode && c.FiledAt >= from && c.FiledAt < until);
    }

    public async Task<CommandResult> SubmitOpinionAsync(string? text)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = ProposalPolicy.SubmitOpinion(caller, MemberCodes);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var now = time.GetUtcNow();
        if (!s.Schedule.HasOpinionPeriod)
        {
            return CommandResult.Fail("proposalId", ViolationCodes.NotOpen, $"This proposal has no opinion period: the {s.Rule.Kind} rule sets none.");
        }
        if (now >= s.Schedule.VotingOpensAt)
        {
            return CommandResult.Fail("proposalId", ViolationCodes.Closed, $"The opinion period ended at {s.Schedule.VotingOpensAt:u}, when voting opened.");
        }
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "text", text, ProposalRules.MaxOpinionLength);
        if (errors.Count > 0) return CommandResult.Fail(errors);

        var code = caller.Organisation!;
        var replaced = s.Opinions.ContainsKey(code);
        s.Opinions[code] = new(code, text!.Trim(), now, PublicActor(caller));
        s.History.Add(new(now, PublicActor(caller), replaced ? "opinion-replaced" : "opinion-submitted", $"{code}: {Shorten(text!.Trim())}"));
        var opensNow = ProposalSchedule.EveryoneHasSpoken(MemberCodes, s.Opinions.Keys);
        if (opensNow)
        {
            s.Schedule = s.Schedule.OpenVotingAt(now, s.Rule);
            s.History.Add(new(now, CloseActor, "voting-opened", $"every member council gave its opinion; voting until {s.Schedule.VotingClosesAt:u}"));
        }
        await state.WriteStateAsync();
        if (opensNow)
        {
            await AnnounceDueAsync();
            await ScheduleAsync();
        }
        return CommandResult.Ok(Id);
    }

    public const int RememberedOperations = 500;

    public async Task<CommandResult> CastVoteAsync(VoteChoice choice, string? operationId = null)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = ProposalPolicy.Vote(caller, s.Electorate.Select(b => b.MunicipalityCode).ToList());
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (!Enum.IsDefined(choice)) return CommandResult.Fail("choice", ViolationCodes.InvalidFormat, $"'{choice}' is not a vote; vote YES, NO or ABSTAIN.");
        var now = time.GetUtcNow();
        if (now < s.Schedule.VotingOpensAt)
        {
            return CommandResult.Fail("proposalId", ViolationCodes.NotOpen, $"Voting opens at {s.Schedule.VotingOpensAt:u}, after the opinion period.");
        }
        // A request that was applied already (its answer lost, or a late copy of it arriving after a retry) changes nothing,
        // even when that vote was the last one and closed the vote.
        if (operationId is not null && s.AppliedOperations.Contains(operationId)) return CommandResult.Ok(Id);
        if (s.Outcome is not null || now >= s.Schedule.VotingClosesAt)
        {
            await CloseIfDueAsync();
            return CommandResult.Fail("proposalId", ViolationCodes.Closed, $"Voting closed at {s.Schedule.VotingClosesAt:u}; the outcome is {s.Outcome}.");
        }
        var code = caller.Organisation!;
        var weight = s.Electorate.First(b => b.MunicipalityCode == code).Weight;
        s.Votes.TryGetValue(code, out var previous);
        var same = previous?.Choice == choice; // the same vote again changes nothing
        if (same && operationId is null) return CommandResult.Ok(Id);
        if (!same)
        {
            s.Votes[code] = new(code, weight, choice, now, PublicActor(caller), previous is null ? 0 : previous.Changes + 1);
            s.History.Add(new(now, PublicActor(caller), previous is null ? "vote-cast" : "vote-changed",
                previous is null ? $"{code} (weight {weight}): {choice}" : $"{code} (weight {weight}): {previous!.Choice} → {choice}"));
        }
        if (operationId is not null)
        {
            s.AppliedOperations.Add(operationId);
            if (s.AppliedOperations.Count > RememberedOperations) s.AppliedOperations.RemoveRange(0, s.AppliedOperations.Count - RememberedOperations);
        }
        // The last member's vote decides: nothing is left to wait for, so the vote closes now (a vote can be changed until then).
        var closesNow = ProposalSchedule.EveryoneHasSpoken(MemberCodes, s.Votes.Keys);
        if (closesNow)
        {
            s.Schedule = s.Schedule.CloseAt(now);
            s.History.Add(new(now, CloseActor, "every-member-voted", "every member has voted; the vote closes"));
        }
        await state.WriteStateAsync();
        if (closesNow)
        {
            await CloseIfDueAsync();
            await ApplyEffectIfDueAsync();
            await ScheduleAsync();
        }
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> SupportAsync()
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = ProposalPolicy.Support(caller, MemberCodes);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (s.Outcome is not null || time.GetUtcNow() >= s.Schedule.VotingClosesAt)
        {
            return CommandResult.Fail("proposalId", ViolationCodes.Closed, "The vote on this proposal has closed; support is no longer collected.");
        }
        if (!s.Supporters.Add(SupporterHash(caller)))
        {
            return CommandResult.Fail("proposalId", ViolationCodes.Duplicate, "You support this proposal already; support counts once per resident.");
        }
        await state.WriteStateAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> CommentAsync(string? text)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = ProposalPolicy.Comment(caller, MemberCodes, s.ExecutingOrganisationId);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "text", text, ProposalRules.MaxCommentLength);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        if (s.Comments.Count >= MaxComments)
        {
            return CommandResult.Fail("text", ViolationCodes.OutOfRange, $"This proposal has reached the maximum of {MaxComments} comments.");
        }
        var now = time.GetUtcNow();
        var number = s.Comments.Count + 1;
        s.Comments.Add(new(number, text!.Trim(), RoleOf(caller), caller.Organisation, now));
        s.History.Add(new(now, PublicActor(caller), "commented", $"comment {number}"));
        await state.WriteStateAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> HideCommentAsync(int commentNumber, string? reason)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var decision = ProposalPolicy.HideComment(caller, MemberCodes);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var index = commentNumber - 1;
        if (index < 0 || index >= s.Comments.Count)
        {
            return CommandResult.Fail("commentNumber", ViolationCodes.NotFound, $"This proposal has no comment {commentNumber}; it has {s.Comments.Count}.");
        }
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "reason", reason, ProposalRules.MaxReasonLength);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        if (s.Comments[index].HiddenAt is not null)
        {
            return CommandResult.Fail("commentNumber", ViolationCodes.Duplicate, $"Comment {commentNumber} was hidden already, by {s.Comments[index].HiddenBy}.");
        }
        var now = time.GetUtcNow();
        s.Comments[index] = s.Comments[index] with { HiddenAt = now, HiddenBy = PublicActor(caller), HiddenReason = reason!.Trim() };
        s.History.Add(new(now, PublicActor(caller), "comment-hidden", $"comment {commentNumber}: {reason.Trim()}"));
        await state.WriteStateAsync();
        return CommandResult.Ok(Id);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ClosingReminder ? TickAsync() : Task.CompletedTask;

    public async Task TickAsync()
    {
        if (!state.RecordExists) return;
        await AnnounceDueAsync();
        await CloseIfDueAsync();
        await ApplyEffectIfDueAsync();
        await MeasureIfDueAsync();
        await ScheduleAsync();
    }

    /// <summary>The date the adopted change took effect: its own date, or the day it was carried out.</summary>
    private DateOnly? EffectiveOn => state.State is { EffectPending: false, EffectAppliedAt: { } applied } s
        ? s.Change.EffectiveDate ?? AmsterdamCalendar.DateOf(applied)
        : null;

    /// <summary>The day of the next measurement of the evidence, while one is left.</summary>
    private DateOnly? NextMeasurementOn =>
        state.State.Evidence is not null && EffectiveOn is { } effective ? DecisionFollowUp.Next(effective, state.State.Measurements.Select(m => m.Months)) : null;

    /// <summary>The next measurement of the evidence (Amsterdam midnight of its date), while one is left.</summary>
    private DateTimeOffset? NextMeasurementAt() => NextMeasurementOn is { } date ? AmsterdamCalendar.StartOf(date) : null;

    /// <summary>
    /// Did the decision work? Three and six months after the change took effect, the complaints the proposal cited are
    /// counted again per member, and the members are told (each measurement once).
    /// </summary>
    private async Task MeasureIfDueAsync()
    {
        var s = state.State;
        if (s.Evidence is not { } evidence || EffectiveOn is not { } effective) return;
        var due = DecisionFollowUp.Due(effective, AmsterdamCalendar.DateOf(time.GetUtcNow()), s.Measurements.Select(m => m.Months));
        if (due.Count == 0) return;
        var arrangement = await GrainFactory.GetGrain<IArrangementGrain>(s.ArrangementId).GetAsync();
        var members = s.Electorate.Select(b => (b.MunicipalityCode, arrangement?.Members.FirstOrDefault(m => m.MunicipalityCode == b.MunicipalityCode)?.Inhabitants ?? 0)).ToList();
        var before = await CountByMemberAsync(s.ArrangementId, evidence.Period.ServiceCode, evidence.Period.From, evidence.Period.To);
        var now = time.GetUtcNow();
        foreach (var months in due)
        {
            var (from, to) = DecisionFollowUp.AfterWindow(evidence.Period, effective, months);
            var after = await CountByMemberAsync(s.ArrangementId, evidence.Period.ServiceCode, from, to);
            var measured = DecisionFollowUp.Measure(months, AmsterdamCalendar.DateOf(now), evidence.Period, effective, members,
                code => before.GetValueOrDefault(code), code => after.GetValueOrDefault(code));
            s.Measurements.Add(measured);
            var perMember = string.Join("; ", measured.Members.Select(m => $"{m.Municipality} {m.Before} → {m.After}"));
            s.History.Add(new(now, CloseActor, "effect-measured", $"after {months} months: {measured.BeforeTotal} → {measured.AfterTotal} ({perMember})"));
            Announce(EventTypes.DecisionEffectMeasured, EventFacts() with
            {
                Months = months, Before = measured.BeforeTotal, After = measured.AfterTotal, ServiceCode = evidence.Period.ServiceCode, Effect = perMember,
            }, $"{months}");
        }
        await state.WriteStateAsync();
        await DispatchAsync();
    }

    private async Task<Dictionary<string, int>> CountByMemberAsync(string arrangementId, string serviceCode, DateOnly from, DateOnly to)
    {
        var start = AmsterdamCalendar.StartOf(from).ToUnixTimeMilliseconds();
        var end = AmsterdamCalendar.StartOf(to.AddDays(1)).ToUnixTimeMilliseconds();
        await using var store = await complaints.CreateDbContextAsync();
        return await store.Complaints.Where(c => c.ArrangementId == arrangementId && c.ServiceCode == serviceCode && c.FiledAt >= start && c.FiledAt < end)
            .GroupBy(c => c.Municipality).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
    }

    /// <summary>
    /// The reminder is due at the next moment someone is told of (voting opens, two working days before the close,
    /// the close); hourly after that while an adopted change waits for its date; gone when nothing is left.
    /// </summary>
    private async Task ScheduleAsync()
    {
        var s = state.State;
        var next = ProposalClock.NextCheck(s.Schedule, s.Announced.Contains(EventTypes.ProposalVotingOpened), s.Announced.Contains(EventTypes.ProposalClosingSoon), s.Outcome is not null)
            ?? NextMeasurementAt();
        var existing = await this.GetReminder(ClosingReminder);
        if (next is { } at)
        {
            if (scheduledFor != at || existing is null)
            {
                await this.RegisterOrUpdateReminder(ClosingReminder, Common.ReminderDue.Until(at, time.GetUtcNow()), TimeSpan.FromHours(1));
                scheduledFor = at;
            }
        }
        else if (!s.EffectPending && existing is not null)
        {
            await this.UnregisterReminder(existing);
        }
    }

    private DateTimeOffset? scheduledFor;

    /// <summary>Announces voting opening after an opinion period, and the reminder to those who have not voted; not after the close.</summary>
    private async Task AnnounceDueAsync()
    {
        var s = state.State;
        var now = time.GetUtcNow();
        if (s.Outcome is not null || now >= s.Schedule.VotingClosesAt) return;
        var announced = false;
        if (now >= s.Schedule.VotingOpensAt && !s.Announced.Contains(EventTypes.ProposalVotingOpened))
        {
            announced |= Announce(EventTypes.ProposalVotingOpened, EventFacts());
        }
        if (ProposalClock.ClosingSoonAt(s.Schedule) is { } soon && now >= soon && !s.Announced.Contains(EventTypes.ProposalClosingSoon))
        {
            var notVoted = s.Electorate.Select(b => b.MunicipalityCode).Where(code => !s.Votes.ContainsKey(code)).ToList();
            announced |= Announce(EventTypes.ProposalClosingSoon, EventFacts() with { NotVoted = notVoted });
        }
        if (!announced) return;
        await state.WriteStateAsync();
        await DispatchAsync();
    }

    /// <summary>Records a step as an event in the outbox, once per step; its id is the proposal and the step, the same on every retry.</summary>
    private bool Announce(string type, ArrangementEventData facts, string? occasion = null)
    {
        var s = state.State;
        var step = type[EventTypes.Prefix.Length..] + (occasion is null ? "" : "-" + occasion);
        if (!s.Announced.Add(occasion is null ? type : $"{type}-{occasion}")) return false;
        var e = new PlatformEvent($"proposal:{Id}:{step}", type, time.GetUtcNow(), Id, s.ArrangementId, null, s.ExecutingOrganisationId, null, EventData.Write(facts));
        s.Pending.Add(PendingEffect.Publish(e));
        return true;
    }

    private ArrangementEventData EventFacts()
    {
        var s = state.State;
        return new(s.ArrangementId, s.ArrangementName ?? s.ArrangementId, MemberCodes, Id, s.Change.Title, s.Change.Kind.ToString(), s.Schedule.VotingOpensAt, s.Schedule.VotingClosesAt);
    }

    private async Task CloseIfDueAsync()
    {
        var s = state.State;
        var now = time.GetUtcNow();
        if (s.Outcome is not null || now < s.Schedule.VotingClosesAt) return;
        var tally = Voting.Count(s.Rule, Ballots());
        s.Outcome = tally.Outcome;
        s.FinalTally = tally;
        s.ClosedAt = now;
        s.EffectPending = tally.Outcome == ProposalOutcome.Adopted;
        s.History.Add(new(now, CloseActor, "closed", $"{tally.Outcome}: {tally.Explanation}"));
        Announce(EventTypes.ProposalClosed, EventFacts() with { Outcome = tally.Outcome.ToString(), Explanation = tally.Explanation });
        await state.WriteStateAsync();
        await DispatchAsync();
    }

    /// <summary>
    /// Carries out an adopted change once its date has come (a tariff version is effective-dated, so
    /// at once; a service level on its date). The arrangement applies each proposal once, so a retry
    /// after a crash between its write and ours changes nothing twice.
    /// </summary>
    private async Task ApplyEffectIfDueAsync()
    {
        var s = state.State;
        if (!s.EffectPending) return;
        var now = time.GetUtcNow();
        if (s.Change.Kind == ProposalKind.ServiceLevelChange && s.Change.EffectiveDate is { } date && AmsterdamCalendar.DateOf(now) < date) return;
        var arrangement = GrainFactory.GetGrain<IArrangementGrain>(s.ArrangementId);
        var decision = new AdoptedDecision(Id, s.Change.Kind, s.Change.Title ?? "", s.ClosedAt ?? now, s.Change.EffectiveDate, s.Change.Tariff, s.Change.ServiceLevel);
        using var system = CallerContext.As(Caller.System(CloseActor));
        try
        {
            var result = await arrangement.ApplyDecisionAsync(decision);
            if (!result.Succeeded)
            {
                logger.LogWarning("Arrangement {Arrangement} refused the decision of {Proposal}: {Errors}", s.ArrangementId, Id, string.Join("; ", result.Errors.Select(e => e.Message)));
                return;
            }
            var recorded = (await arrangement.GetAsync())?.Decisions?.FirstOrDefault(d => d.ProposalId == Id);
            s.EffectPending = false;
            s.EffectAppliedAt = now;
            s.EffectNote = recorded?.Effect;
            s.History.Add(new(now, CloseActor, "effect-applied", recorded?.Effect ?? "recorded"));
            Announce(EventTypes.DecisionTookEffect, EventFacts() with { Outcome = s.Outcome?.ToString(), Effect = recorded?.Effect, Date = s.Change.EffectiveDate });
            await state.WriteStateAsync();
            await DispatchAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The effect of proposal {Proposal} is not applied yet; the reminder retries", Id);
        }
    }

    public Task<ProposalSnapshot?> GetAsync()
    {
        if (!state.RecordExists) return Task.FromResult(this.Missing<ProposalSnapshot>());
        var s = state.State;
        var now = time.GetUtcNow();
        var phase = s.Outcome is not null ? ProposalPhase.Closed : s.Schedule.PhaseAt(now);
        var ballots = Ballots();
        var tally = s.FinalTally ?? Voting.Count(s.Rule, ballots);
        // Past the deadline no vote can change, so the outcome is known even before the reminder records it.
        var outcome = s.Outcome ?? (phase == ProposalPhase.Closed ? tally.Outcome : null);
        var caller = CallerContext.Current;
        var supported = caller.Kind == CallerKind.User && s.Supporters.Contains(SupporterHash(caller));
        return Task.FromResult<ProposalSnapshot?>(new(Id, s.ArrangementId, s.Change, s.ProposedBy, s.ProposerMunicipality, s.Rule, s.Schedule, phase,
            ballots, [.. s.Votes.Values.OrderBy(v => v.MunicipalityCode, StringComparer.Ordinal)], tally, outcome, s.ClosedAt,
            [.. s.Opinions.Values.OrderBy(o => o.SubmittedAt)], s.Supporters.Count, supported, [.. s.Comments], s.Evidence,
            s.EffectAppliedAt, s.EffectNote, [.. s.History], CapabilitiesOf(caller, phase, supported), [.. s.Measurements], s.PriceReview, NextMeasurementOn));
    }

    private ProposalCapabilities CapabilitiesOf(Caller caller, ProposalPhase phase, bool supported)
    {
        var members = MemberCodes;
        var s = state.State;
        return new(
            phase == ProposalPhase.Voting && ProposalPolicy.Vote(caller, s.Electorate.Select(b => b.MunicipalityCode).ToList()).Allowed,
            phase == ProposalPhase.Opinion && ProposalPolicy.SubmitOpinion(caller, members).Allowed,
            phase != ProposalPhase.Closed && !supported && ProposalPolicy.Support(caller, members).Allowed,
            ProposalPolicy.Comment(caller, members, s.ExecutingOrganisationId).Allowed,
            ProposalPolicy.HideComment(caller, members).Allowed);
    }

    /// <summary>
    /// Proposals are public, so their records name a person by role and organisation only
    /// ("board-member@GM0405"): the vote is the municipality's, not the person's.
    /// </summary>
    public static string PublicActor(Caller caller) =>
        caller.Kind == CallerKind.User ? $"{RoleOf(caller)}@{caller.Organisation ?? "platform"}" : caller.Actor;

    private static string RoleOf(Caller caller) => Roles.All.FirstOrDefault(caller.Roles.Contains) ?? "user";

    private List<Ballot> Ballots() =>
        state.State.Electorate.Select(b => b with { Choice = state.State.Votes.TryGetValue(b.MunicipalityCode, out var v) ? v.Choice : null }).ToList();

    private List<string> MemberCodes => state.State.Electorate.Select(b => b.MunicipalityCode).ToList();

    private string SupporterHash(Caller caller) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{Id}\n{caller.Subject}")));

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";

    private CommandResult NotFound() => CommandResult.Fail("proposalId", ViolationCodes.NotFound, $"No proposal has the id '{Id}'.");

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
