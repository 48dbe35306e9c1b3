using GraphQL;
using GraphQL.Types;
using Platform.Domain.PriceReviews;
using Platform.Gateway.Arrangements;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.PriceReviews;

namespace Platform.Gateway.PriceReviews;

/// <summary>
/// External price reviews: the interval the members agree, when the next is due, and each review's report with a finding
/// per service (the tariff then, the advised price); a tariff-change proposal cites one (proposeChange.priceReview).
/// Public to read, like the tariffs; the grain decides who may change them.
/// </summary>
public static class PriceReviewFields
{
    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PriceReviewsPayloadType>>("setPriceReviewInterval")
            .Description("A member's contract manager or admin records the agreed interval of external price reviews (1 to 10 years); the next is due that long after the last review.")
            .Argument<NonNullGraphType<SetPriceReviewIntervalInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PriceReviewInput>("input");
                return await ArrangementRecords.ActAsync(ctx, input, ArrangementType.TypeName, "arrangementId", input.ArrangementId,
                    key => ctx.Grains().GetGrain<IPriceReviewsGrain>(key).SetIntervalAsync(input.Years ?? 0));
            });

        mutation.Field<NonNullGraphType<PriceReviewsPayloadType>>("recordPriceReview")
            .Description("A member's contract manager or admin attaches an external price review's report: the reviewer, its date (within the last year), a summary, the report's https address, and a finding per service (the advised price; the tariff on the report's date is recorded beside it).")
            .Argument<NonNullGraphType<RecordPriceReviewInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PriceReviewInput>("input");
                return await ArrangementRecords.ActAsync(ctx, input, ArrangementType.TypeName, "arrangementId", input.ArrangementId,
                    key => ctx.Grains().GetGrain<IPriceReviewsGrain>(key).RecordAsync(new(input.Reviewer, input.ReviewedOn, input.Summary, input.ReportUrl,
                        input.Findings?.Select(f => new PriceFindingInput(f.ServiceCode, f.AdvisedAmount, f.Note)).ToList())));
            });
    }

    public static void AddTo(ArrangementType arrangement)
    {
        arrangement.Field<NonNullGraphType<PriceReviewsType>>("priceReviews")
            .Description("Its external price reviews: the agreed interval, when the next is due, and each review's findings. Public.")
            .ResolveAsync(async ctx => (await ctx.Grains().GetGrain<IPriceReviewsGrain>(ctx.Source.Id).ViewAsync()).Reviews);
    }
}

public sealed class PriceFindingType : ObjectGraphType<PriceFinding>
{
    public PriceFindingType()
    {
        Name = "PriceFinding";
        Description = "What the reviewer found for one service: its tariff on the report's date and the price it advises (euros).";
        Field(x => x.ServiceCode);
        Field<DecimalGraphType>("currentAmount").Description("The tariff on the report's date; null when there was none.").Resolve(ctx => ctx.Source.CurrentAmount);
        Field(x => x.AdvisedAmount);
        Field<StringGraphType>("note").Resolve(ctx => ctx.Source.Note);
    }
}

public sealed class PriceReviewType : ObjectGraphType<PriceReview>
{
    public PriceReviewType()
    {
        Name = "PriceReview";
        Description = "An external price review's report, attached to the arrangement.";
        Field(x => x.Number);
        Field(x => x.Reviewer);
        Field<NonNullGraphType<CalendarDateGraphType>>("reviewedOn").Resolve(ctx => ctx.Source.ReviewedOn);
        Field(x => x.Summary);
        Field<StringGraphType>("reportUrl").Resolve(ctx => ctx.Source.ReportUrl);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PriceFindingType>>>>("findings").Resolve(ctx => ctx.Source.Findings);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("recordedAt").Resolve(ctx => ctx.Source.RecordedAt);
    }
}

public sealed class PriceReviewCitationType : ObjectGraphType<PriceReviewCitation>
{
    public PriceReviewCitationType()
    {
        Name = "PriceReviewCitation";
        Description = "A price review a proposal cites, with its finding for the proposal's service.";
        Field(x => x.Number);
        Field(x => x.Reviewer);
        Field<NonNullGraphType<CalendarDateGraphType>>("reviewedOn").Resolve(ctx => ctx.Source.ReviewedOn);
        Field<StringGraphType>("reportUrl").Resolve(ctx => ctx.Source.ReportUrl);
        Field<NonNullGraphType<PriceFindingType>>("finding").Resolve(ctx => ctx.Source.Finding);
    }
}

public sealed class PriceReviewsType : ObjectGraphType<PriceReviewsSnapshot>
{
    public PriceReviewsType()
    {
        Name = "PriceReviews";
        Field<IntGraphType>("intervalYears").Description("The agreed interval; null when none is agreed.").Resolve(ctx => ctx.Source.IntervalYears);
        Field<CalendarDateGraphType>("nextDue").Resolve(ctx => ctx.Source.NextDue);
        Field(x => x.Overdue).Description("The next review's date has passed.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PriceReviewType>>>>("reviews").Description("Newest first.")
            .Resolve(ctx => ctx.Source.Reviews.OrderByDescending(r => r.Number).ToList());
        Field(x => x.ViewerCanManage).Description("Whether you may agree the interval and attach reviews.");
    }
}

public sealed class PriceFindingInputModel
{
    public string? ServiceCode { get; set; }
    public decimal? AdvisedAmount { get; set; }
    public string? Note { get; set; }
}

public sealed class PriceFindingInputType : InputObjectGraphType<PriceFindingInputModel>
{
    public PriceFindingInputType()
    {
        Name = "PriceFindingInput";
        Field(x => x.ServiceCode, nullable: true).Description("A service of the arrangement (required).");
        Field<DecimalGraphType>("advisedAmount").Description($"Euros, whole cents, 0 to {PriceReviewRules.MaxAmount:0} (required).");
        Field(x => x.Note, nullable: true);
    }
}

public sealed class PriceReviewInput : MutationInput
{
    public string? ArrangementId { get; set; }
    public int? Years { get; set; }
    public string? Reviewer { get; set; }
    public DateOnly? ReviewedOn { get; set; }
    public string? Summary { get; set; }
    public string? ReportUrl { get; set; }
    public List<PriceFindingInputModel>? Findings { get; set; }
}

public sealed class SetPriceReviewIntervalInputType : MutationInputType<PriceReviewInput>
{
    public SetPriceReviewIntervalInputType() : base("SetPriceReviewIntervalInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field<NonNullGraphType<IntGraphType>>("years");
    }
}

public sealed class RecordPriceReviewInputType : MutationInputType<PriceReviewInput>
{
    public RecordPriceReviewInputType() : base("RecordPriceReviewInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.Reviewer, nullable: false).Description($"The external reviewer; at most {PriceReviewRules.MaxReviewer} characters.");
        Field<NonNullGraphType<CalendarDateGraphType>>("reviewedOn").Description("The report's date: not after today, at most a year back.");
        Field(x => x.Summary, nullable: false).Description($"At most {PriceReviewRules.MaxSummary} characters.");
        Field(x => x.ReportUrl, nullable: true).Description("Where the report is published: an https:// address.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PriceFindingInputType>>>>("findings");
    }
}

public sealed class PriceReviewsPayloadType : PayloadType
{
    public PriceReviewsPayloadType() : base("PriceReviewsPayload")
    {
        Field<PriceReviewsType>("priceReviews").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? (await ctx.Grains().GetGrain<IPriceReviewsGrain>(id).ViewAsync()).Reviews : null);
    }
}
