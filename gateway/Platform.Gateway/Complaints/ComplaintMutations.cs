using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Complaints;

namespace Platform.Gateway.Complaints;

/// <summary>
/// Filing and moving complaints. A signed-in resident files as themselves; a resident without an account files
/// with their address, and the complaint is filed once they open the link mailed to them, which then follows it.
/// </summary>
public static class ComplaintMutations
{
    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ComplaintPayloadType>>("fileComplaint")
            .Description("A signed-in resident files a complaint about a service of an arrangement their municipality is a member of. " +
                "Without an account, give reporter.email and municipalityCode: a link to confirm (and then follow) the complaint is mailed, and it is filed once opened.")
            .Argument<NonNullGraphType<FileComplaintInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<FileComplaintInput>("input");
                var location = input.Location is { } l ? new Location(l.Latitude, l.Longitude, l.Address) : null;
                var arrangement = GlobalId.KeyOf(ArrangementType.TypeName, input.ArrangementId);
                if (!ctx.Caller().IsAuthenticated && (input.Reporter is not null || input.MunicipalityCode is not null))
                {
                    var filing = new FileComplaint(arrangement, input.ServiceCode, input.Description, location, new Reporter(input.Reporter?.Name, input.Reporter?.Email, null));
                    return await IdempotentMutation.RunAsync(ctx, input, async _ =>
                    {
                        var token = FollowLinks.NewToken();
                        var webApp = ctx.RequestServices!.GetRequiredService<IOptions<GatewaySettings>>().Value.WebAppUrl;
                        return await ctx.Grains().GetGrain<IComplaintDraftGrain>(FollowLinks.KeyOf(token)!)
                            .SubmitAsync(new(filing, input.MunicipalityCode, input.Reporter?.Email, FollowLinks.Link(webApp, token).ToString()));
                    }, subject: ComplaintPayloadType.AwaitingConfirmation);
                }
                MutationType.RequireSignIn(ctx);
                return await IdempotentMutation.RunAsync(ctx, input, async reservedId =>
                    await ctx.Grains().GetGrain<IComplaintGrain>($"c-{reservedId}").FileAsync(new(arrangement, input.ServiceCode, input.Description, location)));
            });

        mutation.Field<NonNullGraphType<FollowedComplaintPayloadType>>("confirmComplaint")
            .Description("Files a complaint made without an account, from the secret in the link mailed to its author; again, it answers the same complaint.")
            .Argument<NonNullGraphType<ConfirmComplaintInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ConfirmComplaintInput>("input");
                var key = FollowLinks.KeyOf(input.FollowToken);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => key is null
                    ? UnknownLink()
                    : await ctx.Grains().GetGrain<IComplaintDraftGrain>(key).ConfirmAsync(), subject: key);
            });

        mutation.Field<NonNullGraphType<ComplaintPayloadType>>("transitionComplaint")
            .Description("Moves a complaint one step in its workflow; who may take which step follows from how the caller relates to it. " +
                "An author without an account takes their steps with followToken.")
            .Argument<NonNullGraphType<TransitionComplaintInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<TransitionComplaintInput>("input");
                var key = GlobalId.KeyOf(ComplaintType.TypeName, input.ComplaintId);
                var duplicateOf = input.DuplicateOf is null ? null : GlobalId.KeyOf(ComplaintType.TypeName, input.DuplicateOf);
                var transition = new ComplaintTransition(input.Action, input.Note, input.Reason, input.Referral, duplicateOf);
                if (input.FollowToken is not null && !ctx.Caller().IsAuthenticated)
                {
                    var draft = FollowLinks.KeyOf(input.FollowToken) is { } draftKey ? ctx.Grains().GetGrain<IComplaintDraftGrain>(draftKey) : null;
                    return await IdempotentMutation.RunAsync(ctx, input, async _ =>
                        draft is not null && (await draft.FollowAsync())?.Id == key ? await draft.ActAsync(transition) : NotVisible(input.ComplaintId));
                }
                MutationType.RequireSignIn(ctx);
                var known = await ctx.RequestServices!.GetRequiredService<KnownComplaints>().MayExistAsync(key, ctx.CancellationToken);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => known
                    ? await ctx.Grains().GetGrain<IComplaintGrain>(key).TransitionAsync(transition)
                    : NotVisible(input.ComplaintId));
            });
    }

    /// <summary>The complaint behind a follow link, as its author sees it; null for an unknown or unconfirmed link.</summary>
    public static async Task<ComplaintSnapshot?> FollowAsync(IResolveFieldContext ctx, string? token) =>
        FollowLinks.KeyOf(token) is { } key ? await ctx.Grains().GetGrain<IComplaintDraftGrain>(key).FollowAsync() : null;

    private static CommandResult UnknownLink() =>
        CommandResult.Fail("followToken", ViolationCodes.NotFound, "This link is not known: open the link from the mail in full, or file the complaint again.");

    private static CommandResult NotVisible(string? id) =>
        CommandResult.Fail("complaintId", ViolationCodes.NotFound, $"No complaint '{id}' is visible to you.");
}

/// <summary>What confirming a complaint by its link answers: the complaint as its author sees it.</summary>
public sealed class FollowedComplaintPayloadType : PayloadType
{
    public FollowedComplaintPayloadType() : base("FollowedComplaintPayload")
    {
        Field<ComplaintType>("complaint").ResolveAsync(async ctx =>
            ctx.Source.Result.Succeeded && ctx.Source.Subject is { } key ? await ctx.Grains().GetGrain<IComplaintDraftGrain>(key).FollowAsync() : null);
    }
}
