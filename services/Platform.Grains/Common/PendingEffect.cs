using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Validation;
using Platform.Grains.Catalogs;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Common;

public enum EffectKind
{
    ListInCatalog = 0,
    RecordMembership = 1,
    RecordProposal = 2,
    RegisterOrganisation = 3,
    SetOpen311Key = 4,
    SendMail = 5,
    PublishEvent = 6,
}

/// <summary>
/// A call to another grain that must follow a state change. It is stored with the state (an outbox),
/// so a crash between the two writes is repaired on the next activation instead of being lost.
/// Every effect is idempotent.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PendingEffect(
    [property: Id(0)] EffectKind Kind,
    [property: Id(1)] string Target,
    [property: Id(2)] string Argument)
{
    public static PendingEffect ListIn(string catalog, string id) => new(EffectKind.ListInCatalog, catalog, id);

    public static PendingEffect RecordMembership(string municipalityCode, string arrangementId) =>
        new(EffectKind.RecordMembership, municipalityCode, arrangementId);

    public static PendingEffect RecordProposal(string arrangementId, string proposalId) =>
        new(EffectKind.RecordProposal, arrangementId, proposalId);

    /// <summary>A municipality's organisation (the tenant with its people), registered once it is onboarded.</summary>
    public static PendingEffect RegisterOrganisation(string code, string name) => new(EffectKind.RegisterOrganisation, code, name);

    /// <summary>The index entry of an Open311 key (by its hash): which organisation it acts for, and whether it still works.</summary>
    public static PendingEffect SetOpen311Key(string hash, string organisation, string name, Platform.Grains.Organisations.CredentialStatus status) =>
        new(EffectKind.SetOpen311Key, hash, $"{(int)status}|{organisation}|{name}");

    /// <summary>A mail: the address, then the subject and the body (the subject is the first line of Argument).</summary>
    public static PendingEffect SendMail(string to, string subject, string body) => new(EffectKind.SendMail, to, subject + "\n" + body);

    /// <summary>An event of the state change it is stored with: appended to the event log once, by its id.</summary>
    public static PendingEffect Publish(Platform.Domain.Events.PlatformEvent e) =>
        new(EffectKind.PublishEvent, e.Id, System.Text.Json.JsonSerializer.Serialize(e, Platform.Domain.Events.EventData.Options));

    /// <summary>For logs: a mail's body (it may hold a one-time link) is never written out.</summary>
    public override string ToString() => Kind == EffectKind.SendMail ? $"{Kind} to {Target}" : $"{Kind} {Target} {Argument}";

    public Task ApplyAsync(IGrainFactory grains) => Kind switch
    {
        EffectKind.SendMail => Argument.Split('\n', 2) is [var subject, var body]
            ? grains.GetGrain<IMailGrain>(0).SendAsync(Target, subject, body)
            : throw new InvalidOperationException($"Malformed mail effect to {Target}"),
        EffectKind.PublishEvent => grains.GetGrain<Platform.Grains.Notifications.IEventLogGrain>(0)
            .AppendAsync(System.Text.Json.JsonSerializer.Deserialize<Platform.Domain.Events.PlatformEvent>(Argument, Platform.Domain.Events.EventData.Options)
                ?? throw new InvalidOperationException($"Malformed event {Target}")),
        EffectKind.RecordProposal => Succeed(grains.GetGrain<Platform.Grains.Arrangements.IArrangementGrain>(Target).RecordProposalAsync(Argument)),
        EffectKind.ListInCatalog => grains.GetGrain<ICatalogGrain>(Target).AddAsync(Argument),
        EffectKind.RecordMembership => grains.GetGrain<IMunicipalityGrain>(Target).RecordMembershipAsync(Argument),
        EffectKind.SetOpen311Key => Argument.Split('|', 3) is [var status, var organisation, var name]
            ? grains.GetGrain<Platform.Grains.Organisations.IOpen311KeyGrain>(Target).SetAsync(organisation, name, (Platform.Grains.Organisations.CredentialStatus)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"Malformed Open311 key effect for {Target}"),
        EffectKind.RegisterOrganisation => Succeed(grains.GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(Target)
            .RegisterAsync(new(Argument, Platform.Domain.Organisations.OrganisationKind.Municipality)), alreadyDone: ViolationCodes.AlreadyExists),
        _ => throw new InvalidOperationException($"Unknown effect {Kind}"),
    };

    /// <summary>A refused effect stays pending, like a failed one.</summary>
    private async Task Succeed(Task<CommandResult> call, string? alreadyDone = null)
    {
        var result = await call;
        if (!result.Succeeded && !(alreadyDone is not null && result.Errors[0].Code == alreadyDone)) throw new InvalidOperationException($"{Kind} on {Target} refused: {string.Join("; ", result.Errors.Select(e => e.Message))}");
    }
}

public static class Outbox
{
    public const string Actor = "system:outbox";

    /// <summary>Applies the pending effects in order, removing each that succeeded; stops at the first failure.</summary>
    public static async Task DispatchAsync(List<PendingEffect> pending, IGrainFactory grains, Func<Task> save, ILogger logger)
    {
        if (pending.Count == 0) return;
        var applied = 0;
        // Effects are the platform's own follow-up calls, not the caller's: they run as the system.
        using var system = CallerContext.As(Caller.System(Actor));
        try
        {
            foreach (var effect in pending)
            {
                await effect.ApplyAsync(grains);
                applied++;
            }
        }
        catch (Exception ex)
        {
            // The state change stands; the effect is retried on the next command or activation.
            logger.LogWarning(ex, "Effect {Effect} failed; it stays pending", pending[applied]);
        }
        if (applied == 0) return;
        pending.RemoveRange(0, applied);
        await save();
    }
}
