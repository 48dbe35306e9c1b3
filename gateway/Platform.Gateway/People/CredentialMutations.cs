using GraphQL;
using GraphQL.Types;
using Platform.Domain.Validation;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Organisations;

namespace Platform.Gateway.People;

/// <summary>
/// An organisation's own credentials: partner clients (client credentials at the identity server) and Open311
/// API keys. The organisation's grain decides and keeps the list; secrets are shown once, in the answer to the
/// request that made them, and never stored by the gateway (an idempotent replay answers without them).
/// </summary>
public static class CredentialMutations
{
    /// <summary>Where a mutation leaves a secret for its payload: the request's own context, not the idempotency record.</summary>
    public const string SecretKey = "platform.secret";

    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PartnerClientPayloadType>>("createPartnerClient")
            .Description("An organisation's admin creates a partner client for its own systems, with scopes the organisation may give; the secret is shown once.")
            .Argument<NonNullGraphType<CreatePartnerClientInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PartnerClientInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId, async (organisation, key) =>
                {
                    var added = await organisation.AddClientAsync(new(input.Name, input.Scopes));
                    if (!added.Succeeded) return added;
                    try
                    {
                        var secret = await Identity(ctx).CreateClientAsync(added.Id!, key, input.Name!.Trim(), [.. input.Scopes!.Distinct()], ctx.CancellationToken);
                        await organisation.RecordClientAsync(added.Id!, true, "created");
                        ctx.UserContext[SecretKey] = secret;
                        return added;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        await organisation.RecordClientAsync(added.Id!, false, ex.Message);
                        return CommandResult.Fail("clientId", "CLIENT_NOT_CREATED", $"The client was not created: {ex.Message} Try again.");
                    }
                });
            });

        mutation.Field<NonNullGraphType<PartnerClientPayloadType>>("rotatePartnerClientSecret")
            .Description("A new secret for one of the organisation's clients; the previous one keeps working for the overlap (default 24 hours, at most 7 days).")
            .Argument<NonNullGraphType<RotatePartnerClientInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PartnerClientInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId, async (organisation, key) =>
                {
                    var allowed = await organisation.ChangeClientAsync(input.ClientId, ClientChange.Rotate);
                    if (!allowed.Succeeded) return allowed;
                    if (input.OverlapHours is < 0 or > 168)
                    {
                        return CommandResult.Fail("overlapHours", ViolationCodes.OutOfRange, "The overlap is 0 to 168 hours (7 days).");
                    }
                    ctx.UserContext[SecretKey] = await Identity(ctx).RotateClientAsync(allowed.Id!, key, input.OverlapHours ?? 24, ctx.CancellationToken);
                    return allowed;
                });
            });

        mutation.Field<NonNullGraphType<PartnerClientPayloadType>>("revokePartnerClient")
            .Description("Revokes one of the organisation's clients: its tokens stop working at once and it gets no new ones.")
            .Argument<NonNullGraphType<RevokePartnerClientInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PartnerClientInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId, async (organisation, key) =>
                {
                    var revoked = await organisation.ChangeClientAsync(input.ClientId, ClientChange.Revoke);
                    if (!revoked.Succeeded) return revoked;
                    try
                    {
                        await Identity(ctx).RevokeClientAsync(revoked.Id!, key, ctx.CancellationToken);
                        return revoked;
                    }
                    catch (IdentityRefusedException refused) when (refused.Status == StatusCodes.Status404NotFound)
                    {
                        return revoked; // gone at the identity server already
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        return new CommandResult(revoked.Id, [new("clientId", "CLIENT_NOT_DELETED",
                            $"Revoked: the platform refuses its tokens already, but the identity server could not delete it just now ({ex.Message}). Revoke it again to retry.")]);
                    }
                });
            });

        mutation.Field<NonNullGraphType<Open311KeyPayloadType>>("createOpen311Key")
            .Description("A municipality's admin issues an Open311 API key for a civic-reporting app; it files only in that municipality. Shown once.")
            .Argument<NonNullGraphType<CreateOpen311KeyInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PartnerClientInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId, async (organisation, _) =>
                {
                    // The key goes to the caller once; the organisation records only its hash.
                    var apiKey = Platform.Domain.Organisations.Open311KeyText.New();
                    var added = await organisation.AddOpen311KeyAsync(
                        new(input.Name, Platform.Domain.Organisations.Open311KeyText.Hash(apiKey), Platform.Domain.Organisations.Open311KeyText.Prefix(apiKey)));
                    if (added.Succeeded) ctx.UserContext[SecretKey] = apiKey;
                    return added;
                });
            });

        mutation.Field<NonNullGraphType<Open311KeyPayloadType>>("revokeOpen311Key")
            .Description("Revokes an Open311 API key: requests with it are refused from now on.")
            .Argument<NonNullGraphType<RevokeOpen311KeyInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PartnerClientInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId,
                    (organisation, _) => organisation.RevokeOpen311KeyAsync(input.KeyId));
            });
    }

    private static IdentityAdminClient Identity(IResolveFieldContext ctx) => PeopleMutations.Identity(ctx);
}

public sealed class PartnerClientInput : MutationInput
{
    public string OrganisationId { get; set; } = "";
    public string? Name { get; set; }
    public List<string>? Scopes { get; set; }
    public string? ClientId { get; set; }
    public double? OverlapHours { get; set; }
    public string? KeyId { get; set; }
}

public sealed class CreatePartnerClientInputType : MutationInputType<PartnerClientInput>
{
    public CreatePartnerClientInputType() : base("CreatePartnerClientInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.Name, nullable: false);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes").Description("From the organisation's viewerCan.grantableScopes.");
    }
}

public sealed class RotatePartnerClientInputType : MutationInputType<PartnerClientInput>
{
    public RotatePartnerClientInputType() : base("RotatePartnerClientSecretInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.ClientId, nullable: false);
        Field(x => x.OverlapHours, nullable: true).Description("How long the previous secret keeps working: 0 to 168 hours, default 24.");
    }
}

public sealed class RevokePartnerClientInputType : MutationInputType<PartnerClientInput>
{
    public RevokePartnerClientInputType() : base("RevokePartnerClientInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.ClientId, nullable: false);
    }
}

public sealed class CreateOpen311KeyInputType : MutationInputType<PartnerClientInput>
{
    public CreateOpen311KeyInputType() : base("CreateOpen311KeyInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.Name, nullable: false).Description("Which app or partner the key is for.");
    }
}

public sealed class RevokeOpen311KeyInputType : MutationInputType<PartnerClientInput>
{
    public RevokeOpen311KeyInputType() : base("RevokeOpen311KeyInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.KeyId, nullable: false);
    }
}
