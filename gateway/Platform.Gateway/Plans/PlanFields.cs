using GraphQL;
using GraphQL.Types;
using Platform.Domain.Plans;
using Platform.Gateway.Access;
using Platform.Gateway.Arrangements;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Plans;
using Platform.Grains.Proposals;

namespace Platform.Gateway.Plans;

/// <summary>
/// Plans: the executing organisation drafts how it does the work (e.g. the winter's gritting plan) in versions and proposes
/// a plan for adoption, after which it is fixed and the proposal's vote decides it. The arrangement's parties read them;
/// the grain decides who may see and do what.
/// </summary>
public static class PlanFields
{
    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PlanPayloadType>>("savePlanDraft")
            .Description("The executing organisation saves a plan's draft: a new plan without number, else a new version of that plan (nothing new when nothing changed). A proposed plan is fixed.")
            .Argument<NonNullGraphType<SavePlanDraftInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PlanInput>("input");
                return await ArrangementRecords.ActAsync(ctx, input, ArrangementType.TypeName, "arrangementId", input.ArrangementId,
                    key => ctx.Grains().GetGrain<IPlansGrain>(key).SaveDraftAsync(input.Number, new(input.Title, input.Period, input.Text, input.Note)));
            });
        mutation.Field<NonNullGraphType<PlanPayloadType>>("proposePlan")
            .Description("The executing organisation proposes a plan's latest version for adoption: a PLAN_ADOPTION proposal under the arrangement's rule (the councils' opinions, then the vote). Once per plan.")
            .Argument<NonNullGraphType<ProposePlanInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PlanInput>("input");
                return await ArrangementRecords.ActAsync(ctx, input, ArrangementType.TypeName, "arrangementId", input.ArrangementId,
                    key => ctx.Grains().GetGrain<IPlansGrain>(key).ProposeAsync(input.Number ?? 0, input.Motivation, input.EffectiveDate,
                        input.Evidence is { } e ? new Platform.Domain.Proposals.EvidencePeriod(e.ServiceCode, e.From, e.To) : null));
            });
    }

    public static void AddTo(ArrangementType arrangement)
    {
        arrangement.Field<PlansType>("plans")
            .Description("The executing organisation's plans, newest first, for the people of its parties; null for everyone else (an adopted plan is public as its proposal).")
            .ResolveAsync(async ctx => ctx.Caller().IsAuthenticated ? (await ctx.Grains().GetGrain<IPlansGrain>(ctx.Source.Id).ViewAsync()).Plans : null);
    }

    /// <summary>One plan by its key (arrangement/number), as the caller may see it.</summary>
    public static async Task<PlanSnapshot?> FindAsync(IResolveFieldContext ctx, string? key) =>
        PlanKeys.Parse(key) is var (arrangement, number)
            ? (await ctx.Grains().GetGrain<IPlansGrain>(arrangement).ViewAsync()).Plans?.Plans.FirstOrDefault(p => p.Plan.Number == number)
            : null;
}

public sealed class PlanStatusType : EnumerationGraphType<PlanStatus>
{
    public PlanStatusType()
    {
        Name = "PlanStatus";
        Description = "DRAFT (being written), PROPOSED (being decided), or the proposal's outcome: ADOPTED, REJECTED, NO_QUORUM.";
    }
}

