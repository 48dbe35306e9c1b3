using GraphQL;
using GraphQL.Types;
using Platform.Domain.Calendar;
using Platform.Domain.Consultations;
using Platform.Domain.Events;
using Platform.Domain.Validation;
using Platform.Gateway.Arrangements;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Consultations;

namespace Platform.Gateway.Consultations;

/// <summary>
/// Consultations between an arrangement's parties: scheduled with an agenda, held with minutes, decisions and action
/// items (owner, due date) that their owners mark done; the next agenda lists the agreements not kept. The grains
/// decide who may see and do what.
/// </summary>
public static class ConsultationFields
{
    public const string TypeName = "Consultation";

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ConsultationPayloadType>>("scheduleConsultation")
            .Description("The executing organisation's staff or a member's contract manager or admin schedules a consultation (operational, tactical or strategic) with its agenda.")
            .Argument<NonNullGraphType<ScheduleConsultationInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ConsultationInput>("input");
                return await ArrangementRecords.CreateAsync(ctx, input, input.ArrangementId, (arrangement, reservedId) =>
                    ctx.Grains().GetGrain<IConsultationGrain>($"mtg-{reservedId}").ScheduleAsync(new(arrangement, input.Level ?? ConsultationLevel.Operational, input.Title, input.ScheduledAt ?? default, input.Agenda)));
            });

        mutation.Field<NonNullGraphType<ConsultationPayloadType>>("recordConsultationMinutes")
            .Description("Records a consultation's minutes once, from its day on: the text, the decisions, and action items each with an owner (a member or the executing organisation) and a due date not before the meeting.")
            .Argument<NonNullGraphType<RecordConsultationMinutesInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ConsultationInput>("input");
                return await OnConsultationAsync(ctx, input, grain => grain.RecordMinutesAsync(new(input.Minutes, input.Decisions,
                    input.ActionItems?.Select(a => new ActionItemInput(a.Text, a.Owner, a.Due)).ToList())));
            });

        mutation.Field<NonNullGraphType<ConsultationPayloadType>>("completeActionItem")
            .Description("The party that owns an action item marks it done, once.")
            .Argument<NonNullGraphType<CompleteActionItemInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ConsultationInput>("input");
                return await OnConsultationAsync(ctx, input, grain => grain.CompleteActionItemAsync(input.Number ?? 0));
            });
    }

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<ConsultationType>("consultation")
            .Description("A consultation, for the people of its arrangement's parties (others are refused); null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await ArrangementRecords.OneAsync(GlobalId.KeyOf(TypeName, ctx.GetArgument<string>("id")), View(ctx)));
    }

    public static void AddTo(ArrangementType arrangement)
    {
        arrangement.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConsultationType>>>>("consultations")
            .Description("Its consultations, latest first (at most 100), for the people of its parties; empty for everyone else.")
            .ResolveAsync(async ctx => await OfArrangementAsync(ctx, ctx.Source.Id));

        arrangement.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CarriedActionItemType>>>>("actionItems")
            .Description("The action items of its consultations, by due date: optionally one owner's, optionally only the open ones. Empty for those who may not see them.")
            .Argument<StringGraphType>("owner", "A member's CBS code or the executing organisation's id.")
            .Argument<BooleanGraphType>("open", "Only those not done yet.")
            .ResolveAsync(async ctx =>
            {
                var owner = ctx.GetArgument<string?>("owner");
                var open = ctx.GetArgument<bool?>("open") == true;
                return (await OfArrangementAsync(ctx, ctx.Source.Id)).SelectMany(Carried)
                    .Where(c => (owner is null || c.Item.Owner == owner) && (!open || !c.Item.Done))
                    .OrderBy(c => c.Item.Due).ThenBy(c => c.ConsultationId, StringComparer.Ordinal).ThenBy(c => c.Item.Number).ToList();
            });
    }

    /// <summary>The arrangement's consultations as each grain lets the caller see them, latest first.</summary>
    internal static async Task<ConsultationSnapshot[]> OfArrangementAsync(IResolveFieldContext ctx, string arrangementId) =>
        [.. (await ArrangementRecords.ListAsync(ctx, arrangementId, EventTypes.ConsultationScheduled, 100, View(ctx))).OrderByDescending(c => c.ScheduledAt)];

    private static Func<string, Task<(CommandResult, ConsultationSnapshot?)>> View(IResolveFieldContext ctx) =>
        async id =>
        {
            var view = await ctx.Grains().GetGrain<IConsultationGrain>(id).ViewAsync();
            return (view.Access, view.Consultation);
        };

    internal static IEnumerable<CarriedActionItem> Carried(ConsultationSnapshot c) => c.ActionItems.Select(a => new CarriedActionItem(c.Id, c.Title, c.ScheduledAt, a));

    private static Task<MutationPayload> OnConsultationAsync(IResolveFieldContext ctx, ConsultationInput input, Func<IConsultationGrain, Task<CommandResult>> run) =>
        ArrangementRecords.ActAsync(ctx, input, TypeName, "consultationId", input.ConsultationId, key => run(ctx.Grains().GetGrain<IConsultationGrain>(key)));
}

