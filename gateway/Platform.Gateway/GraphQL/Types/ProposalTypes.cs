using GraphQL;
using GraphQL.Types;
using Platform.Domain.Proposals;
using Platform.Domain.ServiceLevels;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Proposals;

namespace Platform.Gateway.GraphQL.Types;

public sealed class ProposalKindType : EnumerationGraphType<ProposalKind> { public ProposalKindType() => Name = "ProposalKind"; }
public sealed class VoteChoiceType : EnumerationGraphType<VoteChoice> { public VoteChoiceType() => Name = "VoteChoice"; }
public sealed class ProposalOutcomeType : EnumerationGraphType<ProposalOutcome> { public ProposalOutcomeType() => Name = "ProposalOutcome"; }
public sealed class ProposalPhaseType : EnumerationGraphType<ProposalPhase> { public ProposalPhaseType() => Name = "ProposalPhase"; }
public sealed class WeightBasisType : EnumerationGraphType<WeightBasis> { public WeightBasisType() => Name = "WeightBasis"; }
public sealed class ThresholdKindType : EnumerationGraphType<ThresholdKind> { public ThresholdKindType() => Name = "ThresholdKind"; }
public sealed class AbstentionRuleType : EnumerationGraphType<AbstentionRule> { public AbstentionRuleType() => Name = "AbstentionRule"; }
public sealed class DayCountingType : EnumerationGraphType<DayCounting> { public DayCountingType() => Name = "DayCounting"; }

public sealed class FractionType : ObjectGraphType<Fraction>
{
    public FractionType()
    {
        Name = "Fraction";
        Description = "An exact share, e.g. 2/3.";
        Field(x => x.Numerator);
        Field(x => x.Denominator);
    }
}

public sealed class SeatAllocationType : ObjectGraphType<SeatAllocation>
{
    public SeatAllocationType()
    {
        Name = "SeatAllocation";
        Field(x => x.MunicipalityCode);
        Field(x => x.Seats);
    }
}

public sealed class DecisionRuleType : ObjectGraphType<DecisionRule>
{
    public DecisionRuleType()
    {
        Name = "DecisionRule";
        Description = "How the arrangement decides one kind of proposal.";
        Field<NonNullGraphType<ProposalKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<NonNullGraphType<WeightBasisType>>("weights").Resolve(ctx => ctx.Source.Weights);
        Field<NonNullGraphType<FractionType>>("quorum").Description("The share of the total weight that must vote.").Resolve(ctx => ctx.Source.Quorum);
        Field<NonNullGraphType<ThresholdKindType>>("threshold").Resolve(ctx => ctx.Source.Threshold);
        Field<NonNullGraphType<FractionType>>("required").Description("The share of the weight cast that yes must reach (more than it, for a simple majority).").Resolve(ctx => ctx.Source.Required);
        Field<NonNullGraphType<AbstentionRuleType>>("abstentions").Resolve(ctx => ctx.Source.Abstentions);
        Field(x => x.OpinionDays).Description("Days for the councils' opinions before voting opens; 0 for none.");
        Field(x => x.VotingDays);
        Field<ListGraphType<NonNullGraphType<SeatAllocationType>>>("seats").Resolve(ctx => ctx.Source.Seats);
        Field(x => x.TotalSeats, nullable: true);
        Field(x => x.InhabitantsPerVote);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(ctx => ctx.Source.Describe());
    }
}

public sealed class TariffChangeType : ObjectGraphType<TariffChange>
{
    public TariffChangeType()
    {
        Name = "TariffChange";
        Field(x => x.ServiceCode);
        Field<NonNullGraphType<DecimalGraphType>>("amount").Resolve(ctx => ctx.Source.Amount);
        Field<NonNullGraphType<DecimalGraphType>>("unitQuantity").Resolve(ctx => ctx.Source.UnitQuantity);
        Field(x => x.UnitMeasure);
        Field<NonNullGraphType<StringGraphType>>("unit")
            .Argument<LanguageType>("language", "NL (the default) or EN.")
            .Resolve(ctx => ctx.Source.ToVersion(default, null, "").UnitIn(ctx.GetArgument<string?>("language")));
    }
}

