using GraphQL.Types;
using Platform.Domain.Proposals;
using Platform.Domain.ServiceLevels;
using Platform.Gateway.GraphQL.Types;

namespace Platform.Gateway.GraphQL.Inputs;

public sealed class TariffChangeInput
{
    public string ServiceCode { get; set; } = "";
    public decimal Amount { get; set; }
    public decimal UnitQuantity { get; set; }
    public string UnitMeasure { get; set; } = "";
}

public sealed class TariffChangeInputType : InputObjectGraphType<TariffChangeInput>
{
    public TariffChangeInputType()
    {
        Name = "TariffChangeInput";
        Field(x => x.ServiceCode);
        Field<NonNullGraphType<DecimalGraphType>>("amount").Description("The new amount in euros, whole cents; not negative.");
        Field<NonNullGraphType<DecimalGraphType>>("unitQuantity").Description("e.g. 0.5 for 'per 0.5 m³'.");
        Field(x => x.UnitMeasure);
    }
}

public sealed class ServiceLevelChangeInput
{
    public string ServiceCode { get; set; } = "";
    public int DaysToAcknowledge { get; set; }
    public int DaysToResolve { get; set; }
    public DayCounting Counting { get; set; }
}

public sealed class ServiceLevelChangeInputType : InputObjectGraphType<ServiceLevelChangeInput>
{
    public ServiceLevelChangeInputType()
    {
        Name = "ServiceLevelChangeInput";
        Field(x => x.ServiceCode);
        Field(x => x.DaysToAcknowledge);
        Field(x => x.DaysToResolve);
        Field<NonNullGraphType<DayCountingType>>("counting");
    }
}

public sealed class EvidenceInput
{
    public string ServiceCode { get; set; } = "";
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
}

public sealed class EvidenceInputType : InputObjectGraphType<EvidenceInput>
{
    public EvidenceInputType()
    {
        Name = "EvidenceInput";
        Description = "Cite the complaints about a service filed in a period; their number is shown with the proposal.";
        Field(x => x.ServiceCode);
        Field<NonNullGraphType<CalendarDateGraphType>>("from");
        Field<NonNullGraphType<CalendarDateGraphType>>("to");
    }
}

public sealed class ProposeChangeInput : MutationInput
{
    public string ArrangementId { get; set; } = "";
    public ProposalKind Kind { get; set; }
    public string Title { get; set; } = "";
    public string Motivation { get; set; } = "";
    public string? Text { get; set; }
    public DateOnly? EffectiveDate { get; set; }
    public TariffChangeInput? Tariff { get; set; }
    public ServiceLevelChangeInput? ServiceLevel { get; set; }
    public EvidenceInput? Evidence { get; set; }
    public int? PriceReview { get; set; }

    public ProposedChange ToChange() => new(Kind, Title, Motivation, Text, EffectiveDate,
        Tariff is { } t ? new TariffChange(t.ServiceCode, t.Amount, t.UnitQuantity, t.UnitMeasure) : null,
        ServiceLevel is { } l ? new ServiceLevelChange(l.ServiceCode, new ServiceLevel(l.DaysToAcknowledge, l.DaysToResolve, l.Counting)) : null);
}

public sealed class ProposeChangeInputType : MutationInputType<ProposeChangeInput>
{
    public ProposeChangeInputType() : base("ProposeChangeInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field<NonNullGraphType<ProposalKindType>>("kind");
        Field(x => x.Title);
        Field(x => x.Motivation).Description("Why: the members and residents read this first.");
        Field(x => x.Text, nullable: true).Description("The plan or decision text; required for PLAN_ADOPTION and POLICY_DECISION.");
        Field<CalendarDateGraphType>("effectiveDate").Description("When an adopted change takes effect; required for tariff and service-level changes, after the vote closes.");
        Field<TariffChangeInputType>("tariff").Description("Required for TARIFF_CHANGE.");
        Field<ServiceLevelChangeInputType>("serviceLevel").Description("Required for SERVICE_LEVEL_CHANGE.");
        Field<EvidenceInputType>("evidence");
        Field<IntGraphType>("priceReview").Description("For a TARIFF_CHANGE: the number of the arrangement's external price review it cites (Arrangement.priceReviews); its finding for the tariff's service is shown with the proposal.");
    }
}

public sealed class ProposalTextInput : MutationInput
{
    public string ProposalId { get; set; } = "";
    public string Text { get; set; } = "";
}

public sealed class SubmitOpinionInputType : MutationInputType<ProposalTextInput>
{
    public SubmitOpinionInputType() : base("SubmitOpinionInput")
    {
        Field<NonNullGraphType<IdGraphType>>("proposalId");
        Field(x => x.Text).Description("The council's opinion; a second one from the same member replaces the first (both stay in the history).");
    }
}