public sealed class ConsultationLevelType : EnumerationGraphType<ConsultationLevel>
{
    public ConsultationLevelType()
    {
        Name = "ConsultationLevel";
        Description = "OPERATIONAL (the work itself), TACTICAL (the contract and its agreements), STRATEGIC (policy, the aldermen).";
    }
}

public sealed class ConsultationStatusType : EnumerationGraphType<ConsultationStatus>
{
    public ConsultationStatusType() => Name = "ConsultationStatus";
}

public sealed class ActionItemType : ObjectGraphType<ActionItem>
{
    public ActionItemType()
    {
        Name = "ActionItem";
        Description = "An agreement from a consultation: what, which party does it, by when, and when it was done.";
        Field(x => x.Number);
        Field(x => x.Text);
        Field(x => x.Owner).Description("A member's CBS code or the executing organisation's id.");
        Field<NonNullGraphType<CalendarDateGraphType>>("due").Resolve(ctx => ctx.Source.Due);
        Field<NonNullGraphType<BooleanGraphType>>("done").Resolve(ctx => ctx.Source.Done);
        Field<DateTimeOffsetGraphType>("doneAt").Resolve(ctx => ctx.Source.DoneAt);
        Field<StringGraphType>("doneBy").Resolve(ctx => ctx.Source.DoneBy);
        Field<NonNullGraphType<BooleanGraphType>>("overdue").Description("Not done and its due date has passed (Amsterdam).")
            .Resolve(ctx => ctx.Source.OverdueOn(AmsterdamCalendar.DateOf(DateTimeOffset.UtcNow)));
    }
}

public sealed class CarriedActionItemType : ObjectGraphType<CarriedActionItem>
{
    public CarriedActionItemType()
    {
        Name = "ConsultationActionItem";
        Description = "An action item with the consultation it was agreed in.";
        Field<NonNullGraphType<StringGraphType>>("consultationKey").Resolve(ctx => ctx.Source.ConsultationId);
        Field<NonNullGraphType<StringGraphType>>("consultationTitle").Resolve(ctx => ctx.Source.ConsultationTitle);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("agreedAt").Resolve(ctx => ctx.Source.HeldAt);
        Field<NonNullGraphType<ActionItemType>>("item").Resolve(ctx => ctx.Source.Item);
    }
}