public sealed class ServiceLevelChangeType : ObjectGraphType<ServiceLevelChange>
{
    public ServiceLevelChangeType()
    {
        Name = "ServiceLevelChange";
        Field(x => x.ServiceCode);
        Field<NonNullGraphType<IntGraphType>>("daysToAcknowledge").Resolve(ctx => ctx.Source.Level.DaysToAcknowledge);
        Field<NonNullGraphType<IntGraphType>>("daysToResolve").Resolve(ctx => ctx.Source.Level.DaysToResolve);
        Field<NonNullGraphType<DayCountingType>>("counting").Resolve(ctx => ctx.Source.Level.Counting);
    }
}

public sealed class BallotType : ObjectGraphType<Ballot>
{
    public BallotType()
    {
        Name = "Ballot";
        Description = "A member of the electorate, its weight and its vote (null while it has not voted).";
        Field(x => x.MunicipalityCode);
        Field(x => x.Weight);
        Field<VoteChoiceType>("choice").Resolve(ctx => ctx.Source.Choice);
    }
}

public sealed class VoteType : ObjectGraphType<Vote>
{
    public VoteType()
    {
        Name = "Vote";
        Description = "A member's current vote; earlier votes are in the history.";
        Field(x => x.MunicipalityCode);
        Field<MunicipalityType>("municipality").ResolveAsync(async ctx => await RequestReads.MunicipalityAsync(ctx, ctx.Source.MunicipalityCode));
        Field(x => x.Weight);
        Field<NonNullGraphType<VoteChoiceType>>("choice").Resolve(ctx => ctx.Source.Choice);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("castAt").Resolve(ctx => ctx.Source.CastAt);
        Field(x => x.Changes).Description("How often the member changed its vote.");
    }
}

public sealed class TallyType : ObjectGraphType<Tally>
{
    public TallyType()
    {
        Name = "Tally";
        Field(x => x.TotalWeight);
        Field(x => x.Yes);
        Field(x => x.No);
        Field(x => x.Abstain);
        Field(x => x.NotVoted);
        Field(x => x.Voted);
        Field(x => x.QuorumReached);
        Field<NonNullGraphType<ProposalOutcomeType>>("outcome").Description("The outcome if the vote closed now.").Resolve(ctx => ctx.Source.Outcome);
        Field(x => x.Explanation);
    }
}

public sealed class VoteSwitchType : ObjectGraphType<VoteSwitch>
{
    public VoteSwitchType()
    {
        Name = "VoteSwitch";
        Field(x => x.MunicipalityCode);
        Field(x => x.Weight);
        Field<VoteChoiceType>("from").Resolve(ctx => ctx.Source.From);
        Field<NonNullGraphType<VoteChoiceType>>("to").Resolve(ctx => ctx.Source.To);
    }
}

public sealed class OutcomeChangeType : ObjectGraphType<OutcomeChange>
{
    public OutcomeChangeType()
    {
        Name = "OutcomeChange";
        Description = "The fewest members whose votes would turn the outcome as it stands, and what it would become.";
        Field<NonNullGraphType<ProposalOutcomeType>>("to").Resolve(ctx => ctx.Source.To);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VoteSwitchType>>>>("switches").Resolve(ctx => ctx.Source.Switches);
    }
}

public sealed class OpinionType : ObjectGraphType<Opinion>
{
    public OpinionType()
    {
        Name = "Opinion";
        Description = "A member council's written opinion (zienswijze).";
        Field(x => x.MunicipalityCode);
        Field(x => x.Text);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("submittedAt").Resolve(ctx => ctx.Source.SubmittedAt);
    }
}

public sealed class ProposalCommentType : ObjectGraphType<ProposalComment>
{
    public ProposalCommentType()
    {
        Name = "ProposalComment";
        Description = "A public comment, shown by its author's role and municipality. A hidden comment shows why it was hidden instead of its text.";
        Field(x => x.Number);
        Field<StringGraphType>("text").Description("Null when hidden.").Resolve(ctx => ctx.Source.HiddenAt is null ? ctx.Source.Text : null);
        Field(x => x.AuthorRole);
        Field(x => x.AuthorOrganisation, nullable: true);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("postedAt").Resolve(ctx => ctx.Source.PostedAt);
        Field<NonNullGraphType<BooleanGraphType>>("hidden").Resolve(ctx => ctx.Source.HiddenAt is not null);
        Field<DateTimeOffsetGraphType>("hiddenAt").Resolve(ctx => ctx.Source.HiddenAt);
        Field(x => x.HiddenBy, nullable: true);
        Field(x => x.HiddenReason, nullable: true);
    }
}

