using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Domain.Access;
using Platform.Domain.Events;
using Platform.Grains.Organisations;
using Platform.ReadModel;
using Platform.ServiceDefaults.Mail;

namespace Platform.Grains.Notifications;

[GenerateSerializer]
public sealed class NotificationCursor
{
    /// <summary>The last event of the log whose deliveries are recorded.</summary>
    [Id(0)] public long LastSequence { get; set; }
}

public sealed partial class NotificationGrain(
    [PersistentState("notifications", StorageNames.Grains)] IPersistentState<NotificationCursor> cursor,
    IDbContextFactory<ComplaintListStore> store,
    IMailSender mail,
    IOptions<NotificationSettings> settings,
    WebhookHttp webhookHttp,
    TimeProvider time,
    ILogger<NotificationGrain> logger) : Grain, INotificationGrain, IRemindable
{
    public const long Key = 0;
    public const string Channel = "mail";
    public const string WebhookChannel = "webhook";
    /// <summary>Mail gathered into one a day (the person chose <see cref="NotificationDelivery.Daily"/> for the kind).</summary>
    public const string DigestChannel = "mail-digest";
    public const string KeepAliveReminder = "keep-alive";
    public const string WeeklySummaryReminder = "weekly-overdue-summary";
    private const int Batch = 200;
    private const int SaveEvery = 20;

    /// <summary>A send that fails is retried after 30 s, 1, 2, 4 ... minutes (by default), at most an hour apart (<see cref="NotificationSettings.LongestRetryPause"/>), for a day; then it is marked failed.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    public static TimeSpan Backoff(int attempts, TimeSpan first, TimeSpan? longest = null) =>
        TimeSpan.FromSeconds(Math.Min((longest ?? TimeSpan.FromHours(1)).TotalSeconds, first.TotalSeconds * Math.Pow(2, Math.Max(0, attempts - 1))));

    private bool roundQueued;
    private IGrainTimer? soon;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The reminder brings the notifier back after its silo went; the timer retries while it is active.
        await this.RegisterOrUpdateReminder(KeepAliveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        if (await this.GetReminder(WeeklySummaryReminder) is null)
        {
            var now = time.GetUtcNow();
            await this.RegisterOrUpdateReminder(WeeklySummaryReminder, Common.ReminderDue.Until(NotificationRules.NextWeeklySummaryAt(now), now), TimeSpan.FromDays(7));
        }
        this.RegisterGrainTimer(_ => RoundAsync(), new GrainTimerCreationOptions(settings.Value.RoundEvery, settings.Value.RoundEvery));
        // One timer for "a round soon", armed by pokes: idle until the first.
        soon = this.RegisterGrainTimer(async _ => { roundQueued = false; await RoundAsync(); }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == WeeklySummaryReminder)
        {
            try
            {
                await SummariseAsync();
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                LogRoundFailed(logger, ex);
            }
        }
        await RoundAsync();
    }

    public Task<int> SummariseOverdueAsync()
    {
        if (CallerContext.Current.Kind != CallerKind.System) throw new UnauthorizedAccessException("Only the platform makes the weekly summaries.");
        return SummariseAsync();
    }

    /// <summary>This week's summaries, as events with the week in their id: a repeated tick in the same week appends nothing.</summary>
    private async Task<int> SummariseAsync()
    {
        using var system = CallerContext.As(Caller.System("system:notifications"));
        var now = time.GetUtcNow();
        var week = NotificationRules.WeekOf(Platform.Domain.Calendar.AmsterdamCalendar.DateOf(now));
        await using var db = await store.CreateDbContextAsync();
        var open = Platform.Domain.Complaints.ComplaintWorkflow.OpenNames.ToList();
        var overdue = await db.Complaints.AsNoTracking().Where(c => c.Overdue && open.Contains(c.Status))
            .Select(c => new { c.Id, c.ArrangementId, c.Municipality, c.ExecutingOrganisation, c.ServiceCode, c.Status, c.ResolveBy, c.FiledAt }).ToListAsync();
        var events = new List<EventRow>();
        foreach (var group in overdue.GroupBy(c => (c.ArrangementId, c.Municipality)).OrderBy(g => g.Key.ArrangementId, StringComparer.Ordinal).ThenBy(g => g.Key.Municipality, StringComparer.Ordinal))
        {
            var arrangement = await GrainFactory.GetGrain<Platform.Grains.Arrangements.IArrangementGrain>(group.Key.ArrangementId).GetAsync();
            var listed = group.OrderBy(c => c.FiledAt).Take(OverdueSummaryData.MaxListed).Select(c => new OverdueComplaint(c.Id, c.ServiceCode, c.Status, c.ResolveBy)).ToList();
            var data = new OverdueSummaryData(group.Key.ArrangementId, arrangement?.Name ?? group.Key.ArrangementId, group.Key.Municipality, week, group.Count(), listed);
            events.Add(EventJson.Row(new PlatformEvent($"overdue:{group.Key.ArrangementId}:{group.Key.Municipality}:{week}", EventTypes.OverdueWeeklySummary, now,
                $"{group.Key.ArrangementId}/{group.Key.Municipality}", group.Key.ArrangementId, group.Key.Municipality, group.First().ExecutingOrganisation, null, EventData.Write(data))));
        }
        return events.Count == 0 ? 0 : await db.AppendAsync(events);
    }

    public Task PokeAsync()
    {
        if (roundQueued) return Task.CompletedTask;
        roundQueued = true;
        // Pokes within the next 100 ms join this round.
        soon!.Change(TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task<DispatchRound> RunOnceAsync()
    {
        if (CallerContext.Current.Kind != CallerKind.System) throw new UnauthorizedAccessException("Only the platform runs the notifier.");
        return RunAsync();
    }

    private async Task RoundAsync()
    {
        try
        {
            await RunAsync();
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            LogRoundFailed(logger, ex);
        }
    }

    private async Task<DispatchRound> RunAsync()
    {
        using var system = CallerContext.As(Caller.System("system:notifications"));
        var (read, added) = await FanOutAsync();
        var (sent, retrying, givenUp) = await SendDueAsync();
        return new(read, added, sent, retrying, givenUp);
    }

    /// <summary>Records who is told of each new event; the unique delivery key makes a repeated fan-out add nothing.</summary>
    private async Task<(int Read, int Added)> FanOutAsync()
    {
        await using var db = await store.CreateDbContextAsync();
        var events = await db.Events.AsNoTracking().Where(e => e.Sequence > cursor.State.LastSequence).OrderBy(e => e.Sequence).Take(Batch).ToListAsync();
        if (events.Count == 0) return (0, 0);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var people = new Dictionary<string, IReadOnlyList<(string, string)>>(StringComparer.Ordinal);
        var webhooks = new Dictionary<(string, string), IReadOnlyList<WebhookTarget>>();
        var wanted = new List<DeliveryRow>();
        foreach (var row in events)
        {
            var e = EventJson.Event(row);
            var organisations = NotificationRules.Organisations(e);
            // The active people of the organisations whose people the mail rule asks for (a complaint's: only its
            // executing organisation's), each asked once per round.
            var needed = new HashSet<string>(StringComparer.Ordinal);
            NotificationRules.MailRecipients(e, o => { needed.Add(o); return []; });
            foreach (var organisation in needed.Where(o => !people.ContainsKey(o)))
            {
                var view = await GrainFactory.GetGrain<IOrganisationGrain>(organisation).PeopleAsync();
                people[organisation] = [.. view.People.Where(p => p.Status == PersonStatus.Active).Select(p => (p.Email, p.Role))];
            }
            // Webhooks of the organisations the event concerns (its municipality or the arrangement's members, its executing organisation), for the types they asked.
            foreach (var organisation in organisations)
            {
                if (!webhooks.TryGetValue((organisation, e.Type), out var targets))
                {
                    targets = await GrainFactory.GetGrain<IWebhookGrain>(organisation).SubscribedAsync(e.Type);
                    webhooks[(organisation, e.Type)] = targets;
                }
                wanted.AddRange(targets.Select(t => new DeliveryRow
                {
                    EventId = e.Id, EventSequence = row.Sequence, Channel = WebhookChannel, Recipient = $"{organisation}/{t.Id}", Kind = WebhookChannel,
                    Status = DeliveryStatus.Pending, CreatedAt = now, NextAttemptAt = now,
                }));
            }
            // Who follows a complaint is asked of the complaint when its status changes (not in the event, which partners read).
            IReadOnlyList<string> followers = e.Type == EventTypes.ComplaintStatusChanged
                ? await GrainFactory.GetGrain<Platform.Grains.Complaints.IComplaintGrain>(e.Subject).FollowersAsync() : [];
            foreach (var recipient in NotificationRules.MailRecipients(e, o => people.TryGetValue(o, out var found) ? found : [], _ => followers))
            {
                var preferences = await GrainFactory.GetGrain<IPersonSettingsGrain>(recipient.Address).GetAsync();
                var how = preferences?.DeliveryOf(recipient.Kind) ?? NotificationDelivery.AtOnce;
                if (how == NotificationDelivery.Off) continue;
                // A daily one is due at the next digest moment; its day of retrying counts from then.
                var due = how == NotificationDelivery.Daily ? NotificationRules.NextDigestAt(time.GetUtcNow()).ToUnixTimeMilliseconds() : now;
                wanted.Add(new DeliveryRow
                {
                    EventId = e.Id, EventSequence = row.Sequence, Channel = how == NotificationDelivery.Daily ? DigestChannel : Channel, Recipient = recipient.Address,
                    Kind = NotificationRules.NameOf(recipient.Kind), Status = DeliveryStatus.Pending, CreatedAt = due, NextAttemptAt = due,
                });
            }
        }
        var ids = events.Select(e => e.Id).ToList();
        var existing = (await db.Deliveries.Where(d => ids.Contains(d.EventId)).Select(d => new { d.EventId, d.Channel, d.Recipient }).ToListAsync())
            .Select(d => (d.EventId, d.Channel, d.Recipient)).ToHashSet();
        var added = wanted.Where(d => !existing.Contains((d.EventId, d.Channel, d.Recipient))).ToList();
        db.Deliveries.AddRange(added);
        await db.SaveChangesAsync();
        // After the rows: a crash in between reads these events again, and the unique key keeps them single.
        cursor.State.LastSequence = events[^1].Sequence;
        await cursor.WriteStateAsync();
        return (events.Count, added.Count);
    }

    /// <summary>Sends each due delivery once; a failure waits for its next attempt, and after a day it is given up.</summary>
    private async Task<(int Sent, int Retrying, int GivenUp)> SendDueAsync()
    {
        await using var db = await store.CreateDbContextAsync();
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= nowMs).OrderBy(d => d.Id).Take(Batch).ToListAsync();
        if (due.Count == 0) return (0, 0, 0);
        var eventIds = due.Select(d => d.EventId).Distinct().ToList();
        var events = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id);
        int sent = 0, retrying = 0, givenUp = 0, unsaved = 0;
        var s = settings.Value;
        // One SMTP connection for the round's mail, and each recipient's language asked once.
        await using var connection = await mail.ConnectAsync(CancellationToken.None);
        var languages = new Dictionary<string, string>(StringComparer.Ordinal);

        // Outcomes are stored every few deliveries: a crash sends at most that many again, with the same Message-ID.
        async Task StoreAsync(bool force = false)
        {
            if (++unsaved < SaveEvery && !force) return;
            await db.SaveChangesAsync();
            unsaved = 0;
        }

        void Failed(DeliveryRow delivery, Exception ex)
        {
            delivery.LastError = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message;
            if (now - DateTimeOffset.FromUnixTimeMilliseconds(delivery.CreatedAt) >= GiveUpAfter)
            {
                delivery.Status = DeliveryStatus.Failed;
                givenUp++;
                LogGivenUp(logger, delivery.EventId, delivery.Attempts, ex.Message);
            }
            else
            {
                delivery.NextAttemptAt = (now + Backoff(delivery.Attempts, s.RetryAfter, s.LongestRetryPause)).ToUnixTimeMilliseconds();
                retrying++;
                LogRetrying(logger, delivery.EventId, delivery.Attempts, ex.Message);
            }
        }

        void Delivered(DeliveryRow delivery)
        {
            delivery.Status = DeliveryStatus.Sent;
            delivery.SentAt = nowMs;
            delivery.LastError = null;
            sent++;
        }

        // A day's mail of one kind to one person: one digest, sent or retried as a whole.
        foreach (var digest in due.Where(d => d.Channel == DigestChannel).GroupBy(d => (d.Recipient, d.Kind)))
        {
            var rows = digest.OrderBy(d => d.EventSequence).ToList();
            foreach (var row in rows)
            {
                row.Attempts++;
                row.LastAttemptAt = nowMs;
            }
            try
            {
                await connection.SendAsync(await ComposeDigestAsync([.. rows.Select(r => EventJson.Event(events[r.EventId]))], digest.Key.Recipient, digest.Key.Kind, s, languages), CancellationToken.None);
                rows.ForEach(Delivered);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                foreach (var row in rows) Failed(row, ex);
            }
            await StoreAsync();
        }

        foreach (var delivery in due.Where(d => d.Channel != DigestChannel))
        {
            delivery.Attempts++;
            delivery.LastAttemptAt = nowMs;
            try
            {
                var e = EventJson.Event(events[delivery.EventId]);
                if (delivery.Channel == WebhookChannel)
                {
                    if (!await SendWebhookAsync(e, delivery, s, now))
                    {
                        delivery.Status = DeliveryStatus.Failed;
                        delivery.LastError = "The webhook was removed.";
                        givenUp++;
                        await StoreAsync();
                        continue;
                    }
                }
                else
                {
                    await connection.SendAsync(await ComposeAsync(e, delivery, s, languages), CancellationToken.None);
                }
                Delivered(delivery);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Failed(delivery, ex);
            }
            await StoreAsync();
        }
        await StoreAsync(force: true);
        return (sent, retrying, givenUp);
    }

    /// <summary>Posts the event to the endpoint; false when the endpoint is gone. A non-2xx answer (a redirect too) is a failure to retry.</summary>
    private async Task<bool> SendWebhookAsync(PlatformEvent e, DeliveryRow delivery, NotificationSettings s, DateTimeOffset now)
    {
        var (organisation, id) = delivery.Recipient.Split('/', 2) is [var o, var i] ? (o, i) : throw new InvalidOperationException($"Malformed webhook recipient {delivery.Recipient}");
        if (await GrainFactory.GetGrain<IWebhookGrain>(organisation).TargetAsync(id) is not { } target) return false;
        using var request = WebhookClient.Request(e, target, s.WebAppUrl, now);
        using var response = await webhookHttp.Client.SendAsync(request);
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            throw new HttpRequestException($"The endpoint answered {(int)response.StatusCode} (a redirect to {response.Headers.Location}); redirects are not followed.");
        }
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"The endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        return true;
    }

    private async Task<MailMessageToSend> ComposeAsync(PlatformEvent e, DeliveryRow delivery, NotificationSettings s, Dictionary<string, string> languages)
    {
        var kind = NotificationRules.KindNamed(delivery.Kind) ?? throw new InvalidOperationException($"Unknown kind {delivery.Kind}");
        var language = await LanguageOfAsync(delivery.Recipient, languages);
        var unsubscribe = UnsubscribeLinks.Link(s.WebAppUrl, s.LinkKeyBytes, delivery.Recipient, kind);
        var composed = NotificationMail.Compose(e, language, NotificationMail.PageOf(e, s.WebAppUrl, kind), unsubscribe, kind);
        var oneClick = UnsubscribeLinks.OneClick(s.WebAppUrl, s.LinkKeyBytes, delivery.Recipient, kind);
        // The same event to the same person always has the same Message-ID: a mail resent after a crash is recognisably the same.
        var messageId = MessageId($"{e.Id}\n{delivery.Recipient}", s);
        return new(delivery.Recipient, composed.Subject, composed.Text, composed.Html, messageId, oneClick);
    }

    private async Task<string> LanguageOfAsync(string person, Dictionary<string, string> languages)
    {
        if (!languages.TryGetValue(person, out var language))
        {
            language = (await GrainFactory.GetGrain<IPersonSettingsGrain>(person).GetAsync())?.Language ?? "nl";
            languages[person] = language;
        }
        return language;
    }

    private async Task<MailMessageToSend> ComposeDigestAsync(IReadOnlyList<PlatformEvent> events, string recipient, string kindName, NotificationSettings s, Dictionary<string, string> languages)
    {
        var kind = NotificationRules.KindNamed(kindName) ?? throw new InvalidOperationException($"Unknown kind {kindName}");
        var composed = NotificationMail.Digest(events, kind, await LanguageOfAsync(recipient, languages), s.WebAppUrl, UnsubscribeLinks.Link(s.WebAppUrl, s.LinkKeyBytes, recipient, kind));
        var messageId = MessageId($"digest\n{recipient}\n{kindName}\n{events[0].Id}\n{events[^1].Id}\n{events.Count}", s);
        return new(recipient, composed.Subject, composed.Text, composed.Html, messageId, UnsubscribeLinks.OneClick(s.WebAppUrl, s.LinkKeyBytes, recipient, kind));
    }

    private static string MessageId(string basis, NotificationSettings s) =>
        $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(basis)))[..32]}@{s.WebAppUrl.Host}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification round failed; the next one tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail for event {EventId} failed (attempt {Attempts}): {Error}; it is tried again")]
    private static partial void LogRetrying(ILogger logger, string eventId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail for event {EventId} given up after {Attempts} attempts over a day: {Error}")]
    private static partial void LogGivenUp(ILogger logger, string eventId, int attempts, string error);
}
