using System.Text;
using Platform.Domain.Access;
using Platform.Domain.Events;

namespace Platform.Domain.Tests;

public sealed class NotificationRulesTests
{
    private static PlatformEvent Event(string type, string? person = "ans@example.nl") =>
        new("complaint:c-1:2:0", type, DateTimeOffset.UnixEpoch, "c-1", "afval-nhn", "GM0405", "afvalbedrijf-nhn", person, "{}");

    private static readonly (string, string)[] Staff =
    [
        ("Planner@Afval.example", Roles.ExecutorStaff), ("baas@afval.example", Roles.ExecutorAdmin), ("planner@afval.example", Roles.ExecutorStaff),
        ("wethouder@gm0405.example", Roles.Alderman),
    ];

    [Fact]
    public void A_status_change_goes_to_the_resident_only()
    {
        Assert.Equal([new MailRecipient("ans@example.nl", NotificationKind.ComplaintUpdates)], NotificationRules.MailRecipients(Event(EventTypes.ComplaintStatusChanged), Staff));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("partner:open311:demo")]
    public void A_complaint_without_a_mail_address_behind_it_mails_nobody_on_a_change(string? person)
    {
        Assert.Empty(NotificationRules.MailRecipients(Event(EventTypes.ComplaintStatusChanged, person), Staff));
    }

    [Theory]
    [InlineData(EventTypes.ComplaintFiled, NotificationKind.NewComplaints)]
    [InlineData(EventTypes.ComplaintOverdue, NotificationKind.OverdueComplaints)]
    public void New_and_overdue_complaints_go_to_the_executing_organisations_staff_and_admins_once_each(string type, NotificationKind kind)
    {
        Assert.Equal([new("baas@afval.example", kind), new("planner@afval.example", kind)], NotificationRules.MailRecipients(Event(type), Staff));
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
        Assert.Equal([NotificationKind.ComplaintUpdates], NotificationRules.KindsFor(new Caller(CallerKind.User, "a@x.nl", "GM0405", [Roles.Citizen], [])));
        Assert.Contains(NotificationKind.OverdueComplaints, NotificationRules.KindsFor(new Caller(CallerKind.User, "b@x.nl", "afvalbedrijf-nhn", [Roles.ExecutorStaff], [])));
    }

    [Fact]
    public void The_mail_escapes_what_people_wrote_in_HTML_and_names_the_status_in_the_persons_language()
    {
        var data = new ComplaintEventData("c-1", "afval-nhn", "grofvuil", "Grof <vuil>", "Submitted", "Rejected", "Niet ons werk: <script>alert(1)</script>");
        var page = new Uri("https://regelingen.example/complaints/c-1");
        var unsubscribe = new Uri("https://regelingen.example/unsubscribe?p=a&k=complaint-updates&t=x");

        var dutch = NotificationMail.Compose(Event(EventTypes.ComplaintStatusChanged), data, "nl", page, unsubscribe);
        var english = NotificationMail.Compose(Event(EventTypes.ComplaintStatusChanged), data, "en", page, unsubscribe);

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
}
