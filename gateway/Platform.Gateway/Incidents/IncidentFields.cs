using GraphQL;
using GraphQL.Types;
using Platform.Domain.Events;
using Platform.Domain.Incidents;
using Platform.Domain.Validation;
using Platform.Gateway.Arrangements;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Incidents;

namespace Platform.Gateway.Incidents;

/// <summary>
/// Incidents and their escalation: reported, raised a step (or to the aldermen at once when political), decided per
/// level; the grain moves an undecided level up by itself at its deadline and decides who may see and do what.
/// </summary>
public static class IncidentFields
{
    public const string TypeName = "Incident";

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<IncidentPayloadType>>("reportIncident")
            .Description("The executing organisation's staff or a member's contract manager reports an incident (the salt ran out). It starts at operations, or with the aldermen's committee when it is political.")
            .Argument<NonNullGraphType<ReportIncidentInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<IncidentInput>("input");
                return await ArrangementRecords.CreateAsync(ctx, input, input.ArrangementId, (arrangement, reservedId) =>
                    ctx.Grains().GetGrain<IIncidentGrain>($"inc-{reservedId}").ReportAsync(new(arrangement, input.Title, input.Description, input.Political)));
            });

        mutation.Field<NonNullGraphType<IncidentPayloadType>>("raiseIncident")
            .Description("Moves an incident up one level (operations, contract managers, aldermen's committee), with a note; marked political it goes to the aldermen at once. A raise that skips a level is refused (SKIPS_A_STEP).")
            .Argument<NonNullGraphType<RaiseIncidentInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<IncidentInput>("input");
                return await OnIncidentAsync(ctx, input, grain => grain.RaiseAsync(input.To ?? EscalationLevel.Operations, input.Note, input.Political));
            });

        mutation.Field<NonNullGraphType<IncidentPayloadType>>("decideIncident")
            .Description("The current level records its decision, once; resolves: true closes the incident. Operations decide as the executing organisation's staff, then the members' contract managers, then their aldermen.")
            .Argument<NonNullGraphType<DecideIncidentInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<IncidentInput>("input");
                return await OnIncidentAsync(ctx, input, grain => grain.DecideAsync(input.Decision, input.Resolves));
            });
    }

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<IncidentType>("incident")
            .Description("An incident, for the people of its executing organisation and members (others are refused); null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await ArrangementRecords.OneAsync(GlobalId.KeyOf(TypeName, ctx.GetArgument<string>("id")), View(ctx)));
    }

    /// <summary>The arrangement's incidents, newest first, each as its grain lets the caller see it (the others left out).</summary>
    public static void AddTo(ArrangementType arrangement)
    {
        arrangement.Field<NonNullGraphType<ListGraphType<NonNullGraphType<IncidentType>>>>("incidents")
            .Description("Its incidents, newest first (at most 100), for the people of its executing organisation and members; empty for everyone else.")
            .ResolveAsync(async ctx => await ArrangementRecords.ListAsync(ctx, ctx.Source.Id, EventTypes.IncidentReported, 100, View(ctx)));
    }

    private static Func<string, Task<(CommandResult, IncidentSnapshot?)>> View(IResolveFieldContext ctx) =>
        async id =>
        {
            var view = await ctx.Grains().GetGrain<IIncidentGrain>(id).ViewAsync();
            return (view.Access, view.Incident);
        };

    /// <summary>A missing incident is a user error; what the caller may do with it, the grain decides.</summary>
    private static Task<MutationPayload> OnIncidentAsync(IResolveFieldContext ctx, IncidentInput input, Func<IIncidentGrain, Task<CommandResult>> run) =>
        ArrangementRecords.ActAsync(ctx, input, TypeName, "incidentId", input.IncidentId, key => run(ctx.Grains().GetGrain<IIncidentGrain>(key)));
}

public sealed class EscalationLevelType : EnumerationGraphType<EscalationLevel>
{
    public EscalationLevelType()
    {
        Name = "EscalationLevel";
        Description = "Where an incident is handled: OPERATIONS (the executing organisation), CONTRACT_MANAGERS (the members'), ALDERMEN_COMMITTEE (the members' aldermen).";
    }
}

public sealed class EscalationReasonType : EnumerationGraphType<EscalationReason>
{
    public EscalationReasonType() => Name = "EscalationReason";
}

public sealed class IncidentStatusType : EnumerationGraphType<IncidentStatus>
{
    public IncidentStatusType() => Name = "IncidentStatus";
}

