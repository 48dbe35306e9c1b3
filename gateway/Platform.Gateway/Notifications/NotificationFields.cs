using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Domain.Access;
using Platform.Domain.Events;
using Platform.Grains.Municipalities;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Notifications;
using Platform.ReadModel;

namespace Platform.Gateway.Notifications;

/// <summary>
/// Notifications and events: a person's own settings, one-click unsubscribe from a mailed link, and the event feed
/// partners and staff pull instead of polling every list.
/// </summary>
public static class NotificationFields
{
    private const string CursorType = "EventCursor";

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NotificationSettingsType>("notificationSettings")
            .Description("Your notification settings (language of your mail, and each kind at once or off); null when not signed in.")
            .ResolveAsync(async ctx => ctx.Caller() is { Kind: CallerKind.User } caller
                ? await ctx.Grains().GetGrain<IPersonSettingsGrain>(caller.Subject.ToLowerInvariant()).GetAsync()
                : null);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EventTypeType>>>>("eventTypes")
            .Description("Every event type the platform publishes (the partner contract): its name, what it means and who is told.")
            .Resolve(_ => EventTypes.All);

        query.Field<NonNullGraphType<PlatformEventConnectionType>>("events")
            .Description("Events about your organisation's work, oldest first: pass the last endCursor as 'after' to read on from where you stopped. " +
                "The same events as the webhooks and mail; each id is stable, so a consumer deduplicates by it.")
            .Arguments(Paging.Arguments())
            .ResolveAsync(async ctx => await EventPageAsync(ctx));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<NotificationSettingsPayloadType>>("changeNotificationSettings")
            .Description("Changes your own notification settings: the language of your mail, and kinds at once or off (kinds not named stay as they are).")
            .Argument<NonNullGraphType<ChangeNotificationSettingsInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                MutationType.RequireSignIn(ctx);
                var input = ctx.GetArgument<ChangeNotificationSettingsInput>("input");
                var caller = ctx.Caller();
                return await IdempotentMutation.RunAsync(ctx, input, async _ =>
                    await ctx.Grains().GetGrain<IPersonSettingsGrain>(caller.Subject.ToLowerInvariant()).ChangeAsync(new(input.Language,
                        input.Preferences?.Select(p => new NotificationPreference(p.Kind, p.Delivery)).ToList())), caller.Subject.ToLowerInvariant());
            });

        mutation.Field<NonNullGraphType<UnsubscribePayloadType>>("unsubscribe")
            .Description("Switches one kind of mail off for the address of a mailed unsubscribe link, without signing in; the link's signature is checked.")
            .Argument<NonNullGraphType<UnsubscribeInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<UnsubscribeInput>("input");
                return await IdempotentMutation.RunAsync(ctx, input, async _ => await UnsubscribeAsync(ctx, input));
            });
    }

    private static async Task<CommandResult> UnsubscribeAsync(IResolveFieldContext ctx, UnsubscribeInput input)
    {
        var errors = new List<RuleViolation>();
        if (string.IsNullOrWhiteSpace(input.Person)) errors.Add(new("person", ViolationCodes.Required, "The link names no address."));
        if (NotificationRules.KindNamed(input.Kind) is not { } kind)
        {
            errors.Add(new("kind", ViolationCodes.OutOfRange,
                $"'{input.Kind}' is not a kind of notification; the kinds are {string.Join(", ", Enum.GetValues<NotificationKind>().Select(NotificationRules.NameOf))}."));
            return CommandResult.Fail(errors);
        }
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var key = ctx.RequestServices!.GetRequiredService<IOptions<NotificationSettings>>().Value.LinkKeyBytes;
        if (!UnsubscribeLinks.Verify(key, input.Person, kind, input.Token))
        {
            return CommandResult.Fail("token", ViolationCodes.InvalidSignature,
                "This unsubscribe link is not valid: it was changed, or it was made for another address or kind. Use the link in your mail, or change your settings after signing in.");
        }
        using (CallerContext.As(Caller.System("system:unsubscribe-link")))
        {
            return await ctx.Grains().GetGrain<IPersonSettingsGrain>(input.Person!.ToLowerInvariant()).UnsubscribeAsync(kind);
        }
    }

    /// <summary>The events the caller's organisation may see: those of its municipality and its arrangements, or of the work it executes.</summary>
    private static async Task<Connection<PlatformEvent>> EventPageAsync(IResolveFieldContext ctx)
    {
        var caller = ctx.Caller();
        var (first, after) = Paging.Read(ctx, CursorType);
        var org = caller.Organisation;
        var municipal = org is not null && ComplaintPolicy.ActsForMunicipality(caller);
        var executor = org is not null && ComplaintPolicy.ActsForExecutor(caller);
        if (!municipal && !executor)
        {
            throw new ExecutionError("Events are for the staff and partner systems of a municipality or an executing organisation (partners need the complaints:read scope).")
            { Code = caller.IsAuthenticated ? ViolationCodes.Forbidden : ViolationCodes.Unauthenticated };
        }
        long from = 0;
        if (after is not null && !long.TryParse(after, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out from))
        {
            throw new ExecutionError($"'after' is not a cursor of this list: '{ctx.GetArgument<string>("after")}'.") { Code = "BAD_USER_INPUT" };
        }
        // A municipality also sees the events of its arrangements as a whole: proposals, tariffs, memberships.
        List<string?> arrangements = municipal && await ctx.Grains().GetGrain<IMunicipalityGrain>(org!).GetAsync() is { } municipality
            ? [.. municipality.ArrangementIds]
            : [];
        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync(ctx.CancellationToken);
        var visible = (municipal, executor) switch
        {
            (true, true) => db.Events.AsNoTracking().Where(e => e.Municipality == org || e.ExecutingOrganisation == org || (e.Municipality == null && arrangements.Contains(e.ArrangementId))),
            (true, false) => db.Events.AsNoTracking().Where(e => e.Municipality == org || (e.Municipality == null && arrangements.Contains(e.ArrangementId))),
            _ => db.Events.AsNoTracking().Where(e => e.ExecutingOrganisation == org),
        };
        var rows = await visible.Where(e => e.Sequence > from).OrderBy(e => e.Sequence).Take(first + 1).ToListAsync(ctx.CancellationToken);
        var total = await visible.CountAsync(ctx.CancellationToken);
        var page = rows.Take(first).Select(EventJson.Event).Zip(rows.Take(first).Select(r => r.Sequence))
            .Select(x => new Edge<PlatformEvent>(Paging.Cursor(CursorType, x.Second.ToString(System.Globalization.CultureInfo.InvariantCulture)), x.First)).ToList();
        return new(page, new PageInfo(rows.Count > first, after is not null, page.FirstOrDefault()?.Cursor, page.LastOrDefault()?.Cursor), total);
    }
}

