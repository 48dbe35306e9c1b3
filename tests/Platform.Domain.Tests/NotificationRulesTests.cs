using System.Text;
using Platform.Domain.Access;
using Platform.Domain.Events;

namespace Platform.Domain.Tests;

public sealed class NotificationRulesTests
{
    private static PlatformEvent Event(string type, string? person = "ans@example.nl", ComplaintEventData? data = null) =>
        new("complaint:c-1:2:0", type, DateTimeOffset.UnixEpoch, "c-1", "afval-nhn", "GM0405", "afvalbedrijf-nhn", person,
            EventData.Write(data ?? new ComplaintEventData("c-1", "afval-nhn", "grofvuil", "Grofvuil", null, "Submitted")));

    private static PlatformEvent ProposalEvent(string type, ArrangementEventData data) =>
        new($"proposal:p-1:{type}", type, DateTimeOffset.UnixEpoch, "p-1", "afval-nhn", null, "afvalbedrijf-nhn", null, EventData.Write(data));

    private static readonly ArrangementEventData Proposal = new("afval-nhn", "Afvalregeling <NHN>", ["GM0405", "GM0398"], "p-1", "Bouwpuin gratis", "TariffChange",
        new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 13, 16, 0, 0, TimeSpan.Zero));

    private static readonly (string, string)[] Staff =
    [
        ("Planner@Afval.example", Roles.ExecutorStaff), ("baas@afval.example", Roles.ExecutorAdmin), ("planner@afval.example", Roles.ExecutorStaff),
        ("wethouder@gm0405.example", Roles.Alderman),
    ];

    private static readonly Dictionary<string, (string, string)[]> People = new()
    {
        ["afvalbedrijf-nhn"] = Staff,
        ["GM0405"] = [("bestuur@gm0405.example", Roles.BoardMember), ("wethouder@gm0405.example", Roles.Alderman), ("beheer@gm0405.example", Roles.MunicipalityAdmin), ("cm@gm0405.example", Roles.ContractManager)],
        ["GM0398"] = [("bestuur@gm0398.example", Roles.BoardMember), ("Beheer@GM0398.example", Roles.MunicipalityAdmin)],
        ["GM0999"] = [("bestuur@gm0999.example", Roles.BoardMember)],
    };

    private static IEnumerable<(string, string)> PeopleOf(string organisation) => People.TryGetValue(organisation, out var found) ? found : [];

    [Fact]
    public void A_status_change_goes_to_the_resident_only()
    {
        Assert.Equal([new MailRecipient("ans@example.nl", NotificationKind.ComplaintUpdates)], NotificationRules.MailRecipients(Event(EventTypes.ComplaintStatusChanged), PeopleOf));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("partner:open311:demo")]
    public void A_complaint_without_a_mail_address_behind_it_mails_nobody_on_a_change(string? person)
    {
        Assert.Empty(NotificationRules.MailRecipients(Event(EventTypes.ComplaintStatusChanged, person), PeopleOf));
    }

    [Theory]
    [InlineData(EventTypes.ComplaintFiled, NotificationKind.NewComplaints)]
    [InlineData(EventTypes.ComplaintOverdue, NotificationKind.OverdueComplaints)]
    public void New_and_overdue_complaints_go_to_the_executing_organisations_staff_and_admins_once_each(string type, NotificationKind kind)
    {
        Assert.Equal([new("baas@afval.example", kind), new("planner@afval.example", kind)], NotificationRules.MailRecipients(Event(type), PeopleOf));
    }

    [Fact]
    public void Every_kind_has_a_name_that_reads_back_and_an_unknown_name_is_none()
    {
        foreach (var kind in Enum.GetValues<NotificationKind>()) Assert.Equal(kind, NotificationRules.KindNamed(NotificationRules.NameOf(kind)));
        Assert.Null(NotificationRules.KindNamed("everything"));
        Assert.Null(NotificationRules.KindNamed(null));
    }

    [Fact]
    public void Staff_may_set_the_kinds_of_their_work_and_residents_only_their_own_complaints()
    {
        Assert.Equal([NotificationKind.ComplaintUpdates, NotificationKind.FollowedReports], NotificationRules.KindsFor(new Caller(CallerKind.User, "a@x.nl", "GM0405", [Roles.Citizen], [])));
        var staff = NotificationRules.KindsFor(new Caller(CallerKind.User, "b@x.nl", "afvalbedrijf-nhn", [Roles.ExecutorStaff], []));
        Assert.Contains(NotificationKind.OverdueComplaints, staff);
        Assert.DoesNotContain(NotificationKind.FollowedReports, staff); // reports are followed in one's own municipality
    }

    [Fact]
    public void A_status_change_goes_to_the_resident_and_then_to_each_follower_once_never_the_author_twice()
    {
        string[] followers = ["Piet@Example.nl", "ans@example.nl", "not-an-address", "anna@example.nl", "piet@example.nl"];
        var asked = new List<string>();
        var recipients = NotificationRules.MailRecipients(Event(EventTypes.ComplaintStatusChanged), PeopleOf, id => { asked.Add(id); return followers; });

        Assert.Equal([new MailRecipient("ans@example.nl", NotificationKind.ComplaintUpdates), new("anna@example.nl", NotificationKind.FollowedReports),
            new("piet@example.nl", NotificationKind.FollowedReports)], recipients);
        Assert.Equal(["c-1"], asked);
        // A partner filed it (no address behind it): its followers are still told.
        Assert.Equal(["anna@example.nl", "ans@example.nl", "piet@example.nl"], NotificationRules.MailRecipients(Event(EventTypes.ComplaintStatusChanged, person: null), PeopleOf, _ => followers).Select(r => r.Address));
        // Followers hear of status changes only, not of the filing or the overdue dates (those are for staff).
        Assert.DoesNotContain(NotificationRules.MailRecipients(Event(EventTypes.ComplaintFiled), PeopleOf, _ => followers), r => r.Kind == NotificationKind.FollowedReports);
    }

    [Fact]
    public void A_follower_reads_the_status_without_the_staffs_note_and_is_sent_to_the_public_report()
    {
        var data = new ComplaintEventData("c-1", "afval-nhn", "grofvuil", "Grofvuil", "Submitted", "Rejected", "Mevrouw De Vries aan de Dorpsstraat 1 belde ons");
        var e = Event(EventTypes.ComplaintStatusChanged, data: data);
        var webApp = new Uri("https://regelingen.example/");
        var page = NotificationMail.PageOf(e, webApp, NotificationKind.FollowedReports);
        var unsubscribe = new Uri("https://regelingen.example/unsubscribe?p=a&k=followed-reports&t=x");

        var dutch = NotificationMail.Compose(e, "nl", page, unsubscribe, NotificationKind.FollowedReports);
        var english = NotificationMail.Compose(e, "en", page, unsubscribe, NotificationKind.FollowedReports);

        Assert.Equal("https://regelingen.example/reports?gemeente=GM0405#report-c-1", page.ToString());
        Assert.Equal(new Uri(webApp, "complaints/c-1"), NotificationMail.PageOf(e, webApp)); // the author's own page
        Assert.Equal("Een melding die u volgt, over Grofvuil: afgewezen", dutch.Subject);
        Assert.Equal("A report you follow, about Grofvuil: rejected", english.Subject);
        Assert.All(new[] { dutch.Text, dutch.Html, english.Text, english.Html }, body => Assert.DoesNotContain("De Vries", body, StringComparison.Ordinal));
        Assert.Contains(page.ToString(), dutch.Text, StringComparison.Ordinal);
        // The author's mail of the same event does carry the note.
        Assert.Contains("De Vries", NotificationMail.Compose(e, "nl", page, unsubscribe).Text, StringComparison.Ordinal);
        // A day's digest of followed reports uses the follower's words and links.
        var digest = NotificationMail.Digest([e], NotificationKind.FollowedReports, "nl", webApp, unsubscribe);
        Assert.Contains("Een melding die u volgt, over Grofvuil: afgewezen: https://regelingen.example/reports?gemeente=GM0405#report-c-1", digest.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("De Vries", digest.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mail_escapes_what_people_wrote_in_HTML_and_names_the_status_in_the_persons_language()
    {
        var data = new ComplaintEventData("c-1", "afval-nhn", "grofvuil", "Grof <vuil>", "Submitted", "Rejected", "Niet ons werk: <script>alert(1)</script>");
        var page = new Uri("https://regelingen.example/complaints/c-1");
        var unsubscribe = new Uri("https://regelingen.example/unsubscribe?p=a&k=complaint-updates&t=x");

        var dutch = NotificationMail.Compose(Event(EventTypes.ComplaintStatusChanged, data: data), "nl", page, unsubscribe);
        var english = NotificationMail.Compose(Event(EventTypes.ComplaintStatusChanged, data: data), "en", page, unsubscribe);

        Assert.Equal("Uw melding over Grof <vuil>: afgewezen", dutch.Subject);
        Assert.Equal("Your complaint about Grof <vuil>: rejected", english.Subject);
        Assert.DoesNotContain("<script>", dutch.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", dutch.Html, StringComparison.Ordinal);
        Assert.Contains("Niet ons werk: <script>alert(1)</script>", dutch.Text, StringComparison.Ordinal); // plain text stays as written
        Assert.Contains(page.ToString(), dutch.Text, StringComparison.Ordinal);
        Assert.Contains(unsubscribe.ToString(), english.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsubscribe_signature_holds_for_its_address_and_kind_only_and_the_address_is_case_blind()
    {
        var key = Encoding.UTF8.GetBytes("a-test-key-of-at-least-thirty-two-characters");
        var token = UnsubscribeLinks.Sign(key, "Ans@Example.nl", NotificationKind.ComplaintUpdates);

        Assert.True(UnsubscribeLinks.Verify(key, "ans@example.nl", NotificationKind.ComplaintUpdates, token));
        Assert.False(UnsubscribeLinks.Verify(key, "bob@example.nl", NotificationKind.ComplaintUpdates, token));
        Assert.False(UnsubscribeLinks.Verify(key, "ans@example.nl", NotificationKind.NewComplaints, token));
        Assert.False(UnsubscribeLinks.Verify(Encoding.UTF8.GetBytes("another-key-of-at-least-thirty-two-characters"), "ans@example.nl", NotificationKind.ComplaintUpdates, token));
        Assert.False(UnsubscribeLinks.Verify(key, "ans@example.nl", NotificationKind.ComplaintUpdates, token[..^1]));
        Assert.False(UnsubscribeLinks.Verify(key, "ans@example.nl", NotificationKind.ComplaintUpdates, null));
        Assert.False(UnsubscribeLinks.Verify(key, "ans@example.nl", NotificationKind.ComplaintUpdates, new string('A', 5_000)));

        var link = UnsubscribeLinks.Link(new Uri("https://regelingen.example/"), key, "Ans+test@Example.nl", NotificationKind.ComplaintUpdates);
        Assert.Equal("/unsubscribe", link.AbsolutePath);
        Assert.Contains("p=ans%2Btest%40example.nl", link.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void An_opinion_period_goes_to_the_admins_and_aldermen_of_every_member_and_voting_to_their_board_members()
    {
        Assert.Equal(
            [new("beheer@gm0398.example", NotificationKind.OpinionPeriods), new("beheer@gm0405.example", NotificationKind.OpinionPeriods), new("wethouder@gm0405.example", NotificationKind.OpinionPeriods)],
            NotificationRules.MailRecipients(ProposalEvent(EventTypes.ProposalOpinionPeriodOpened, Proposal), PeopleOf));
        foreach (var type in new[] { EventTypes.ProposalVotingOpened, EventTypes.ProposalClosed })
        {
            Assert.Equal([new("bestuur@gm0398.example", NotificationKind.ProposalVotes), new("bestuur@gm0405.example", NotificationKind.ProposalVotes)],
                NotificationRules.MailRecipients(ProposalEvent(type, Proposal), PeopleOf));
        }
        // A tariff or a membership is told to partners, not by mail.
        Assert.Empty(NotificationRules.MailRecipients(ProposalEvent(EventTypes.TariffPublished, Proposal), PeopleOf));
    }

    [Fact]
    public void The_closing_reminder_goes_only_to_the_board_members_of_members_that_have_not_voted()
    {
        var e = ProposalEvent(EventTypes.ProposalClosingSoon, Proposal with { NotVoted = ["GM0398"] });
        Assert.Equal([new MailRecipient("bestuur@gm0398.example", NotificationKind.ProposalVotes)], NotificationRules.MailRecipients(e, PeopleOf));
        Assert.Empty(NotificationRules.MailRecipients(ProposalEvent(EventTypes.ProposalClosingSoon, Proposal with { NotVoted = [] }), PeopleOf));
    }

    [Fact]
    public void An_arrangement_event_concerns_its_members_and_the_executing_organisation_and_a_complaint_its_municipality()
    {
        Assert.Equal(["afvalbedrijf-nhn", "GM0405", "GM0398"], NotificationRules.Organisations(ProposalEvent(EventTypes.ProposalVotingOpened, Proposal)));
        Assert.Equal(["GM0405", "afvalbedrijf-nhn"], NotificationRules.Organisations(Event(EventTypes.ComplaintFiled)));
    }

    [Fact]
    public void A_board_member_may_set_proposal_votes_and_an_alderman_opinion_periods()
    {
        Assert.Contains(NotificationKind.ProposalVotes, NotificationRules.KindsFor(new Caller(CallerKind.User, "b@x.nl", "GM0405", [Roles.BoardMember], [])));
        Assert.DoesNotContain(NotificationKind.OpinionPeriods, NotificationRules.KindsFor(new Caller(CallerKind.User, "b@x.nl", "GM0405", [Roles.BoardMember], [])));
        Assert.Contains(NotificationKind.OpinionPeriods, NotificationRules.KindsFor(new Caller(CallerKind.User, "w@x.nl", "GM0405", [Roles.Alderman], [])));
        Assert.DoesNotContain(NotificationKind.ProposalVotes, NotificationRules.KindsFor(new Caller(CallerKind.User, "a@x.nl", "GM0405", [Roles.Citizen], [])));
    }

    [Fact]
    public void A_proposal_mail_names_the_close_on_Amsterdams_clock_links_the_proposal_and_escapes_the_title()
    {
        var e = ProposalEvent(EventTypes.ProposalClosingSoon, Proposal with { Title = "Bouwpuin <gratis>", NotVoted = ["GM0398"] });
        var page = NotificationMail.PageOf(e, new Uri("https://regelingen.example/"));
        var unsubscribe = new Uri("https://regelingen.example/unsubscribe?p=a&k=proposal-votes&t=x");
        var dutch = NotificationMail.Compose(e, "nl", page, unsubscribe);
        var english = NotificationMail.Compose(e, "en", page, unsubscribe);

        Assert.Equal("https://regelingen.example/proposals/p-1", page.ToString());
        // 16:00 UTC on 13 March is 17:00 in Amsterdam (winter time).
        Assert.Equal("Herinnering: stemming sluit 13-03-2026 om 17:00: Bouwpuin <gratis>", dutch.Subject);
        Assert.Equal("Reminder: voting closes 2026-03-13 17:00: Bouwpuin <gratis>", english.Subject);
        Assert.Contains("Afvalregeling &lt;NHN&gt;", dutch.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<gratis>", dutch.Html.Replace("<title>", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(page.ToString(), english.Text, StringComparison.Ordinal);

        var closed = NotificationMail.Compose(ProposalEvent(EventTypes.ProposalClosed, Proposal with { Outcome = "Adopted", Explanation = "2 of 2 seats voted yes" }), "nl", page, unsubscribe);
        Assert.Equal("Uitslag: Bouwpuin gratis: aangenomen", closed.Subject);
        Assert.Contains("Toelichting: 2 of 2 seats voted yes", closed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_daily_digest_is_due_at_seven_in_Amsterdam_today_if_still_to_come_else_tomorrow_in_summer_and_winter()
    {
        // Winter (UTC+1): 05:59 UTC is 06:59 local, so today 07:00 local = 06:00 UTC; at 06:00 UTC exactly it is tomorrow's.
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 6, 0, 0, TimeSpan.Zero), NotificationRules.NextDigestAt(new DateTimeOffset(2026, 1, 15, 5, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 6, 0, 0, TimeSpan.Zero), NotificationRules.NextDigestAt(new DateTimeOffset(2026, 1, 15, 6, 0, 0, TimeSpan.Zero)));
        // Summer (UTC+2): 07:00 local is 05:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 7, 2, 5, 0, 0, TimeSpan.Zero), NotificationRules.NextDigestAt(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)));
        // The night the clocks go forward (29 March 2026): still 07:00 on the wall, now 05:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero), NotificationRules.NextDigestAt(new DateTimeOffset(2026, 3, 28, 22, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_digest_lists_each_event_with_its_page_in_the_persons_language_and_escapes_HTML()
    {
        var events = new[]
        {
            Event(EventTypes.ComplaintFiled, data: new ComplaintEventData("c-1", "afval-nhn", "grofvuil", "Grof <vuil>", null, "Submitted", Due: new DateOnly(2026, 3, 2))),
            Event(EventTypes.ComplaintFiled, data: new ComplaintEventData("c-1", "afval-nhn", "bouwpuin", "Bouwpuin", null, "Submitted", Due: new DateOnly(2026, 3, 3))),
        };
        var web = new Uri("https://regelingen.example/");
        var unsubscribe = new Uri("https://regelingen.example/unsubscribe?p=a&k=new-complaints&t=x");
        var dutch = NotificationMail.Digest(events, NotificationKind.NewComplaints, "nl", web, unsubscribe);
        var english = NotificationMail.Digest(events, NotificationKind.NewComplaints, "en", web, unsubscribe);

        Assert.Equal("Dagoverzicht: 2 × nieuwe meldingen", dutch.Subject);
        Assert.Equal("Daily summary: 2 × new complaints", english.Subject);
        Assert.Contains("- Nieuwe melding over Grof <vuil>: https://regelingen.example/complaints/c-1", dutch.Text, StringComparison.Ordinal);
        Assert.Contains("- New complaint about Bouwpuin: https://regelingen.example/complaints/c-1", english.Text, StringComparison.Ordinal);
        Assert.Contains("Grof &lt;vuil&gt;", dutch.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<vuil>", dutch.Html, StringComparison.Ordinal);
        Assert.Contains(unsubscribe.ToString(), dutch.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_weekly_summary_is_due_on_Monday_at_seven_and_named_by_its_ISO_week()
    {
        // Tuesday 1 December 2026 → Monday 7 December, 07:00 winter time (06:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero), NotificationRules.NextWeeklySummaryAt(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
        // Monday 7 December at 06:59 local: that same morning; at 07:00 local: a week later.
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero), NotificationRules.NextWeeklySummaryAt(new DateTimeOffset(2026, 12, 7, 5, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 6, 0, 0, TimeSpan.Zero), NotificationRules.NextWeeklySummaryAt(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-W49", NotificationRules.WeekOf(new DateOnly(2026, 12, 1)));
        Assert.Equal("2026-W53", NotificationRules.WeekOf(new DateOnly(2027, 1, 1))); // a Friday: still week 53 of 2026
    }

    [Fact]
    public void The_weekly_summary_goes_to_the_municipalitys_contract_managers_only_and_names_them_all_when_more_than_listed()
    {
        var data = new OverdueSummaryData("afval-nhn", "Afval NHN", "GM0405", "2026-W49", 103,
            [.. Enumerable.Range(1, OverdueSummaryData.MaxListed).Select(i => new OverdueComplaint($"c-{i}", "grofvuil", "Acknowledged", new DateOnly(2026, 11, 20)))]);
        var e = new PlatformEvent("overdue:afval-nhn:GM0405:2026-W49", EventTypes.OverdueWeeklySummary, DateTimeOffset.UnixEpoch, "afval-nhn/GM0405", "afval-nhn", "GM0405", "afvalbedrijf-nhn", null, EventData.Write(data));

        Assert.Equal([new MailRecipient("cm@gm0405.example", NotificationKind.OverdueSummary)], NotificationRules.MailRecipients(e, PeopleOf));
        var mail = NotificationMail.Compose(e, "nl", NotificationMail.PageOf(e, new Uri("https://regelingen.example/")), new Uri("https://regelingen.example/unsubscribe"));
        Assert.Equal("Week 2026-W49: 103 meldingen over de termijn in Afval NHN", mail.Subject);
        Assert.Contains("c-1 (grofvuil, in behandeling genomen, oplossen uiterlijk 20-11-2026)", mail.Text, StringComparison.Ordinal);
        Assert.Contains("en nog 3", mail.Text, StringComparison.Ordinal);
        Assert.Contains("https://regelingen.example/complaints?arrangement=afval-nhn&overdue=true", mail.Text, StringComparison.Ordinal);
    }

    private static ArrangementEventData Incident(string level, string? reason = null, bool? resolved = null, string? explanation = null) =>
        new("afval-nhn", "Afvalregeling <NHN>", ["GM0405", "GM0398"], Title: "Zout <op>", IncidentId: "inc-1", Level: level, Reason: reason, Resolved: resolved, Explanation: explanation);

    [Fact]
    public void An_incident_is_mailed_to_the_level_it_reaches_and_each_decision_to_the_members_contract_managers()
    {
        var kind = NotificationKind.Incidents;
        Assert.Equal([new("baas@afval.example", kind), new("planner@afval.example", kind)],
            NotificationRules.MailRecipients(ProposalEvent(EventTypes.IncidentReported, Incident("Operations")), PeopleOf));
        Assert.Equal([new("cm@gm0405.example", kind)],
            NotificationRules.MailRecipients(ProposalEvent(EventTypes.IncidentEscalated, Incident("ContractManagers", "DeadlinePassed")), PeopleOf));
        // The aldermen of the members only: the executing organisation's alderman-like entry is not theirs to decide.
        Assert.Equal([new("wethouder@gm0405.example", kind)],
            NotificationRules.MailRecipients(ProposalEvent(EventTypes.IncidentEscalated, Incident("AldermenCommittee", "Political")), PeopleOf));
        Assert.Equal([new("cm@gm0405.example", kind)],
            NotificationRules.MailRecipients(ProposalEvent(EventTypes.IncidentDecided, Incident("Operations", resolved: false, explanation: "Extra wagen")), PeopleOf));
        Assert.Contains(NotificationKind.Incidents, NotificationRules.KindsFor(new(CallerKind.User, "a", "GM0405", [Roles.Alderman], [])));
        Assert.DoesNotContain(NotificationKind.Incidents, NotificationRules.KindsFor(new(CallerKind.User, "c", "GM0405", [Roles.Citizen], [])));
        Assert.Equal(NotificationKind.Incidents, NotificationRules.KindNamed("incidents"));
    }

    [Fact]
    public void Incident_mails_say_where_it_is_now_and_why_in_Dutch_and_English_with_HTML_escaped()
    {
        var unsubscribe = new Uri("https://regelingen.example/unsubscribe?x=1");
        var late = ProposalEvent(EventTypes.IncidentEscalated, Incident("ContractManagers", "DeadlinePassed", explanation: "Operations did not decide"));
        var page = NotificationMail.PageOf(late, new Uri("https://regelingen.example/"));
        Assert.Equal("https://regelingen.example/incidents/inc-1", page.ToString()); // the incident's own page, where its level decides
        var dutch = NotificationMail.Compose(late, "nl", page, unsubscribe);
        var english = NotificationMail.Compose(late, "en", page, unsubscribe);
        Assert.Equal("Incident voor de contractmanagers: Zout <op>", dutch.Subject);
        Assert.Contains("omdat het niveau eronder niet op tijd besloot", dutch.Text);
        Assert.Equal("Incident for the contract managers: Zout <op>", english.Subject);
        Assert.Contains("because the level below did not decide in time", english.Text);
        Assert.Contains("See the incident and its steps: https://regelingen.example/incidents/inc-1", english.Text);
        Assert.Contains("Zout &lt;op&gt;", dutch.Html);
        Assert.DoesNotContain("Zout <op>", dutch.Html);
        var resolved = NotificationMail.Compose(ProposalEvent(EventTypes.IncidentDecided, Incident("AldermenCommittee", resolved: true, explanation: "Zout inkopen")), "nl", page, unsubscribe);
        Assert.Equal("Besloten en opgelost: Zout <op>", resolved.Subject);
        Assert.Contains("Het wethoudersoverleg besloot", resolved.Text);
        Assert.Contains("Zout inkopen", resolved.Text);
    }

    private static ArrangementEventData Work(decimal? amount = null, string? note = null) =>
        new("afval-nhn", "Afvalregeling <NHN>", ["GM0405", "GM0398"], Title: "Zout <bijkopen>", Municipality: "GM0405", Amount: amount, Explanation: note, ExtraWorkId: "xw-1");

    [Fact]
    public void Extra_work_goes_to_the_executor_when_asked_approved_or_declined_and_to_the_asking_member_when_quoted_or_invoiced()
    {
        var kind = NotificationKind.ExtraWork;
        List<MailRecipient> executor = [new("baas@afval.example", kind), new("planner@afval.example", kind)];
        // Only the member that asked (and pays): its contract managers and admins, not the other member's people.
        List<MailRecipient> asker = [new("beheer@gm0405.example", kind), new("cm@gm0405.example", kind)];
        foreach (var type in new[] { EventTypes.ExtraWorkRequested, EventTypes.ExtraWorkApproved, EventTypes.ExtraWorkDeclined })
        {
            Assert.Equal(executor, NotificationRules.MailRecipients(ProposalEvent(type, Work(100m)), PeopleOf));
        }
        foreach (var type in new[] { EventTypes.ExtraWorkQuoted, EventTypes.ExtraWorkInvoiced })
        {
            Assert.Equal(asker, NotificationRules.MailRecipients(ProposalEvent(type, Work(100m)), PeopleOf));
        }
        Assert.Contains(kind, NotificationRules.KindsFor(new(CallerKind.User, "m", "GM0405", [Roles.MunicipalityAdmin], [])));
        Assert.DoesNotContain(kind, NotificationRules.KindsFor(new(CallerKind.User, "b", "GM0405", [Roles.BoardMember], [])));
        Assert.Equal(kind, NotificationRules.KindNamed("extra-work"));

        var quoted = ProposalEvent(EventTypes.ExtraWorkQuoted, Work(12_500m, "40 ton"));
        var page = NotificationMail.PageOf(quoted, new Uri("https://regelingen.example/"));
        Assert.Equal("https://regelingen.example/extra-work/xw-1", page.ToString());
        var dutch = NotificationMail.Compose(quoted, "nl", page, new Uri("https://regelingen.example/unsubscribe"));
        Assert.Equal("Offerte € 12500,00: Zout <bijkopen>", dutch.Subject);
        Assert.Contains("hooguit het goedgekeurde bedrag", dutch.Text);
        Assert.Contains("40 ton", dutch.Text);
        Assert.Contains("Zout &lt;bijkopen&gt;", dutch.Html);
        var english = NotificationMail.Compose(ProposalEvent(EventTypes.ExtraWorkInvoiced, Work(990.5m)), "en", page, new Uri("https://regelingen.example/unsubscribe"));
        Assert.Equal("Invoiced EUR 990.50: Zout <bijkopen>", english.Subject);
        Assert.Contains("See the request, its quote and its steps: https://regelingen.example/extra-work/xw-1", english.Text);
    }
}