public sealed class EscalationStepType : ObjectGraphType<EscalationStep>
{
    public EscalationStepType()
    {
        Name = "EscalationStep";
        Description = "A level the incident reached: when and why, until when it had to decide, and what it decided.";
        Field<NonNullGraphType<EscalationLevelType>>("level").Resolve(ctx => ctx.Source.Level);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("enteredAt").Resolve(ctx => ctx.Source.EnteredAt);
        Field<NonNullGraphType<EscalationReasonType>>("reason").Resolve(ctx => ctx.Source.Reason);
        Field<NonNullGraphType<StringGraphType>>("by").Description("Who brought it here (system:escalation when a deadline passed).").Resolve(ctx => ctx.Source.By);
        Field<StringGraphType>("note").Resolve(ctx => ctx.Source.Note);
        Field<DateTimeOffsetGraphType>("decideBy").Description("After this moment an undecided level moves up by itself; null at the top.").Resolve(ctx => ctx.Source.DecideBy);
        Field<StringGraphType>("decision").Resolve(ctx => ctx.Source.Decision);
        Field<StringGraphType>("decidedBy").Resolve(ctx => ctx.Source.DecidedBy);
        Field<DateTimeOffsetGraphType>("decidedAt").Resolve(ctx => ctx.Source.DecidedAt);
    }
}

public sealed class IncidentCapabilitiesType : ObjectGraphType<IncidentCapabilities>
{
    public IncidentCapabilitiesType()
    {
        Name = "IncidentCapabilities";
        Field(x => x.Decide).Description("Record the current level's decision.");
        Field(x => x.Raise).Description("Move it up a level.");
    }
}

public sealed class IncidentType : ObjectGraphType<IncidentSnapshot>
{
    public IncidentType()
    {
        Name = IncidentFields.TypeName;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(IncidentFields.TypeName, ctx.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("arrangementKey").Resolve(ctx => ctx.Source.ArrangementId);
        Field<ArrangementType>("arrangement").ResolveAsync(async ctx => await ctx.ArrangementAsync(ctx.Source.ArrangementId));
        Field(x => x.Title);
        Field(x => x.Description);
        Field(x => x.Political);
        Field<NonNullGraphType<IncidentStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<EscalationLevelType>>("level").Resolve(ctx => ctx.Source.Level);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EscalationStepType>>>>("steps").Resolve(ctx => ctx.Source.Steps);
        Field(x => x.ReportedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("reportedAt").Resolve(ctx => ctx.Source.ReportedAt);
        Field<NonNullGraphType<IncidentCapabilitiesType>>("viewerCan").Resolve(ctx => ctx.Source.ViewerCan);
    }
}

public sealed class IncidentInput : MutationInput
{
    public string? ArrangementId { get; set; }
    public string? IncidentId { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public bool Political { get; set; }
    public EscalationLevel? To { get; set; }
    public string? Note { get; set; }
    public string? Decision { get; set; }
    public bool Resolves { get; set; }
}

public sealed class ReportIncidentInputType : MutationInputType<IncidentInput>
{
    public ReportIncidentInputType() : base("ReportIncidentInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.Title, nullable: false).Description($"At most {Escalation.MaxTitle} characters.");
        Field(x => x.Description, nullable: false).Description($"At most {Escalation.MaxText} characters.");
        Field(x => x.Political, nullable: true).Description("True brings the aldermen in at once.");
    }
}

public sealed class RaiseIncidentInputType : MutationInputType<IncidentInput>
{
    public RaiseIncidentInputType() : base("RaiseIncidentInput")
    {
        Field<NonNullGraphType<IdGraphType>>("incidentId");
        Field<NonNullGraphType<EscalationLevelType>>("to").Description("The next level up; ALDERMEN_COMMITTEE from anywhere only with political: true.");
        Field(x => x.Note, nullable: false).Description("Why it goes up.");
        Field(x => x.Political, nullable: true).Description("Marks the incident political.");
    }
}

public sealed class DecideIncidentInputType : MutationInputType<IncidentInput>
{
    public DecideIncidentInputType() : base("DecideIncidentInput")
    {
        Field<NonNullGraphType<IdGraphType>>("incidentId");
        Field(x => x.Decision, nullable: false).Description($"At most {Escalation.MaxText} characters.");
        Field(x => x.Resolves, nullable: true).Description("True closes the incident.");
    }
}

public sealed class IncidentPayloadType : PayloadType
{
    public IncidentPayloadType() : base("IncidentPayload")
    {
        Field<IncidentType>("incident").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? (await ctx.Grains().GetGrain<IIncidentGrain>(id).ViewAsync()).Incident : null);
    }
}