public sealed class EvidenceType : ObjectGraphType<Evidence>
{
    public EvidenceType()
    {
        Name = "Evidence";
        Description = "Complaints cited by the proposer: how many were filed about a service in a period.";
        Field<NonNullGraphType<StringGraphType>>("serviceCode").Resolve(ctx => ctx.Source.Period.ServiceCode);
        Field<NonNullGraphType<CalendarDateGraphType>>("from").Resolve(ctx => ctx.Source.Period.From);
        Field<NonNullGraphType<CalendarDateGraphType>>("to").Resolve(ctx => ctx.Source.Period.To);
        Field(x => x.ComplaintCount);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("countedAt").Resolve(ctx => ctx.Source.CountedAt);
    }
}

public sealed class EffectMeasurementType : ObjectGraphType<EffectMeasurement>
{
    public EffectMeasurementType()
    {
        Name = "EffectMeasurement";
        Description = "The complaints a proposal cited, counted again some months after its change took effect: before against after.";
        Field(x => x.Months).Description("3 or 6: months after the change took effect.");
        Field<NonNullGraphType<CalendarDateGraphType>>("measuredOn").Resolve(ctx => ctx.Source.MeasuredOn);
        Field(x => x.ServiceCode);
        Field<NonNullGraphType<CalendarDateGraphType>>("beforeFrom").Resolve(ctx => ctx.Source.BeforeFrom);
        Field<NonNullGraphType<CalendarDateGraphType>>("beforeTo").Resolve(ctx => ctx.Source.BeforeTo);
        Field<NonNullGraphType<CalendarDateGraphType>>("afterFrom").Description("Never before the change took effect.").Resolve(ctx => ctx.Source.AfterFrom);
        Field<NonNullGraphType<CalendarDateGraphType>>("afterTo").Resolve(ctx => ctx.Source.AfterTo);
        Field<NonNullGraphType<IntGraphType>>("beforeTotal").Resolve(ctx => ctx.Source.BeforeTotal);
        Field<NonNullGraphType<IntGraphType>>("afterTotal").Resolve(ctx => ctx.Source.AfterTotal);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MemberEffectType>>>>("members").Resolve(ctx => ctx.Source.Members);
        Field<MemberEffectType>("member").Description("One member's figures (e.g. your own municipality's), or null when it was not a member then.")
            .Argument<NonNullGraphType<StringGraphType>>("municipality", "A municipality code, e.g. GM0405.")
            .Resolve(ctx => ctx.Source.Members.FirstOrDefault(m => m.Municipality == ctx.GetArgument<string>("municipality")));
    }
}

public sealed class MemberEffectType : ObjectGraphType<MemberEffect>
{
    public MemberEffectType()
    {
        Name = "MemberEffect";
        Description = "One member's complaints before and after, also per 10,000 inhabitants per 30 days (periods of different length compare fairly).";
        Field(x => x.Municipality);
        Field(x => x.Inhabitants);
        Field(x => x.Before);
        Field(x => x.After);
        Field(x => x.BeforeRate).Description("Complaints per 10,000 inhabitants per 30 days before.");
        Field(x => x.AfterRate).Description("Complaints per 10,000 inhabitants per 30 days after.");
    }
}

public sealed class ArrangementDecisionType : ObjectGraphType<ArrangementDecision>
{
    public ArrangementDecisionType()
    {
        Name = "ArrangementDecision";
        Description = "An adopted proposal and what it changed.";
        Field<NonNullGraphType<IdGraphType>>("proposalId").Resolve(ctx => GlobalId.Encode(ProposalType.TypeName, ctx.Source.ProposalId));
        Field<NonNullGraphType<StringGraphType>>("proposalKey").Description("The proposal's own short id.").Resolve(ctx => ctx.Source.ProposalId);
        Field<NonNullGraphType<ProposalKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field(x => x.Title);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("decidedAt").Resolve(ctx => ctx.Source.DecidedAt);
        Field<CalendarDateGraphType>("effectiveDate").Resolve(ctx => ctx.Source.EffectiveDate);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("appliedAt").Resolve(ctx => ctx.Source.AppliedAt);
        Field(x => x.Effect);
        Field<NonNullGraphType<ProposalType>>("proposal").Description("The proposal itself: its evidence and whether the decision worked (effectMeasurements).")
            .ResolveAsync(async ctx => await ctx.Grains().GetGrain<IProposalGrain>(ctx.Source.ProposalId).GetAsync());
    }
}