public sealed class PlanVersionType : ObjectGraphType<PlanVersion>
{
    public PlanVersionType()
    {
        Name = "PlanVersion";
        Description = "One saved text of a plan; every version is kept.";
        Field(x => x.Version);
        Field(x => x.Title);
        Field(x => x.Period);
        Field(x => x.Text);
        Field<StringGraphType>("note").Description("What changed, in the drafter's words.").Resolve(ctx => ctx.Source.Note);
        Field(x => x.SavedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("savedAt").Resolve(ctx => ctx.Source.SavedAt);
    }
}

public sealed class PlanType : ObjectGraphType<PlanSnapshot>
{
    public PlanType()
    {
        Name = "Plan";
        Description = "A plan of how the executing organisation does the work, drafted in versions and proposed for adoption.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("arrangement/number, e.g. gladheid-amstelland/2.").Resolve(ctx => PlanKeys.Of(ctx.Source.ArrangementId, ctx.Source.Plan.Number));
        Field<NonNullGraphType<IntGraphType>>("number").Resolve(ctx => ctx.Source.Plan.Number);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(ctx => ctx.Source.Plan.Latest().Title);
        Field<NonNullGraphType<StringGraphType>>("period").Resolve(ctx => ctx.Source.Plan.Latest().Period);
        Field<NonNullGraphType<StringGraphType>>("text").Description("The latest version's text.").Resolve(ctx => ctx.Source.Plan.Latest().Text);
        Field<NonNullGraphType<PlanStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PlanVersionType>>>>("versions").Description("Newest first.")
            .Resolve(ctx => ctx.Source.Plan.Versions.Reverse().ToList());
        Field<StringGraphType>("proposalKey").Description("The proposal it became; null while a draft.").Resolve(ctx => ctx.Source.Plan.ProposalId);
        Field<ProposalType>("proposal").ResolveAsync(async ctx =>
            ctx.Source.Plan.ProposalId is { } id ? await ctx.Grains().GetGrain<IProposalGrain>(id).GetAsync() : null);
        Field<DateTimeOffsetGraphType>("proposedAt").Resolve(ctx => ctx.Source.Plan.ProposedAt);
        Field<NonNullGraphType<BooleanGraphType>>("viewerCanEdit").Description("Whether you may save a new version or propose it (its executing organisation, while a draft).")
            .Resolve(ctx => ctx.Source.ViewerCanEdit);
    }
}

public sealed class PlansType : ObjectGraphType<PlansSnapshot>
{
    public PlansType()
    {
        Name = "Plans";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PlanType>>>>("items").Description("Newest first.").Resolve(ctx => ctx.Source.Plans);
        Field<PlanType>("plan").Description("One plan by its number, or null.")
            .Argument<NonNullGraphType<IntGraphType>>("number")
            .Resolve(ctx => ctx.Source.Plans.FirstOrDefault(p => p.Plan.Number == ctx.GetArgument<int>("number")));
        Field(x => x.ViewerCanDraft).Description("Whether you may draft plans (the executing organisation's staff).");
    }
}

public sealed class PlanInput : MutationInput
{
    public string? ArrangementId { get; set; }
    public int? Number { get; set; }
    public string? Title { get; set; }
    public string? Period { get; set; }
    public string? Text { get; set; }
    public string? Note { get; set; }
    public string? Motivation { get; set; }
    public DateOnly? EffectiveDate { get; set; }
    public EvidenceInput? Evidence { get; set; }
}

public sealed class SavePlanDraftInputType : MutationInputType<PlanInput>
{
    public SavePlanDraftInputType() : base("SavePlanDraftInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field<IntGraphType>("number").Description("The plan to save a new version of; leave out for a new plan.");
        Field(x => x.Title, nullable: false).Description($"At most {PlanRules.MaxTitle} characters.");
        Field(x => x.Period, nullable: false).Description($"What it covers, e.g. winter 2026-2027; at most {PlanRules.MaxPeriod} characters.");
        Field(x => x.Text, nullable: false).Description($"At most {Platform.Domain.Proposals.ProposalRules.MaxTextLength} characters.");
        Field(x => x.Note, nullable: true).Description($"What changed in this version; at most {PlanRules.MaxNote} characters.");
    }
}

public sealed class ProposePlanInputType : MutationInputType<PlanInput>
{
    public ProposePlanInputType() : base("ProposePlanInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field<NonNullGraphType<IntGraphType>>("number");
        Field(x => x.Motivation, nullable: false).Description($"Why the members should adopt it; at most {Platform.Domain.Proposals.ProposalRules.MaxMotivationLength} characters.");
        Field<CalendarDateGraphType>("effectiveDate").Description("Optional: from when it applies (after voting closes).");
        Field<EvidenceInputType>("evidence").Description("Optional: the complaints the plan answers; counted again three and six months after it took effect.");
    }
}

public sealed class PlanPayloadType : PayloadType
{
    public PlanPayloadType() : base("PlanPayload")
    {
        Field<PlanType>("plan").ResolveAsync(async ctx => await PlanFields.FindAsync(ctx, ctx.Source.Result.Id));
    }
}
