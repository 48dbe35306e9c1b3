using Microsoft.Extensions.Logging;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.PriceReviews;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;

namespace Platform.Grains.PriceReviews;

[GenerateSerializer]
public sealed class PriceReviewsState
{
    [Id(0)] public int? IntervalYears { get; set; }
    [Id(1)] public DateOnly? IntervalAgreedOn { get; set; }
    [Id(2)] public List<PriceReview> Reviews { get; set; } = [];
    /// <summary>The outbox: its events, appended to the log once each (by id) after the state is written.</summary>
    [Id(3)] public List<PendingEffect> Pending { get; set; } = [];
}

/// <summary>
/// An arrangement's price reviews. A member's steward agrees the interval and attaches each review's report; each finding
/// records the service's tariff on the report's date beside the advised price, so a proposal that cites it later shows
/// both as they were.
/// </summary>
public sealed class PriceReviewsGrain(
    [PersistentState("price-reviews", StorageNames.Grains)] IPersistentState<PriceReviewsState> state,
    TimeProvider time,
    ILogger<PriceReviewsGrain> logger) : Grain, IPriceReviewsGrain, PublicData.IPublicState
{
    string? PublicData.IPublicState.StateVersion => state.Etag;

    private string ArrangementId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        state.RecordExists ? Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger) : Task.CompletedTask;

    public async Task<CommandResult> SetIntervalAsync(int years)
    {
        if (await ArrangementParties.LoadAsync(GrainFactory, ArrangementId, time.GetUtcNow()) is not { } parties) return NoArrangement();
        var decision = PriceReviewRules.MayManage(CallerContext.Current, parties.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (PriceReviewRules.CheckInterval(years) is { } wrong) return CommandResult.Fail([wrong]);
        state.State.IntervalYears = years;
        state.State.IntervalAgreedOn = time.TodayInAmsterdam();
        await state.WriteStateAsync();
        return CommandResult.Ok(ArrangementId);
    }

    public async Task<CommandResult> RecordAsync(RecordPriceReview command)
    {
        if (await ArrangementParties.LoadAsync(GrainFactory, ArrangementId, time.GetUtcNow()) is not { } parties) return NoArrangement();
        var caller = CallerContext.Current;
        var decision = PriceReviewRules.MayManage(caller, parties.Members);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var arrangement = parties.Arrangement;
        var violations = PriceReviewRules.Validate(command.Reviewer, command.ReviewedOn, command.Summary, command.ReportUrl, command.Findings,
            [.. arrangement.Services.Select(x => x.Code)], time.TodayInAmsterdam());
        if (violations.Count > 0) return CommandResult.Fail(violations);
        var s = state.State;
        var on = command.ReviewedOn!.Value;
        var review = new PriceReview(s.Reviews.Count + 1, command.Reviewer!.Trim(), on, command.Summary!.Trim(),
            string.IsNullOrWhiteSpace(command.ReportUrl) ? null : command.ReportUrl.Trim(),
            [.. command.Findings!.Select(f => new PriceFinding(f.ServiceCode!.Trim(), TariffSchedule.On(arrangement.Tariffs, f.ServiceCode.Trim(), on)?.Amount,
                f.AdvisedAmount!.Value, string.IsNullOrWhiteSpace(f.Note) ? null : f.Note.Trim()))],
            caller.Actor, time.GetUtcNow());
        s.Reviews.Add(review);
        var facts = new ArrangementEventData(ArrangementId, arrangement.Name, parties.Members, Title: review.Reviewer, Date: on,
            Explanation: string.Join("; ", review.Findings.Select(f => $"{f.ServiceCode} {f.CurrentAmount?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} -> {f.AdvisedAmount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}")));
        s.Pending.Add(PendingEffect.Publish(new($"price-review:{ArrangementId}:{review.Number}", EventTypes.PriceReviewRecorded, time.GetUtcNow(), ArrangementId, ArrangementId, null,
            parties.ExecutingOrganisation, null, EventData.Write(facts))));
        await state.WriteStateAsync();
        await Outbox.DispatchAsync(s.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
        return CommandResult.Ok(ArrangementId);
    }

    public async Task<PriceReviewsView> ViewAsync()
    {
        if (await ArrangementParties.LoadAsync(GrainFactory, ArrangementId, time.GetUtcNow()) is not { } parties) return new(NoArrangement(), null);
        var s = state.State;
        var today = time.TodayInAmsterdam();
        DateOnly? due = s.IntervalYears is { } years ? PriceReviewRules.NextDue(years, s.IntervalAgreedOn ?? today, s.Reviews.Count == 0 ? null : s.Reviews.Max(r => r.ReviewedOn)) : null;
        return new(CommandResult.Ok(ArrangementId), new(ArrangementId, s.IntervalYears, due, due < today, [.. s.Reviews],
            PriceReviewRules.MayManage(CallerContext.Current, parties.Members).Allowed));
    }

    private CommandResult NoArrangement() => ArrangementParties.Missing(ArrangementId);
}
