using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Complaints;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.ReadModel;

namespace Platform.Gateway.People;

/// <summary>
/// A resident closes their own account: their complaints stay (the executing organisation still has work to do and
/// the figures stay true) without their address or name, the account is deleted at the identity server, and its
/// tokens are refused from the next request.
/// </summary>
public static class AccountMutations
{
    public const int MaxComplaints = 10_000;

    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CloseAccountPayloadType>>("closeMyAccount")
            .Description("A resident closes their account: complaints anonymised, the account deleted, its tokens refused. Staff are removed by their organisation instead.")
            .Argument<NonNullGraphType<CloseAccountInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                MutationType.RequireSignIn(ctx);
                var input = ctx.GetArgument<CloseAccountInput>("input");
                var caller = ctx.Caller();
                return await IdempotentMutation.RunAsync(ctx, input, async _ =>
                {
                    if (!input.Confirm) return CommandResult.Fail("confirm", ViolationCodes.Required, "Confirm that the account is to be closed: this cannot be undone.");
                    // The same rule the municipality's grain applies when it records the closing, checked before anything changes.
                    var allowed = ViewerCapabilities.CloseAccount(caller);
                    if (!allowed.Allowed) return CommandResult.Refused(allowed);

                    var subject = caller.Subject.ToLowerInvariant();
                    await using var store = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
                    var mine = await store.Complaints.AsNoTracking().Where(r => r.AuthorSubject == subject).Select(r => r.Id).Take(MaxComplaints).ToListAsync(ctx.CancellationToken);
                    var anonymised = 0;
                    foreach (var id in mine)
                    {
                        if ((await ctx.Grains().GetGrain<IComplaintGrain>(id).AnonymiseAuthorAsync()).Succeeded) anonymised++;
                    }
                    // Reports they follow: their address leaves each, so no mail reaches a closed account.
                    foreach (var id in await ctx.Grains().GetGrain<IPersonSettingsGrain>(subject).FollowedAsync())
                    {
                        await ctx.Grains().GetGrain<IComplaintGrain>(id).FollowReportAsync(false);
                    }
                    try
                    {
                        await ctx.RequestServices!.GetRequiredService<IdentityAdminClient>().DeleteAccountAsync(caller.Subject, caller.Organisation!, ctx.CancellationToken);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        // Nothing is lost: the complaints are anonymised (again, harmlessly, on a retry) and the account stays until it is deleted.
                        return CommandResult.Fail("account", ViolationCodes.InProgress,
                            $"The account could not be deleted just now ({ex.Message}); your complaints no longer carry your details. Try again in a minute.");
                    }
                    var closed = await ctx.Grains().GetGrain<IOrganisationGrain>(caller.Organisation!).CloseAccountAsync();
                    return closed.Succeeded ? CommandResult.Ok(anonymised.ToString(System.Globalization.CultureInfo.InvariantCulture)) : closed;
                });
            });
    }
}

public sealed class CloseAccountInput : MutationInput
{
    public bool Confirm { get; set; }
}

public sealed class CloseAccountInputType : MutationInputType<CloseAccountInput>
{
    public CloseAccountInputType() : base("CloseAccountInput")
    {
        Field(x => x.Confirm).Description("Must be true: closing cannot be undone.");
    }
}

public sealed class CloseAccountPayloadType : PayloadType
{
    public CloseAccountPayloadType() : base("CloseAccountPayload")
    {
        Field<NonNullGraphType<BooleanGraphType>>("closed").Resolve(ctx => ctx.Source.Result.Succeeded);
        Field<NonNullGraphType<IntGraphType>>("anonymisedComplaints")
            .Description("Your complaints that stay, without your details.")
            .Resolve(ctx => ctx.Source.Result.Succeeded && int.TryParse(ctx.Source.Result.Id, out var n) ? n : 0);
    }
}
