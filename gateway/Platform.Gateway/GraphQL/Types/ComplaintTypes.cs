using GraphQL.Types;
using Platform.Domain.Complaints;
using Platform.Domain.ServiceLevels;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;

namespace Platform.Gateway.GraphQL.Types;

public sealed class ComplaintStatusType : EnumerationGraphType<ComplaintStatus>
{
    public ComplaintStatusType() => Name = "ComplaintStatus";
}

public sealed class ComplaintActionType : EnumerationGraphType<ComplaintAction>
{
    public ComplaintActionType() => Name = "ComplaintAction";
}

public sealed class ComplaintRoleType : EnumerationGraphType<ComplaintRole>
{
    public ComplaintRoleType() => Name = "ComplaintRole";
}

public sealed class LocationType : ObjectGraphType<Location>
{
    public LocationType()
    {
        Name = "Location";
        Field(x => x.Latitude, nullable: true);
        Field(x => x.Longitude, nullable: true);
        Field(x => x.Address, nullable: true);
    }
}

public sealed class ReporterType : ObjectGraphType<Reporter>
{
    public ReporterType()
    {
        Name = "Reporter";
        Description = "The contact a partner system passed on for the person who reported (e.g. through Open311); the complaint's author is the partner.";
        Field(x => x.Name, nullable: true);
        Field(x => x.Email, nullable: true);
        Field(x => x.Phone, nullable: true);
    }
}

public sealed class ComplaintType : ObjectGraphType<ComplaintSnapshot>
{
    public const string TypeName = "Complaint";

    public ComplaintType()
    {
        Name = TypeName;
        Description = "A citizen's complaint. Visible to its author, the author's municipality and the executing organisation only.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is ComplaintSnapshot;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(TypeName, ctx.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<ComplaintStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field(x => x.Description);
        Field<NonNullGraphType<LocationType>>("location").Resolve(ctx => ctx.Source.Location);
        Field<ReporterType>("reporter").Description("Filed by a partner for someone: their contact, as passed on.").Resolve(ctx => ctx.Source.Reporter);
        Field<ArrangementType>("arrangement").ResolveAsync(async ctx => await ctx.ArrangementAsync(ctx.Source.ArrangementId));
        Field(x => x.ServiceCode);
        Field(x => x.Municipality).Description("The author's municipality, which stays accountable.");
        Field<Platform.Gateway.People.OrganisationType>("executingOrganisation").Description("The organisation that handles it.")
            .ResolveAsync(async ctx => ctx.Source.ExecutingOrganisation is { } id ? await ArrangementType.ExecutorAsync(ctx.Grains(), id, id) : null);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("filedAt").Resolve(ctx => ctx.Source.FiledAt);
        Field<NonNullGraphType<CalendarDateGraphType>>("acknowledgeBy").Resolve(ctx => ctx.Source.AcknowledgeBy);
        Field<NonNullGraphType<CalendarDateGraphType>>("resolveBy").Resolve(ctx => ctx.Source.ResolveBy);
        Field<NonNullGraphType<BooleanGraphType>>("acknowledgeOverdue")
            .Description("Not acknowledged and the acknowledge-by date has passed.")
            .Resolve(ctx => ctx.Source.AcknowledgedAt is null && ServiceLevelClock.IsOverdue(ctx.Source.AcknowledgeBy, ctx.Time().GetUtcNow()));
        Field<NonNullGraphType<BooleanGraphType>>("resolveOverdue")
            .Description("Not resolved and the resolve-by date has passed.")
            .Resolve(ctx => ctx.Source.ResolvedAt is null && ctx.Source.Status is not (ComplaintStatus.Rejected or ComplaintStatus.Duplicate)
                && ServiceLevelClock.IsOverdue(ctx.Source.ResolveBy, ctx.Time().GetUtcNow()));
        Field<DateTimeOffsetGraphType>("acknowledgeOverdueSince").Description("When the service-level check marked it overdue for acknowledgement.").Resolve(ctx => ctx.Source.AcknowledgeOverdueSince);
        Field<DateTimeOffsetGraphType>("resolveOverdueSince").Description("When the service-level check marked it overdue for resolution.").Resolve(ctx => ctx.Source.ResolveOverdueSince);
        Field(x => x.Reason, nullable: true).Description("Why it was rejected.");
        Field(x => x.Referral, nullable: true).Description("Where the citizen should go instead.");
        Field(x => x.DuplicateOf, nullable: true);
        Field<NonNullGraphType<ComplaintRoleType>>("viewerRole").Description("How you relate to this complaint.").Resolve(ctx => ctx.Source.ViewerRole);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ComplaintActionType>>>>("allowedActions")
            .Description("The steps you may take now.").Resolve(ctx => ctx.Source.AllowedActions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PhotoType>>>>("photos").Resolve(ctx => ctx.Source.Photos);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HistoryEntryType>>>>("history").Resolve(ctx => ctx.Source.History);
    }
}

public sealed class PhotoType : ObjectGraphType<Photo>
{
    public PhotoType()
    {
        Name = "Photo";
        Field(x => x.Id);
        Field(x => x.ContentType);
        Field(x => x.Size);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("uploadedAt").Resolve(ctx => ctx.Source.UploadedAt);
        Field<StringGraphType>("url")
            .Description("A read-only link valid for five minutes; ask again for a fresh one. Null where photo storage is not configured.")
            .Resolve(ctx => ctx.RequestServices!.GetService<Platform.Gateway.Complaints.PhotoStore>()?.ReadLink(ctx.Source.Container, ctx.Source.BlobName).ToString());
    }
}

public sealed class ComplaintPayloadType : PayloadType
{
    /// <summary>The subject of a filing without an account: nothing is filed until the mailed link is opened.</summary>
    public const string AwaitingConfirmation = "awaiting-confirmation";

    public ComplaintPayloadType() : base("ComplaintPayload")
    {
        Field<ComplaintType>("complaint").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id && ctx.Source.Subject != AwaitingConfirmation ? await ctx.Grains().GetGrain<IComplaintGrain>(id).GetAsync() : null);
        Field<NonNullGraphType<BooleanGraphType>>("confirmationMailed")
            .Description("Filed without an account: a link to confirm the complaint was mailed; it is filed once that link is opened.")
            .Resolve(ctx => ctx.Source.Subject == AwaitingConfirmation && ctx.Source.Result.Succeeded);
    }
}
