using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Gateway.People;
using Platform.Grains;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.ReadModel;

namespace Platform.Gateway.Notifications;

/// <summary>
/// Webhooks: an organisation's admin registers an endpoint and the event types it wants; the secret is shown once;
/// each delivery and its attempts are listed with the endpoint, and a delivery can be sent again.
/// </summary>
public static class WebhookFields
{
    /// <summary>Where the registration leaves the secret for its payload: the request's own context, never the idempotency record.</summary>
    public const string SecretKey = "platform.webhook-secret";

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RegisterWebhookPayloadType>>("registerWebhook")
            .Description("An organisation's admin registers an HTTPS endpoint for event types; deliveries are CloudEvents signed the Standard Webhooks way with the secret in this answer (shown once).")
            .Argument<NonNullGraphType<RegisterWebhookInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<WebhookInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId, async (_, key) =>
                {
                    var registered = await ctx.Grains().GetGrain<IWebhookGrain>(key).RegisterAsync(new(input.Url, input.EventTypes));
                    if (registered.Secret is { } secret) ctx.UserContext[SecretKey] = secret;
                    return registered.Result;
                });
            });

        mutation.Field<NonNullGraphType<WebhookPayloadType>>("removeWebhook")
            .Description("Removes an endpoint: nothing more is delivered to it, and its pending deliveries are marked failed.")
            .Argument<NonNullGraphType<WebhookIdInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<WebhookInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId,
                    async (_, key) => await ctx.Grains().GetGrain<IWebhookGrain>(key).RemoveAsync(input.WebhookId));
            });

        mutation.Field<NonNullGraphType<WebhookPayloadType>>("redeliverWebhook")
            .Description("Sends one delivery of the organisation's endpoints again now (after it failed, or when the receiver lost it); its attempts are counted on.")
            .Argument<NonNullGraphType<RedeliverWebhookInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<WebhookInput>("input");
                return await PeopleMutations.OnOrganisationAsync(ctx, input, input.OrganisationId,
                    async (_, key) => await ctx.Grains().GetGrain<IWebhookGrain>(key).RedeliverAsync(input.DeliveryId));
            });
    }

    /// <summary>The organisation's endpoints, for its admins and operators (others are refused, as for its people).</summary>
    public static void AddTo(OrganisationType organisation)
    {
        organisation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookType>>>>("webhooks")
            .Description("Its webhook endpoints and their deliveries (its admins and platform operators only).")
            .ResolveAsync(async ctx =>
            {
                var list = await ctx.Grains().GetGrain<IWebhookGrain>(ctx.Source.Id).ListAsync();
                AccessErrors.ThrowIfRefused(list.Access);
                return list.Webhooks.Select(w => new OrganisationWebhook(ctx.Source.Id, w));
            });
    }
}

public sealed record OrganisationWebhook(string Organisation, Webhook Webhook);

public sealed class WebhookType : ObjectGraphType<OrganisationWebhook>
{
    public WebhookType()
    {
        Name = "Webhook";
        Field<NonNullGraphType<StringGraphType>>("id").Resolve(ctx => ctx.Source.Webhook.Id);
        Field<NonNullGraphType<StringGraphType>>("url").Resolve(ctx => ctx.Source.Webhook.Url);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("eventTypes").Resolve(ctx => ctx.Source.Webhook.EventTypes);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.Webhook.CreatedAt);
        Field<NonNullGraphType<StringGraphType>>("createdBy").Resolve(ctx => ctx.Source.Webhook.CreatedBy);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookDeliveryType>>>>("deliveries")
            .Description("The latest deliveries to this endpoint, newest first.")
            .Argument<IntGraphType>("first", "At most this many (1 to 100, default 20).")
            .ResolveAsync(async ctx =>
            {
                var first = ctx.GetArgument<int?>("first") ?? 20;
                if (first is < 1 or > 100) throw new ExecutionError($"'first' must be between 1 and 100; got {first}.") { Code = "BAD_USER_INPUT" };
                var recipient = $"{ctx.Source.Organisation}/{ctx.Source.Webhook.Id}";
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
                var rows = await db.Deliveries.AsNoTracking().Where(d => d.Channel == NotificationGrain.WebhookChannel && d.Recipient == recipient)
                    .OrderByDescending(d => d.Id).Take(first).ToListAsync(ctx.CancellationToken);
                var ids = rows.Select(r => r.EventId).Distinct().ToList();
                var types = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Type, ctx.CancellationToken);
                return rows.Select(r => new WebhookDelivery(r, types.GetValueOrDefault(r.EventId, "")));
            });
    }
}