public sealed class ConsultationCapabilitiesType : ObjectGraphType<ConsultationCapabilities>
{
    public ConsultationCapabilitiesType()
    {
        Name = "ConsultationCapabilities";
        Field(x => x.RecordMinutes).Description("Record the minutes (from the meeting's day on, once).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("completeActionItems").Description("The numbers of the action items you may mark done.")
            .Resolve(ctx => ctx.Source.CompleteActionItems);
    }
}

public sealed class ConsultationType : ObjectGraphType<ConsultationSnapshot>
{
    public ConsultationType()
    {
        Name = ConsultationFields.TypeName;
        Description = "A meeting of an arrangement's parties: its agenda, minutes, decisions and action items.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(ConsultationFields.TypeName, ctx.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("arrangementKey").Resolve(ctx => ctx.Source.ArrangementId);
        Field<ArrangementType>("arrangement").ResolveAsync(async ctx => await ctx.ArrangementAsync(ctx.Source.ArrangementId));
        Field<NonNullGraphType<ConsultationLevelType>>("level").Resolve(ctx => ctx.Source.Level);
        Field(x => x.Title);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("scheduledAt").Resolve(ctx => ctx.Source.ScheduledAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("agenda").Resolve(ctx => ctx.Source.Agenda);
        Field<NonNullGraphType<ConsultationStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<StringGraphType>("minutes").Resolve(ctx => ctx.Source.Minutes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("decisions").Resolve(ctx => ctx.Source.Decisions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ActionItemType>>>>("actionItems").Resolve(ctx => ctx.Source.ActionItems);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("parties").Description("Who may own action items: the members and the executing organisation.").Resolve(ctx => ctx.Source.Parties);
        Field(x => x.ScheduledBy);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CarriedActionItemType>>>>("notKept")
            .Description("For its agenda: action items of earlier consultations of the arrangement that were due before this one and are still not done.")
            .ResolveAsync(async ctx =>
            {
                var earlier = await ConsultationFields.OfArrangementAsync(ctx, ctx.Source.ArrangementId);
                return ConsultationRules.NotKept(earlier.Where(c => c.Id != ctx.Source.Id).SelectMany(ConsultationFields.Carried), AmsterdamCalendar.DateOf(ctx.Source.ScheduledAt));
            });
        Field<NonNullGraphType<ConsultationCapabilitiesType>>("viewerCan").Resolve(ctx => ctx.Source.ViewerCan);
    }
}

public sealed class ActionItemInputModel
{
    public string? Text { get; set; }
    public string? Owner { get; set; }
    public DateOnly? Due { get; set; }
}

public sealed class ActionItemInputType : InputObjectGraphType<ActionItemInputModel>
{
    public ActionItemInputType()
    {
        Name = "ActionItemInput";
        Field(x => x.Text, nullable: true).Description($"What is to be done; at most {ConsultationRules.MaxLine} characters.");
        Field(x => x.Owner, nullable: true).Description("Who does it: a member's CBS code or the executing organisation's id (required; a missing one is named as an input error).");
        Field<CalendarDateGraphType>("due").Description("By when; not before the meeting (required).");
    }
}

public sealed class ConsultationInput : MutationInput
{
    public string? ArrangementId { get; set; }
    public string? ConsultationId { get; set; }
    public ConsultationLevel? Level { get; set; }
    public string? Title { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }
    public List<string>? Agenda { get; set; }
    public string? Minutes { get; set; }
    public List<string>? Decisions { get; set; }
    public List<ActionItemInputModel>? ActionItems { get; set; }
    public int? Number { get; set; }
}

public sealed class ScheduleConsultationInputType : MutationInputType<ConsultationInput>
{
    public ScheduleConsultationInputType() : base("ScheduleConsultationInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field<NonNullGraphType<ConsultationLevelType>>("level");
        Field(x => x.Title, nullable: false).Description($"At most {ConsultationRules.MaxTitle} characters.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("scheduledAt").Description("From today on, at most two years ahead.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("agenda").Description($"At most {ConsultationRules.MaxLines} items; the agreements not kept are added by the platform (Consultation.notKept).");
    }
}

public sealed class RecordConsultationMinutesInputType : MutationInputType<ConsultationInput>
{
    public RecordConsultationMinutesInputType() : base("RecordConsultationMinutesInput")
    {
        Field<NonNullGraphType<IdGraphType>>("consultationId");
        Field(x => x.Minutes, nullable: false).Description($"At most {ConsultationRules.MaxMinutes} characters.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("decisions");
        Field<ListGraphType<NonNullGraphType<ActionItemInputType>>>("actionItems");
    }
}

public sealed class CompleteActionItemInputType : MutationInputType<ConsultationInput>
{
    public CompleteActionItemInputType() : base("CompleteActionItemInput")
    {
        Field<NonNullGraphType<IdGraphType>>("consultationId");
        Field<NonNullGraphType<IntGraphType>>("number");
    }
}

public sealed class ConsultationPayloadType : PayloadType
{
    public ConsultationPayloadType() : base("ConsultationPayload")
    {
        Field<ConsultationType>("consultation").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? (await ctx.Grains().GetGrain<IConsultationGrain>(id).ViewAsync()).Consultation : null);
    }
}