public sealed class CommentOnProposalInputType : MutationInputType<ProposalTextInput>
{
    public CommentOnProposalInputType() : base("CommentOnProposalInput")
    {
        Field<NonNullGraphType<IdGraphType>>("proposalId");
        Field(x => x.Text).Description($"At most {ProposalRules.MaxCommentLength} characters; shown with your role and municipality, not your name.");
    }
}

public sealed class CastVoteInput : MutationInput
{
    public string ProposalId { get; set; } = "";
    public VoteChoice Choice { get; set; }
}

public sealed class CastVoteInputType : MutationInputType<CastVoteInput>
{
    public CastVoteInputType() : base("CastVoteInput")
    {
        Field<NonNullGraphType<IdGraphType>>("proposalId");
        Field<NonNullGraphType<VoteChoiceType>>("choice").Description("For your municipality; you may change it until voting closes.");
    }
}

public sealed class ProposalRefInput : MutationInput
{
    public string ProposalId { get; set; } = "";
}

public sealed class SupportProposalInputType : MutationInputType<ProposalRefInput>
{
    public SupportProposalInputType() : base("SupportProposalInput") => Field<NonNullGraphType<IdGraphType>>("proposalId");
}

public sealed class HideProposalCommentInput : MutationInput
{
    public string ProposalId { get; set; } = "";
    public int CommentNumber { get; set; }
    public string Reason { get; set; } = "";
}

public sealed class HideProposalCommentInputType : MutationInputType<HideProposalCommentInput>
{
    public HideProposalCommentInputType() : base("HideProposalCommentInput")
    {
        Field<NonNullGraphType<IdGraphType>>("proposalId");
        Field(x => x.CommentNumber);
        Field(x => x.Reason).Description("Recorded and shown in place of the comment.");
    }
}

public sealed class FractionInput
{
    public long Numerator { get; set; }
    public long Denominator { get; set; }
}

public sealed class FractionInputType : InputObjectGraphType<FractionInput>
{
    public FractionInputType()
    {
        Name = "FractionInput";
        Field(x => x.Numerator);
        Field(x => x.Denominator);
    }
}

public sealed class SeatInput
{
    public string MunicipalityCode { get; set; } = "";
    public int Seats { get; set; }
}

public sealed class SeatInputType : InputObjectGraphType<SeatInput>
{
    public SeatInputType()
    {
        Name = "SeatInput";
        Field(x => x.MunicipalityCode);
        Field(x => x.Seats);
    }
}

public sealed class SetDecisionRuleInput : MutationInput
{
    public string ArrangementId { get; set; } = "";
    public ProposalKind Kind { get; set; }
    public WeightBasis Weights { get; set; }
    public FractionInput Quorum { get; set; } = new();
    public ThresholdKind Threshold { get; set; }
    public FractionInput? QualifiedFraction { get; set; }
    public AbstentionRule Abstentions { get; set; }
    public int OpinionDays { get; set; }
    public int VotingDays { get; set; }
    public List<SeatInput>? Seats { get; set; }
    public int? TotalSeats { get; set; }
    public int? InhabitantsPerVote { get; set; }

    public DecisionRule ToRule() => new(Kind, Weights, new(Quorum.Numerator, Quorum.Denominator), Threshold,
        QualifiedFraction is { } f ? new(f.Numerator, f.Denominator) : null, Abstentions, OpinionDays, VotingDays,
        Seats?.Select(s => new SeatAllocation(s.MunicipalityCode, s.Seats)).ToList(), TotalSeats, InhabitantsPerVote ?? 1);
}

public sealed class SetDecisionRuleInputType : MutationInputType<SetDecisionRuleInput>
{
    public SetDecisionRuleInputType() : base("SetDecisionRuleInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field<NonNullGraphType<ProposalKindType>>("kind");
        Field<NonNullGraphType<WeightBasisType>>("weights");
        Field<NonNullGraphType<FractionInputType>>("quorum").Description("The share of the total weight that must vote, from 0 to 1.");
        Field<NonNullGraphType<ThresholdKindType>>("threshold");
        Field<FractionInputType>("qualifiedFraction").Description("For QUALIFIED: the share of the weight cast yes must reach, in (0, 1], e.g. 2/3.");
        Field<NonNullGraphType<AbstentionRuleType>>("abstentions");
        Field(x => x.OpinionDays).Description($"0 for no opinion period, at most {DecisionRules.MaxOpinionDays}.");
        Field(x => x.VotingDays).Description($"1 to {DecisionRules.MaxVotingDays}.");
        Field<ListGraphType<NonNullGraphType<SeatInputType>>>("seats").Description("For SEATS: every member's seats.");
        Field(x => x.TotalSeats, nullable: true).Description("For SEATS: the total the statutes list; the seats must add up to it.");
        Field(x => x.InhabitantsPerVote, nullable: true).Description("For INHABITANTS: one vote per this many inhabitants (default 1).");
    }
}