public sealed class EventTypeType : ObjectGraphType<EventType>
{
    public EventTypeType()
    {
        Name = "EventType";
        Description = "A kind of event; its name never changes meaning.";
        Field(x => x.Name).Description("E.g. nl.regelingen.complaint.status-changed: the CloudEvents type, and what a webhook subscribes to.");
        Field(x => x.Meaning);
        Field(x => x.WhoIsTold).Description("Who gets mail of it (and of which kind), and whose feed and webhooks carry it.");
    }
}

public sealed class PlatformEventType : ObjectGraphType<PlatformEvent>
{
    public PlatformEventType()
    {
        Name = "PlatformEvent";
        Description = "Something that happened; the same id in the feed, in webhooks and in mail headers.";
        Field(x => x.Id).Description("Stable: a repeated delivery has the same id.");
        Field(x => x.Type).Description("E.g. nl.regelingen.complaint.status-changed; the README lists every type.");
        Field(x => x.Time);
        Field(x => x.Subject).Description("The id of what it is about, e.g. the complaint's.");
        Field(x => x.ArrangementId, nullable: true);
        Field(x => x.Municipality, nullable: true);
        Field(x => x.ExecutingOrganisation, nullable: true);
        Field(x => x.Data).Description("The event's facts as JSON, e.g. {\"complaintId\":…,\"from\":\"Submitted\",\"to\":\"Acknowledged\"}.");
    }
}

