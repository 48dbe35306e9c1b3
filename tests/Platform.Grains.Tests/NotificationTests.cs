using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Complaints;
using Platform.Domain.Events;
using Platform.Domain.ServiceLevels;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;
using Platform.Grains.Municipalities;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.ReadModel;
using Platform.ServiceDefaults.Mail;

namespace Platform.Grains.Tests;

/// <summary>
/// Events written with the complaint's state, and the notifier that mails them: who is told, in which language,
/// once, and again after the mail server was down. (The SMTP path itself is tested with the gateway.)
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NotificationTests(ClusterFixture fixture)
{
    private IDbContextFactory<ComplaintListStore> Store => fixture.Store;

    private static Caller Resident(string email, string municipality) => new(CallerKind.User, email, municipality, [Roles.Citizen], []);

    /// <summary>An arrangement with one member and an executing organisation with one member of staff.</summary>
    private async Task<(string Arrangement, string Executor, string Staff)> ArrangementAsync(string id, string member)
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>(member).OnboardAsync(new($"M {member}", 20_000, new(2024, 1, 1)));
        var executor = await fixture.ExecutorAsync($"exec-{id}");
        var staff = $"planner@{id}.example";
        CallerContext.Set(ClusterFixture.Operator);
        Assert.True((await fixture.Grains.GetGrain<IOrganisationGrain>(executor).InviteAsync(new(staff, "Planner", Roles.ExecutorStaff))).Succeeded);
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>(id);
        await arrangement.CreateAsync(new("Regeling", "Uitvoerder", [new("grofvuil", "Grofvuil", new(1, 3, DayCounting.CalendarDays))], VoteWeightRule.OnePerMember, executor));
        await arrangement.AddMemberAsync(new(member));
        return (id, executor, staff);
    }

    private async Task<IComplaintGrain> FileAsync(string arrangement, string complaintId, Caller resident)
    {
        CallerContext.Set(resident);
        var complaint = fixture.Grains.GetGrain<IComplaintGrain>(complaintId);
        var filed = await complaint.FileAsync(new(arrangement, "grofvuil", "Bank niet opgehaald", new(null, null, "Dorpsstraat 1")));
        Assert.True(filed.Succeeded, string.Join("; ", filed.Errors.Select(e => e.Message)));
        return complaint;
    }

    private async Task ActAsync(IComplaintGrain complaint, string executor, ComplaintAction action, string? note = null)
    {
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        var done = await complaint.TransitionAsync(new(action, note, null, null, null));
        Assert.True(done.Succeeded, string.Join("; ", done.Errors.Select(e => e.Message)));
    }

    private Task DrainAsync() => fixture.DrainNotificationsAsync();

    private static List<MailMessageToSend> MailTo(string address) => ClusterFixture.MailTo(address);

    [Fact]
    public async Task The_resident_gets_one_mail_per_status_change_in_Dutch_with_a_link_and_a_signed_unsubscribe()
    {
        var (arrangement, executor, _) = await ArrangementAsync("nt-resident", "GM0520");
        var resident = Resident("ans@nt-resident.example", "GM0520");
        var complaint = await FileAsync(arrangement, "c-nt-resident", resident);
        await ActAsync(complaint, executor, ComplaintAction.Acknowledge);
        await ActAsync(complaint, executor, ComplaintAction.Resolve, "Bank opgehaald op dinsdag");
        await DrainAsync();
        await DrainAsync(); // a second pass sends nothing again

        var mails = MailTo("ans@nt-resident.example");
        Assert.Equal(["Uw melding over Grofvuil: in behandeling genomen", "Uw melding over Grofvuil: opgelost"], mails.Select(m => m.Subject));
        Assert.Contains("Toelichting: Bank opgehaald op dinsdag", mails[1].Body, StringComparison.Ordinal);
        Assert.All(mails, m =>
        {
            Assert.Contains("http://127.0.0.1:5082/complaints/c-nt-resident", m.Body, StringComparison.Ordinal);
            Assert.Contains("<html lang=\"nl\">", m.HtmlBody, StringComparison.Ordinal);
            // The header is the one-click address a mail program posts to; the text links to the page that asks first.
            Assert.Equal("/unsubscribe/one-click", m.Unsubscribe!.AbsolutePath);
            Assert.Contains($"http://127.0.0.1:5082/unsubscribe{m.Unsubscribe.Query}", m.Body, StringComparison.Ordinal);
            var link = System.Web.HttpUtility.ParseQueryString(m.Unsubscribe.Query);
            Assert.Equal(("ans@nt-resident.example", "complaint-updates"), (link["p"], link["k"]));
            Assert.True(UnsubscribeLinks.Verify(new NotificationSettings().LinkKeyBytes, link["p"], NotificationKind.ComplaintUpdates, link["t"]));
            Assert.False(UnsubscribeLinks.Verify(new NotificationSettings().LinkKeyBytes, "someone.else@example", NotificationKind.ComplaintUpdates, link["t"]));
        });
        Assert.Equal(2, mails.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Staff_hear_of_a_new_complaint_unless_they_switched_that_kind_off_and_a_resident_mails_in_English_when_chosen()
    {
        var (arrangement, executor, staff) = await ArrangementAsync("nt-staff", "GM0521");
        var resident = Resident("bob@nt-staff.example", "GM0521");
        CallerContext.Set(resident);
        Assert.True((await fixture.Grains.GetGrain<IPersonSettingsGrain>("bob@nt-staff.example").ChangeAsync(new("en", null))).Succeeded);

        var first = await FileAsync(arrangement, "c-nt-staff-1", resident);
        await DrainAsync();
        var news = Assert.Single(MailTo(staff));
        Assert.Equal("Nieuwe melding over Grofvuil", news.Subject);
        Assert.Contains("new-complaints", news.Unsubscribe!.Query, StringComparison.Ordinal);

        CallerContext.Set(new Caller(CallerKind.User, staff, executor, [Roles.ExecutorStaff], []));
        Assert.True((await fixture.Grains.GetGrain<IPersonSettingsGrain>(staff).ChangeAsync(new(null, [new(NotificationKind.NewComplaints, NotificationDelivery.Off)]))).Succeeded);
        await FileAsync(arrangement, "c-nt-staff-2", resident);
        await ActAsync(first, executor, ComplaintAction.Acknowledge);
        await DrainAsync();

        Assert.Single(MailTo(staff));
        Assert.Equal("Your complaint about Grofvuil: acknowledged", Assert.Single(MailTo("bob@nt-staff.example")).Subject);
    }

    [Fact]
    public async Task Staff_who_chose_a_daily_digest_get_one_mail_at_seven_with_every_new_complaint_and_nothing_before()
    {
        var (arrangement, executor, staff) = await ArrangementAsync("nt-daily", "GM0541");
        CallerContext.Set(new Caller(CallerKind.User, staff, executor, [Roles.ExecutorStaff], []));
        Assert.True((await fixture.Grains.GetGrain<IPersonSettingsGrain>(staff).ChangeAsync(new("en", [new(NotificationKind.NewComplaints, NotificationDelivery.Daily)]))).Succeeded);
        var resident = Resident("fleur@nt-daily.example", "GM0541");
        await FileAsync(arrangement, "c-nt-daily-1", resident);
        await FileAsync(arrangement, "c-nt-daily-2", resident);
        await DrainAsync();
        Assert.Empty(MailTo(staff));

        ClusterFixture.Clock.Advance(NotificationRules.NextDigestAt(ClusterFixture.Clock.GetUtcNow()) - ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await DrainAsync();
        await DrainAsync();

        var digest = Assert.Single(MailTo(staff));
        Assert.Equal("Daily summary: 2 × new complaints", digest.Subject);
        Assert.Contains("/complaints/c-nt-daily-1", digest.Body, StringComparison.Ordinal);
        Assert.Contains("/complaints/c-nt-daily-2", digest.Body, StringComparison.Ordinal);
        Assert.Contains("new-complaints", digest.Unsubscribe!.Query, StringComparison.Ordinal);
        await using var db = await Store.CreateDbContextAsync();
        Assert.All(await db.Deliveries.AsNoTracking().Where(d => d.Recipient == staff).ToListAsync(), d => Assert.Equal((NotificationGrain.DigestChannel, DeliveryStatus.Sent, 1), (d.Channel, d.Status, d.Attempts)));
    }

    [Fact]
    public async Task A_mail_that_fails_is_sent_once_when_the_server_is_back_and_the_delivery_shows_every_attempt()
    {
        var (arrangement, executor, _) = await ArrangementAsync("nt-retry", "GM0522");
        var address = "cor@nt-retry.example";
        ClusterFixture.Mailbox.Unreachable[address] = true;
        var complaint = await FileAsync(arrangement, "c-nt-retry", Resident(address, "GM0522"));
        await ActAsync(complaint, executor, ComplaintAction.Acknowledge);
        await DrainAsync();
        await DrainAsync(); // not due again yet: no second attempt
        Assert.Empty(MailTo(address));

        ClusterFixture.Mailbox.Unreachable.TryRemove(address, out _);
        ClusterFixture.Clock.Advance(NotificationGrain.Backoff(1, new NotificationSettings().RetryAfter) + TimeSpan.FromSeconds(1));
        await DrainAsync();
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
        await DrainAsync();

        Assert.Single(MailTo(address));
        await using var db = await Store.CreateDbContextAsync();
        var delivery = await db.Deliveries.SingleAsync(d => d.Recipient == address);
        Assert.Equal((DeliveryStatus.Sent, 2), (delivery.Status, delivery.Attempts));
        Assert.Null(delivery.LastError);
    }

    [Fact]
    public async Task A_mail_that_keeps_failing_for_a_day_is_marked_failed_and_not_tried_again()
    {
        var (arrangement, executor, _) = await ArrangementAsync("nt-giveup", "GM0523");
        var address = "dirk@nt-giveup.example";
        ClusterFixture.Mailbox.Unreachable[address] = true;
        var complaint = await FileAsync(arrangement, "c-nt-giveup", Resident(address, "GM0523"));
        await ActAsync(complaint, executor, ComplaintAction.Acknowledge);
        await DrainAsync();
        for (var hour = 0; hour < 26; hour++)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
            await DrainAsync();
        }
        ClusterFixture.Mailbox.Unreachable.TryRemove(address, out _);
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
        await DrainAsync();

        Assert.Empty(MailTo(address));
        await using var db = await Store.CreateDbContextAsync();
        var delivery = await db.Deliveries.SingleAsync(d => d.Recipient == address);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.InRange(delivery.Attempts, 5, 40);
        Assert.Contains("refused", delivery.LastError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Events_are_in_the_log_once_with_stable_ids_even_when_the_complaint_writes_them_again()
    {
        var (arrangement, executor, _) = await ArrangementAsync("nt-log", "GM0524");
        var complaint = await FileAsync(arrangement, "c-nt-log", Resident("eva@nt-log.example", "GM0524"));
        await ActAsync(complaint, executor, ComplaintAction.StartWork);

        await using var db = await Store.CreateDbContextAsync();
        var events = await db.Events.AsNoTracking().Where(e => e.Subject == "c-nt-log").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([EventTypes.ComplaintFiled, EventTypes.ComplaintStatusChanged], events.Select(e => e.Type));
        Assert.Equal(["complaint:c-nt-log:1:0", "complaint:c-nt-log:2:0"], events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal(("GM0524", executor, "eva@nt-log.example"), (e.Municipality, e.ExecutingOrganisation, e.Person)));
        var data = System.Text.Json.JsonSerializer.Deserialize<ComplaintEventData>(events[1].Data, EventJson.Options)!;
        Assert.Equal(("Submitted", "InProgress", "Grofvuil"), (data.From, data.To, data.ServiceName));

        // The same events appended again (a repaired write after a crash, a reactivation) add nothing.
        var row = await db.Complaints.AsNoTracking().SingleAsync(r => r.Id == "c-nt-log");
        Assert.False(await db.UpsertAsync(row, [.. events.Select(e => new EventRow { Id = e.Id, Type = e.Type, Subject = e.Subject, Data = e.Data })]));
        Assert.Equal(2, await db.Events.CountAsync(e => e.Subject == "c-nt-log"));
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.NotNull(await complaint.GetAsync());
        Assert.Equal(2, await db.Events.CountAsync(e => e.Subject == "c-nt-log"));
    }

    [Fact]
    public async Task Overdue_complaints_are_an_event_and_a_mail_to_the_executing_organisations_staff()
    {
        var (arrangement, _, staff) = await ArrangementAsync("nt-overdue", "GM0525");
        var complaint = await FileAsync(arrangement, "c-nt-overdue", Resident("fenna@nt-overdue.example", "GM0525"));
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(5));
        await complaint.CheckServiceLevelAsync();
        await DrainAsync();

        Assert.Equal(["Nieuwe melding over Grofvuil", "Termijn verstreken: melding over Grofvuil", "Termijn verstreken: melding over Grofvuil"],
            MailTo(staff).Select(m => m.Subject));
        Assert.Contains("overdue-complaints", MailTo(staff)[^1].Unsubscribe!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_Monday_the_contract_manager_gets_one_summary_of_the_municipalitys_open_overdue_complaints_once_a_week()
    {
        var (arrangement, executor, _) = await ArrangementAsync("nt-weekly", "GM0542");
        var manager = "cm@nt-weekly.example";
        CallerContext.Set(ClusterFixture.Operator);
        var municipality = fixture.Grains.GetGrain<IOrganisationGrain>("GM0542");
        for (var i = 0; i < 40 && await municipality.GetAsync() is null; i++) await Task.Delay(50); // registered by the municipality's outbox
        Assert.True((await municipality.InviteAsync(new(manager, "Contractmanager", Roles.ContractManager))).Succeeded);
        var resident = Resident("gerrit@nt-weekly.example", "GM0542");
        var late = await FileAsync(arrangement, "c-nt-weekly-1", resident);
        var settled = await FileAsync(arrangement, "c-nt-weekly-2", resident);
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(5));
        await late.CheckServiceLevelAsync();
        await settled.CheckServiceLevelAsync();
        await ActAsync(settled, executor, ComplaintAction.Resolve);

        var notifier = fixture.Grains.GetGrain<INotificationGrain>(NotificationGrain.Key);
        using (CallerContext.As(Caller.System("test")))
        {
            await notifier.SummariseOverdueAsync();
            await notifier.SummariseOverdueAsync(); // the same week again: nothing new
        }
        await DrainAsync();

        await using var db = await Store.CreateDbContextAsync();
        var summary = await db.Events.AsNoTracking().SingleAsync(e => e.Subject == "nt-weekly/GM0542");
        var week = NotificationRules.WeekOf(Platform.Domain.Calendar.AmsterdamCalendar.DateOf(ClusterFixture.Clock.GetUtcNow()));
        Assert.Equal(($"overdue:nt-weekly:GM0542:{week}", EventTypes.OverdueWeeklySummary), (summary.Id, summary.Type));
        var mail = Assert.Single(MailTo(manager));
        Assert.Equal($"Week {week}: 1 melding over de termijn in Regeling", mail.Subject);
        Assert.Contains("c-nt-weekly-1 (grofvuil, ingediend, oplossen uiterlijk", mail.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("c-nt-weekly-2", mail.Body, StringComparison.Ordinal); // resolved: no longer open
        Assert.Contains("/complaints?arrangement=nt-weekly&overdue=true", mail.Body, StringComparison.Ordinal);
        Assert.Contains("overdue-summary", mail.Unsubscribe!.Query, StringComparison.Ordinal);
        Assert.Throws<UnauthorizedAccessException>(() => { CallerContext.Set(ClusterFixture.ManagerOf("GM0542")); notifier.SummariseOverdueAsync().GetAwaiter().GetResult(); });
    }

    [Fact]
    public async Task Settings_are_the_persons_own_and_a_wrong_change_changes_nothing()
    {
        var mine = fixture.Grains.GetGrain<IPersonSettingsGrain>("gijs@nt-settings.example");
        CallerContext.Set(Resident("someone.else@nt-settings.example", "GM0526"));
        Assert.Null(await mine.GetAsync());
        Assert.True((await mine.ChangeAsync(new("en", null))).IsRefusal);
        Assert.True((await mine.UnsubscribeAsync(NotificationKind.ComplaintUpdates)).IsRefusal);

        CallerContext.Set(Resident("Gijs@nt-settings.example", "GM0526"));
        var wrong = await mine.ChangeAsync(new("fr", [new(NotificationKind.ComplaintUpdates, NotificationDelivery.Off), new((NotificationKind)42, NotificationDelivery.Off)]));
        Assert.Equal([("language", ViolationCodes.OutOfRange), ("preferences.kind", ViolationCodes.OutOfRange)], wrong.Errors.Select(e => (e.Field, e.Code)));
        var settings = (await mine.GetAsync())!;
        Assert.Equal(("nl", NotificationDelivery.AtOnce), (settings.Language, settings.DeliveryOf(NotificationKind.ComplaintUpdates)));

        Assert.True((await mine.ChangeAsync(new("en", [new(NotificationKind.ComplaintUpdates, NotificationDelivery.Off)]))).Succeeded);
        settings = (await mine.GetAsync())!;
        Assert.Equal(("en", NotificationDelivery.Off, NotificationDelivery.AtOnce),
            (settings.Language, settings.DeliveryOf(NotificationKind.ComplaintUpdates), settings.DeliveryOf(NotificationKind.NewComplaints)));
    }

    [Fact]
    public async Task A_follower_is_mailed_each_status_change_without_the_note_until_they_stop_or_switch_the_kind_off()
    {
        var (arrangement, executor, _) = await ArrangementAsync("nt-follow", "GM0550");
        var author = Resident("ans@nt-follow.example", "GM0550");
        var complaint = await FileAsync(arrangement, "c-nt-follow", author);
        var piet = Resident("Piet@nt-follow.example", "GM0550");
        var kees = Resident("kees@nt-follow.example", "GM0550");

        CallerContext.Set(piet);
        Assert.True((await complaint.FollowReportAsync(true)).Succeeded);
        Assert.True((await complaint.FollowReportAsync(true)).Succeeded); // again: harmless, and still one follower
        Assert.Equal(["c-nt-follow"], await fixture.Grains.GetGrain<IPersonSettingsGrain>("piet@nt-follow.example").FollowedAsync());
        CallerContext.Set(kees);
        Assert.True((await complaint.FollowReportAsync(true)).Succeeded);
        Assert.True((await fixture.Grains.GetGrain<IPersonSettingsGrain>("kees@nt-follow.example")
            .ChangeAsync(new(null, [new(NotificationKind.FollowedReports, NotificationDelivery.Off)]))).Succeeded);
        // Someone of another municipality, and the author, are refused; nothing is added for them.
        CallerContext.Set(Resident("eva@nt-follow.example", "GM0551"));
        Assert.Equal(ViolationCodes.NotFound, Assert.Single((await complaint.FollowReportAsync(true)).Errors).Code);
        CallerContext.Set(author);
        Assert.Equal(ViolationCodes.AlreadyExists, Assert.Single((await complaint.FollowReportAsync(true)).Errors).Code);
        CallerContext.Set(Caller.System("test:notifier"));
        Assert.Equal(["piet@nt-follow.example", "kees@nt-follow.example"], await complaint.FollowersAsync());
        foreach (var other in new[] { author, ClusterFixture.Operator, ClusterFixture.ExecutorOf(executor) })
        {
            CallerContext.Set(other);
            Assert.Empty(await complaint.FollowersAsync()); // who follows is the platform's to know
        }

        await ActAsync(complaint, executor, ComplaintAction.Acknowledge, "Mevrouw De Vries belde ons");
        await DrainAsync();

        var mail = Assert.Single(MailTo("piet@nt-follow.example"));
        Assert.Equal("Een melding die u volgt, over Grofvuil: in behandeling genomen", mail.Subject);
        Assert.DoesNotContain("De Vries", mail.Body, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:5082/reports?gemeente=GM0550#report-c-nt-follow", mail.Body, StringComparison.Ordinal);
        Assert.Contains("k=followed-reports", mail.Unsubscribe!.Query, StringComparison.Ordinal);
        Assert.Empty(MailTo("kees@nt-follow.example"));
        Assert.Contains("De Vries", Assert.Single(MailTo("ans@nt-follow.example")).Body, StringComparison.Ordinal); // the author's own, with the note

        CallerContext.Set(piet);
        Assert.True((await complaint.FollowReportAsync(false)).Succeeded);
        Assert.Empty(await fixture.Grains.GetGrain<IPersonSettingsGrain>("piet@nt-follow.example").FollowedAsync());
        await ActAsync(complaint, executor, ComplaintAction.Resolve);
        await DrainAsync();
        Assert.Single(MailTo("piet@nt-follow.example")); // nothing after stopping
        Assert.Equal(2, MailTo("ans@nt-follow.example").Count);
        // Settled: there is nothing left to follow.
        CallerContext.Set(piet);
        Assert.Equal(ViolationCodes.Closed, Assert.Single((await complaint.FollowReportAsync(true)).Errors).Code);
    }
}
