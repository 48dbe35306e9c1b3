using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Domain.Access;
using Platform.Domain.Events;
using Platform.Domain.Organisations;
using Platform.Domain.Validation;
using Platform.Grains.Organisations;
using Platform.ReadModel;

namespace Platform.Grains.Notifications;

[GenerateSerializer]
public sealed class WebhookEndpoint
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string Url { get; set; } = "";
    [Id(2)] public List<string> EventTypes { get; set; } = [];
    /// <summary>The signing secret in Standard Webhooks form (<c>whsec_</c> and 32 random bytes in base64).</summary>
    [Id(3)] public string Secret { get; set; } = "";
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public string CreatedBy { get; set; } = "";
}

[GenerateSerializer]
public sealed class WebhookState
{
    [Id(0)] public List<WebhookEndpoint> Endpoints { get; set; } = [];
    [Id(1)] public List<HistoryEntry> History { get; set; } = [];
}

public sealed class WebhookGrain(
    [PersistentState("webhooks", StorageNames.Grains)] IPersistentState<WebhookState> state,
    IOptions<NotificationSettings> settings,
    IDbContextFactory<ComplaintListStore> store,
    TimeProvider time) : Grain, IWebhookGrain
{
    private string Organisation => this.GetPrimaryKeyString();

    private async Task<CommandResult> CheckAsync()
    {
        var decision = OrganisationPolicy.ManageWebhooks(CallerContext.Current, Organisation);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (await GrainFactory.GetGrain<IOrganisationGrain>(Organisation).GetAsync() is null)
        {
            return CommandResult.Fail("organisationId", ViolationCodes.NotFound, $"No organisation '{Organisation}' is registered.");
        }
        return CommandResult.Ok(Organisation);
    }

    public async Task<WebhookRegistration> RegisterAsync(RegisterWebhook command)
    {
        if (await CheckAsync() is { Succeeded: false } refused) return new(refused, null);
        var errors = WebhookRules.Validate(command.Url, command.EventTypes, settings.Value.AllowPrivateWebhookTargets).ToList();
        var s = state.State;
        if (s.Endpoints.Count >= WebhookRules.MaxEndpointsPerOrganisation)
        {
            errors.Add(new("url", ViolationCodes.OutOfRange, $"{Organisation} has {s.Endpoints.Count} webhooks, the most an organisation may have; remove one first."));
        }
        if (errors.Count > 0) return new(CommandResult.Fail(errors), null);

        var now = time.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Id = $"wh-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}",
            Url = command.Url!.Trim(),
            EventTypes = [.. command.EventTypes!.Distinct(StringComparer.Ordinal)],
            Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            CreatedAt = now,
            CreatedBy = CallerContext.Actor,
        };
        s.Endpoints.Add(endpoint);
        s.History.Add(new(now, CallerContext.Actor, "webhook-registered", $"{endpoint.Id} {endpoint.Url} for {string.Join(", ", endpoint.EventTypes)}"));
        await state.WriteStateAsync();
        return new(CommandResult.Ok(endpoint.Id), endpoint.Secret);
    }

    public async Task<WebhookList> ListAsync()
    {
        var access = await CheckAsync();
        return new(access, access.Succeeded ? [.. state.State.Endpoints.Select(e => new Webhook(e.Id, e.Url, [.. e.EventTypes], e.CreatedAt, e.CreatedBy))] : []);
    }

    public async Task<CommandResult> RemoveAsync(string? webhookId)
    {
        if (await CheckAsync() is { Succeeded: false } refused) return refused;
        var s = state.State;
        var endpoint = s.Endpoints.FirstOrDefault(e => e.Id == webhookId);
        if (endpoint is null) return CommandResult.Fail("webhookId", ViolationCodes.NotFound, $"{Organisation} has no webhook '{webhookId}'.");
        s.Endpoints.Remove(endpoint);
        s.History.Add(new(time.GetUtcNow(), CallerContext.Actor, "webhook-removed", $"{endpoint.Id} {endpoint.Url}"));
        await state.WriteStateAsync();
        return CommandResult.Ok(endpoint.Id);
    }

    public async Task<CommandResult> RedeliverAsync(string? deliveryId)
    {
        if (await CheckAsync() is { Succeeded: false } refused) return refused;
        var prefix = Organisation + "/";
        await using var db = await store.CreateDbContextAsync();
        var delivery = long.TryParse(deliveryId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.Deliveries.SingleOrDefaultAsync(d => d.Id == id && d.Channel == NotificationGrain.WebhookChannel && d.Recipient.StartsWith(prefix))
            : null;
        if (delivery is null) return CommandResult.Fail("deliveryId", ViolationCodes.NotFound, $"{Organisation} has no webhook delivery '{deliveryId}'.");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        delivery.Status = DeliveryStatus.Pending;
        delivery.NextAttemptAt = now;
        delivery.CreatedAt = now; // a fresh day of retries
        await db.SaveChangesAsync();
        GrainFactory.GetGrain<INotificationGrain>(NotificationGrain.Key).PokeAsync().Ignore();
        return CommandResult.Ok(deliveryId!);
    }

    public Task<IReadOnlyList<WebhookTarget>> SubscribedAsync(string eventType) => Task.FromResult<IReadOnlyList<WebhookTarget>>(
        CallerContext.Current.Kind == CallerKind.System
            ? [.. state.State.Endpoints.Where(e => e.EventTypes.Contains(eventType)).Select(e => new WebhookTarget(e.Id, e.Url, e.Secret))]
            : []);

    public Task<WebhookTarget?> TargetAsync(string webhookId) => Task.FromResult(
        CallerContext.Current.Kind == CallerKind.System && state.State.Endpoints.FirstOrDefault(e => e.Id == webhookId) is { } e
            ? new WebhookTarget(e.Id, e.Url, e.Secret)
            : null);
}