public sealed record WebhookDelivery(DeliveryRow Row, string EventType);

public sealed class DeliveryStatusType : EnumerationGraphType<DeliveryStatus>
{
    public DeliveryStatusType() => Name = "DeliveryStatus";
}

public sealed class WebhookDeliveryType : ObjectGraphType<WebhookDelivery>
{
    public WebhookDeliveryType()
    {
        Name = "WebhookDelivery";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("eventId").Resolve(ctx => ctx.Source.Row.EventId);
        Field<NonNullGraphType<StringGraphType>>("eventType").Resolve(ctx => ctx.Source.EventType);
        Field<NonNullGraphType<DeliveryStatusType>>("status").Resolve(ctx => ctx.Source.Row.Status);
        Field<NonNullGraphType<IntGraphType>>("attempts").Resolve(ctx => ctx.Source.Row.Attempts);
        Field<StringGraphType>("lastError").Resolve(ctx => ctx.Source.Row.LastError);
        Field<DateTimeOffsetGraphType>("lastAttemptAt").Resolve(ctx => ctx.Source.Row.LastAttemptAt is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null);
        Field<DateTimeOffsetGraphType>("sentAt").Resolve(ctx => ctx.Source.Row.SentAt is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null);
        Field<DateTimeOffsetGraphType>("nextAttemptAt").Resolve(ctx => ctx.Source.Row.Status == DeliveryStatus.Pending ? DateTimeOffset.FromUnixTimeMilliseconds(ctx.Source.Row.NextAttemptAt) : null);
    }
}

public sealed class WebhookInput : MutationInput
{
    public string? OrganisationId { get; set; }
    public string? Url { get; set; }
    public List<string>? EventTypes { get; set; }
    public string? WebhookId { get; set; }
    public string? DeliveryId { get; set; }
}

public sealed class RegisterWebhookInputType : MutationInputType<WebhookInput>
{
    public RegisterWebhookInputType() : base("RegisterWebhookInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.Url, nullable: false).Description("HTTPS, on a public address.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("eventTypes").Description("E.g. nl.regelingen.complaint.status-changed; the README lists every type.");
    }
}

public sealed class WebhookIdInputType : MutationInputType<WebhookInput>
{
    public WebhookIdInputType() : base("RemoveWebhookInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.WebhookId, nullable: false);
    }
}

public sealed class RedeliverWebhookInputType : MutationInputType<WebhookInput>
{
    public RedeliverWebhookInputType() : base("RedeliverWebhookInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field<NonNullGraphType<IdGraphType>>("deliveryId");
    }
}

public sealed class RegisterWebhookPayloadType : PayloadType
{
    public RegisterWebhookPayloadType() : base("RegisterWebhookPayload")
    {
        Field<WebhookType>("webhook").ResolveAsync(async ctx =>
        {
            if (ctx.Source.Subject is not { } organisation || ctx.Source.Result.Id is not { } id || !ctx.Source.Result.Succeeded) return null;
            var list = await ctx.Grains().GetGrain<IWebhookGrain>(organisation).ListAsync();
            return list.Webhooks.FirstOrDefault(w => w.Id == id) is { } webhook ? new OrganisationWebhook(organisation, webhook) : null;
        });
        Field<StringGraphType>("secret")
            .Description("The signing secret (whsec_…), in the answer to the request that made it only (a replay answers null).")
            .Resolve(ctx => ctx.UserContext.TryGetValue(WebhookFields.SecretKey, out var s) ? s as string : null);
    }
}

public sealed class WebhookPayloadType : PayloadType
{
    public WebhookPayloadType() : base("WebhookPayload")
    {
        Field<NonNullGraphType<BooleanGraphType>>("done").Resolve(ctx => ctx.Source.Result.Succeeded);
    }
}