public sealed class PlatformEventEdgeType() : EdgeType<PlatformEventType, PlatformEvent>("PlatformEvent");
public sealed class PlatformEventConnectionType() : ConnectionType<PlatformEventType, PlatformEventEdgeType, PlatformEvent>("PlatformEvent");

public sealed class NotificationKindType : EnumerationGraphType<NotificationKind>
{
    public NotificationKindType() => Name = "NotificationKind";
}

public sealed class NotificationDeliveryType : EnumerationGraphType<NotificationDelivery>
{
    public NotificationDeliveryType() => Name = "NotificationDelivery";
}

public sealed class NotificationPreferenceType : ObjectGraphType<NotificationPreference>
{
    public NotificationPreferenceType()
    {
        Name = "NotificationPreference";
        Field<NonNullGraphType<NotificationKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<NonNullGraphType<NotificationDeliveryType>>("delivery").Resolve(ctx => ctx.Source.Delivery);
    }
}

public sealed class NotificationSettingsType : ObjectGraphType<PersonSettings>
{
    public NotificationSettingsType()
    {
        Name = "NotificationSettings";
        Field(x => x.Language).Description("nl (default) or en.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationPreferenceType>>>>("preferences")
            .Description("The kinds that can concern you, each with how you want it.")
            .Resolve(ctx =>
            {
                var kinds = NotificationRules.KindsFor(ctx.Caller());
                return ctx.Source.Preferences.Where(p => kinds.Contains(p.Kind));
            });
    }
}

public sealed class PreferenceInput
{
    public NotificationKind Kind { get; set; }
    public NotificationDelivery Delivery { get; set; }
}

public sealed class PreferenceInputType : InputObjectGraphType<PreferenceInput>
{
    public PreferenceInputType()
    {
        Name = "NotificationPreferenceInput";
        Field<NonNullGraphType<NotificationKindType>>("kind");
        Field<NonNullGraphType<NotificationDeliveryType>>("delivery");
    }
}

public sealed class ChangeNotificationSettingsInput : MutationInput
{
    public string? Language { get; set; }
    public List<PreferenceInput>? Preferences { get; set; }
}

public sealed class ChangeNotificationSettingsInputType : MutationInputType<ChangeNotificationSettingsInput>
{
    public ChangeNotificationSettingsInputType() : base("ChangeNotificationSettingsInput")
    {
        Field(x => x.Language, nullable: true).Description("nl or en.");
        Field<ListGraphType<NonNullGraphType<PreferenceInputType>>>("preferences");
    }
}

public sealed class NotificationSettingsPayloadType : PayloadType
{
    public NotificationSettingsPayloadType() : base("NotificationSettingsPayload")
    {
        Field<NotificationSettingsType>("settings").ResolveAsync(async ctx => ctx.Source.Result.Succeeded && ctx.Source.Subject is { } person
            ? await ctx.Grains().GetGrain<IPersonSettingsGrain>(person).GetAsync()
            : null);
    }
}

public sealed class UnsubscribeInput : MutationInput
{
    public string? Person { get; set; }
    public string? Kind { get; set; }
    public string? Token { get; set; }
}

public sealed class UnsubscribeInputType : MutationInputType<UnsubscribeInput>
{
    public UnsubscribeInputType() : base("UnsubscribeInput")
    {
        Field<NonNullGraphType<StringGraphType>>("person").Description("The link's p: the address.");
        Field<NonNullGraphType<StringGraphType>>("kind").Description("The link's k: the kind, e.g. complaint-updates.");
        Field<NonNullGraphType<StringGraphType>>("token").Description("The link's t: its signature.");
    }
}

public sealed class UnsubscribePayloadType : PayloadType
{
    public UnsubscribePayloadType() : base("UnsubscribePayload")
    {
        Field<NonNullGraphType<BooleanGraphType>>("unsubscribed").Resolve(ctx => ctx.Source.Result.Succeeded);
    }
}
