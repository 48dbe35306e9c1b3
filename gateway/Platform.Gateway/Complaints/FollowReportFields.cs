using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Complaints;
using Platform.Grains.Notifications;
using Platform.ReadModel;

namespace Platform.Gateway.Complaints;

/// <summary>
/// Following a report someone else filed: a resident who finds their problem already reported nearby follows that
/// report instead of filing it again, and is mailed each change of its status (<c>followed-reports</c>). The rules
/// are the report's own (<see cref="Platform.Domain.Complaints.PublicReports.FollowProblem"/>).
/// </summary>
public static class FollowReportFields
{
    public const string Following = "following";
    public const string NotFollowing = "not-following";

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PublicReportType>>>>("followedReports")
            .Description("The reports someone else filed that you follow, newest first, as the public sees them (closed ones for 90 days); empty when not signed in.")
            .ResolveAsync(async ctx =>
            {
                IReadOnlyList<PublicReport> none = [];
                if (ctx.Caller() is not { Kind: CallerKind.User, Organisation: { } municipality } caller) return none;
                var ids = await ctx.Grains().GetGrain<IPersonSettingsGrain>(caller.Subject.ToLowerInvariant()).FollowedAsync();
                if (ids.Count == 0) return none;
                var services = ctx.RequestServices!;
                await using var store = await services.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
                return await PublicReportQueries.FindAsync(store, ctx.Grains(), new(municipality, Ids: ids, Limit: ids.Count),
                    services.GetRequiredService<TimeProvider>().GetUtcNow(), ctx.CancellationToken);
            });
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        Add(mutation, "followReport", true,
            "Follow a public report someone else filed in your municipality, while it is open: each change of its status is mailed to you (followed-reports), without the staff's note. Again, it changes nothing.");
        Add(mutation, "unfollowReport", false, "Stop following a report; again, it changes nothing.");
    }

    private static void Add(ObjectGraphType mutation, string name, bool follow, string description) =>
        mutation.Field<NonNullGraphType<FollowReportPayloadType>>(name)
            .Description(description)
            .Argument<NonNullGraphType<FollowReportInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                MutationType.RequireSignIn(ctx);
                var input = ctx.GetArgument<FollowReportInput>("input");
                var key = GlobalId.KeyOf(ComplaintType.TypeName, input.ComplaintId);
                var known = await ctx.RequestServices!.GetRequiredService<KnownComplaints>().MayExistAsync(key, ctx.CancellationToken);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => known
                    ? await ctx.Grains().GetGrain<IComplaintGrain>(key).FollowReportAsync(follow)
                    : CommandResult.Fail([Platform.Domain.Complaints.PublicReports.NotFollowable(key)]), follow ? Following : NotFollowing);
            });
}

public sealed class FollowReportInput : MutationInput
{
    public string ComplaintId { get; set; } = "";
}

public sealed class FollowReportInputType : MutationInputType<FollowReportInput>
{
    public FollowReportInputType() : base("FollowReportInput")
    {
        Field<NonNullGraphType<IdGraphType>>("complaintId").Description("The report's key (publicReports' key) or its global id.");
    }
}

public sealed class FollowReportPayloadType : PayloadType
{
    public FollowReportPayloadType() : base("FollowReportPayload")
    {
        Field<NonNullGraphType<BooleanGraphType>>("following")
            .Description("True once you follow it; false after unfollowReport, or when following was refused (see userErrors).")
            .Resolve(ctx => ctx.Source.Result.Succeeded && ctx.Source.Subject == FollowReportFields.Following);
    }
}