public sealed class ProposalType : ObjectGraphType<ProposalSnapshot>
{
    public const string TypeName = "Proposal";

    public ProposalType()
    {
        Name = TypeName;
        Description = "A proposed policy change and its vote. Public: the votes, the tally and the outcome.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is ProposalSnapshot;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(TypeName, ctx.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(ctx => ctx.Source.Id);
        Field<ArrangementType>("arrangement").ResolveAsync(async ctx => await ctx.ArrangementAsync(ctx.Source.ArrangementId));
        Field<NonNullGraphType<ProposalKindType>>("kind").Resolve(ctx => ctx.Source.Change.Kind);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(ctx => ctx.Source.Change.Title);
        Field<NonNullGraphType<StringGraphType>>("motivation").Resolve(ctx => ctx.Source.Change.Motivation);
        Field<StringGraphType>("text").Description("The plan or decision text.").Resolve(ctx => ctx.Source.Change.Text);
        Field<CalendarDateGraphType>("effectiveDate").Resolve(ctx => ctx.Source.Change.EffectiveDate);
        Field<TariffChangeType>("tariffChange").Resolve(ctx => ctx.Source.Change.Tariff);
        Field<ServiceLevelChangeType>("serviceLevelChange").Resolve(ctx => ctx.Source.Change.ServiceLevel);
        Field(x => x.ProposedBy).Description("The role and municipality that proposed it.");
        Field(x => x.ProposerMunicipality);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("proposedAt").Resolve(ctx => ctx.Source.Schedule.ProposedAt);
        Field<NonNullGraphType<DecisionRuleType>>("rule").Description("The rule as it stood when proposed.").Resolve(ctx => ctx.Source.Rule);
        Field<NonNullGraphType<ProposalPhaseType>>("phase").Resolve(ctx => ctx.Source.Phase);
        Field<DateTimeOffsetGraphType>("opinionPeriodEndsAt").Description("Null when there is no opinion period.")
            .Resolve(ctx => ctx.Source.Schedule.HasOpinionPeriod ? ctx.Source.Schedule.VotingOpensAt : null);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("votingOpensAt").Resolve(ctx => ctx.Source.Schedule.VotingOpensAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("votingClosesAt").Resolve(ctx => ctx.Source.Schedule.VotingClosesAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<BallotType>>>>("ballots").Description("Every member of the electorate with its weight and vote.").Resolve(ctx => ctx.Source.Ballots);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VoteType>>>>("votes").Resolve(ctx => ctx.Source.Votes);
        Field<NonNullGraphType<TallyType>>("tally").Description("The count as it stands, or as it closed.").Resolve(ctx => ctx.Source.Tally);
        Field<ProposalOutcomeType>("outcome").Description("Null while voting is open.").Resolve(ctx => ctx.Source.Outcome);
        Field<DateTimeOffsetGraphType>("closedAt").Resolve(ctx => ctx.Source.ClosedAt);
        Field<OutcomeChangeType>("whatWouldChangeOutcome")
            .Description("While the vote is open: the fewest members whose votes would turn the current result. Null once closed.")
            .Resolve(ctx => ctx.Source.Outcome is null ? Voting.WhatWouldChange(ctx.Source.Rule, ctx.Source.Ballots) : null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OpinionType>>>>("opinions").Resolve(ctx => ctx.Source.Opinions);
        Field(x => x.SupportCount).Description("Residents who support it (each counts once).");
        Field<NonNullGraphType<BooleanGraphType>>("supportedByMe").Resolve(ctx => ctx.Source.SupportedByViewer);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProposalCommentType>>>>("comments").Resolve(ctx => ctx.Source.Comments);
        Field<EvidenceType>("evidence").Resolve(ctx => ctx.Source.Evidence);
        Field<Platform.Gateway.PriceReviews.PriceReviewCitationType>("priceReview").Description("The external price review a tariff change cites: its finding for the service, as it was when proposed.")
            .Resolve(ctx => ctx.Source.PriceReview);
        Field<DateTimeOffsetGraphType>("effectAppliedAt").Description("When an adopted change was carried out.").Resolve(ctx => ctx.Source.EffectAppliedAt);
        Field<StringGraphType>("effect").Description("What the adopted change did to the arrangement.").Resolve(ctx => ctx.Source.EffectNote);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EffectMeasurementType>>>>("effectMeasurements")
            .Description("Did the decision work? The evidence counted again three and six months after the change took effect (empty until then, and for a proposal without evidence).")
            .Resolve(ctx => ctx.Source.Measurements ?? []);
        Field<CalendarDateGraphType>("nextEffectMeasurementOn")
            .Description("The day the cited evidence is counted again next (three, then six months after the change took effect); null without evidence, before the change took effect, and after both.")
            .Resolve(ctx => ctx.Source.NextMeasurementOn);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HistoryEntryType>>>>("history").Resolve(ctx => ctx.Source.History);
        Field<NonNullGraphType<ProposalCapabilitiesType>>("viewerCan")
            .Description("What you may do with this proposal now, as the proposal decides it (its rules and its phase).")
            .Resolve(ctx => ctx.Source.ViewerCan ?? new ProposalCapabilities(false, false, false, false, false));
    }
}

public sealed class ProposalEdgeType() : EdgeType<ProposalType, ProposalSnapshot>(ProposalType.TypeName);
public sealed class ProposalConnectionType() : ConnectionType<ProposalType, ProposalEdgeType, ProposalSnapshot>(ProposalType.TypeName);

public sealed class ProposalPayloadType : PayloadType
{
    public ProposalPayloadType() : base("ProposalPayload")
    {
        Field<ProposalType>("proposal").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? await ctx.Grains().GetGrain<IProposalGrain>(id).GetAsync() : null);
    }
}

public sealed class SetDecisionRulePayloadType : PayloadType
{
    public SetDecisionRulePayloadType() : base("SetDecisionRulePayload") => ArrangementField();
}

public static class Proposals
{
    public const string CursorType = "ProposalCursor";

    /// <summary>An arrangement's proposals, newest first, optionally only those still open.</summary>
    public static async Task<Connection<ProposalSnapshot>> PageAsync(IResolveFieldContext<ArrangementSnapshot> ctx)
    {
        var (first, after) = Paging.Read(ctx, CursorType);
        var onlyOpen = ctx.GetArgument<bool?>("open");
        var ids = (ctx.Source.ProposalIds ?? []).Reverse().ToList();
        var all = (await Task.WhenAll(ids.Select(id => ctx.Grains().GetGrain<IProposalGrain>(id).GetAsync())))
            .OfType<ProposalSnapshot>()
            .Where(p => onlyOpen is null || (p.Outcome is null) == onlyOpen)
            .ToList();
        var position = after is null ? -1 : all.FindIndex(p => p.Id == after);
        if (after is not null && position < 0)
        {
            throw new ExecutionError($"'after' names no proposal of this list (with open: {onlyOpen?.ToString() ?? "any"}).") { Code = "BAD_USER_INPUT" };
        }
        var start = position + 1;
        var page = all.Skip(start).Take(first).ToList();
        var edges = page.Select(p => new Edge<ProposalSnapshot>(Paging.Cursor(CursorType, p.Id), p)).ToList();
        return new(edges, new PageInfo(start + page.Count < all.Count, start > 0, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor), all.Count);
    }
}

public sealed class ProposalCapabilitiesType : ObjectGraphType<ProposalCapabilities>
{
    public ProposalCapabilitiesType()
    {
        Name = "ProposalCapabilities";
        Field(x => x.Vote).Description("Cast or change your municipality's vote (voting is open and you are its board member or system).");
        Field(x => x.SubmitOpinion).Description("Submit your council's opinion (the opinion period runs and you are its admin or an alderman).");
        Field(x => x.Support).Description("Support it (a resident of a member who has not yet, before the close).");
        Field(x => x.Comment);
        Field(x => x.HideComments).Description("Hide a comment with a reason (staff of a member).");
    }
}
