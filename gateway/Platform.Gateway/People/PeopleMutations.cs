using GraphQL;
using GraphQL.Types;
using Platform.Domain.Access;
using Platform.Domain.Organisations;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Organisations;

namespace Platform.Gateway.People;

/// <summary>
/// Organisations and their people. The organisation's grain decides who may do what; the identity server then
/// carries it out on the person's account (invitation mail, role, withdrawal). The gateway only asks "signed in?".
/// </summary>
public static partial class PeopleMutations
{
    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<OrganisationPayloadType>>("registerOrganisation")
            .Description("A platform operator registers an executing organisation; its first admin is invited by mail.")
            .Argument<NonNullGraphType<RegisterOrganisationInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                RequireSignIn(ctx);
                var input = ctx.GetArgument<RegisterOrganisationInput>("input");
                var id = input.Id.Trim();
                return await IdempotentMutation.RunAsync(ctx, input, async _ =>
                {
                    if (!GlobalId.IsUsableKey(id)) return CommandResult.Fail("id", ViolationCodes.InvalidFormat, $"'{input.Id}' is not an organisation id.");
                    var organisation = ctx.Grains().GetGrain<IOrganisationGrain>(id);
                    var registered = await organisation.RegisterAsync(new(input.Name, OrganisationKind.ExecutingOrganisation));
                    if (!registered.Succeeded) return registered;
                    var invited = await InviteAsync(ctx, organisation, id, input.AdminEmail, input.AdminName, Roles.ExecutorAdmin);
                    return invited.Succeeded ? registered : new CommandResult(registered.Id, [.. invited.Errors.Select(e => e with { Field = "admin" + Capitalised(e.Field) })]);
                }, subject: id);
            });

        mutation.Field<NonNullGraphType<PersonPayloadType>>("invitePerson")
            .Description("An organisation's admin invites someone in one of its roles; they get a mail to set their password.")
            .Argument<NonNullGraphType<InvitePersonInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PersonInput>("input");
                return await OnOrganisationAsync(ctx, input, input.OrganisationId,
                    (organisation, key) => InviteAsync(ctx, organisation, key, input.Email, input.Name, input.Role));
            });

        mutation.Field<NonNullGraphType<PersonPayloadType>>("changePersonRole")
            .Description("An organisation's admin gives someone another of its roles; it applies from their next request.")
            .Argument<NonNullGraphType<ChangePersonRoleInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PersonInput>("input");
                return await OnOrganisationAsync(ctx, input, input.OrganisationId, async (organisation, key) =>
                {
                    var changed = await organisation.ChangeRoleAsync(new(input.Email, input.Role));
                    if (!changed.Succeeded) return changed;
                    try
                    {
                        // The organisation is the authority (the gateway reads the role from it); the account follows for new tokens.
                        await Identity(ctx).ChangeRoleAsync(changed.Id!, key, input.Role!, ctx.CancellationToken);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        LogAccountNotUpdated(Logger(ctx), ex, changed.Id!);
                    }
                    return changed;
                });
            });

        mutation.Field<NonNullGraphType<PersonPayloadType>>("removePerson")
            .Description("An organisation's admin removes someone: their tokens are refused at once, their account is locked and its sessions end.")
            .Argument<NonNullGraphType<RemovePersonInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PersonInput>("input");
                return await OnOrganisationAsync(ctx, input, input.OrganisationId, async (organisation, key) =>
                {
                    var removed = await organisation.RemovePersonAsync(input.Email);
                    if (!removed.Succeeded) return removed;
                    try
                    {
                        await Identity(ctx).WithdrawAsync(removed.Id!, key, ctx.CancellationToken);
                        return removed;
                    }
                    catch (IdentityRefusedException refused) when (refused.Status == StatusCodes.Status404NotFound)
                    {
                        return removed; // never accepted the invitation: there is no account to lock
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        return new CommandResult(removed.Id, [new("email", "ACCOUNT_NOT_LOCKED",
                            $"Removed: the platform refuses their tokens already, but the account could not be locked just now ({ex.Message}). Remove them again to retry.")]);
                    }
                });
            });
    }

    /// <summary>The grain decides; then the identity server creates the account and mails the link.</summary>
    public static async Task<CommandResult> InviteAsync(IResolveFieldContext ctx, IOrganisationGrain organisation, string organisationId,
        string? email, string? name, string? role)
    {
        var invited = await organisation.InviteAsync(new(email, name, role));
        if (!invited.Succeeded) return invited;
        var address = invited.Id!;
        try
        {
            await Identity(ctx).InviteAsync(address, name!.Trim(), organisationId, role!, ctx.CancellationToken);
            await organisation.RecordInvitationAsync(address, true, "mailed");
            return invited;
        }
        catch (IdentityRefusedException refused) when (refused.Status == StatusCodes.Status409Conflict)
        {
            await organisation.CancelInvitationAsync(address, refused.Message);
            return CommandResult.Fail("email", ViolationCodes.AlreadyExists, $"{address} has an account already, of another organisation or as a resident; invite another address.");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            await organisation.RecordInvitationAsync(address, false, ex.Message);
            return new CommandResult(address, [new("email", "INVITATION_FAILED", $"Added, but the invitation was not sent: {ex.Message} Invite again to retry.")]);
        }
    }

    /// <summary>An organisation named by its global id or its key (a CBS code or an executing organisation's id); empty when unusable.</summary>
    public static string OrganisationKey(string? id) => GlobalId.KeyOf(OrganisationType.TypeName, id);

    /// <summary>
    /// A mutation on the organisation its input names: signed in (all the gateway asks), run once per idempotency key,
    /// an id that names no organisation answered as NOT_FOUND; what the caller may do there, the organisation's grain decides.
    /// </summary>
    internal static async Task<MutationPayload> OnOrganisationAsync<TInput>(IResolveFieldContext ctx, TInput input, string? organisationId,
        Func<IOrganisationGrain, string, Task<CommandResult>> run)
        where TInput : MutationInput
    {
        RequireSignIn(ctx);
        var key = OrganisationKey(organisationId);
        return await IdempotentMutation.RunAsync(ctx, input, async _ => key.Length == 0
            ? CommandResult.Fail("organisationId", ViolationCodes.NotFound, $"No organisation '{organisationId}' is registered.")
            : await run(ctx.Grains().GetGrain<IOrganisationGrain>(key), key), subject: key);
    }

    private static void RequireSignIn(IResolveFieldContext ctx)
    {
        if (!ctx.Caller().IsAuthenticated) AccessErrors.Enforce(Decision.Unauthenticated("Sign in first to manage organisations and their people."));
    }

    internal static IdentityAdminClient Identity(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<IdentityAdminClient>();

    private static ILogger Logger(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PeopleMutations));

    private static string Capitalised(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];

    [LoggerMessage(Level = LogLevel.Warning, Message = "The role of {Email} changed in the organisation, but not yet on the account")]
    private static partial void LogAccountNotUpdated(ILogger logger, Exception exception, string email);
}
