using Platform.Domain.Access;
using Platform.Domain.Consultations;

namespace Platform.Domain.Tests;

public sealed class ConsultationRulesTests
{
    private static readonly DateOnly Meeting = new(2026, 12, 14);
    private static readonly string[] Parties = ["GM0405", "GM0420", "afvalbedrijf-nhn"];

    [Fact]
    public void Minutes_name_every_action_item_without_an_owner_a_party_or_a_due_date_not_before_the_meeting()
    {
        ActionItemInput[] items =
        [
            new("Offerte zout", "afvalbedrijf-nhn", Meeting),
            new("Zonder eigenaar", " ", Meeting.AddDays(3)),
            new("Vreemde partij", "GM0363", Meeting.AddDays(3)),
            new("Te vroeg", "GM0405", Meeting.AddDays(-1)),
            new("", "GM0405", null),
        ];
        var violations = ConsultationRules.ValidateMinutes("Besproken", ["Bijkopen"], items, Meeting, Parties);
        Assert.Equal(
            [("actionItems[1].owner", "REQUIRED"), ("actionItems[2].owner", "NOT_FOUND"), ("actionItems[3].due", "INVALID_PERIOD"), ("actionItems[4].text", "REQUIRED"), ("actionItems[4].due", "REQUIRED")],
            violations.Select(v => (v.Field, v.Code)));
        Assert.Empty(ConsultationRules.ValidateMinutes("Besproken", null, null, Meeting, Parties));
        Assert.Equal(["minutes"], ConsultationRules.ValidateMinutes(" ", null, null, Meeting, Parties).Select(v => v.Field));
    }

    [Fact]
    public void A_meeting_is_scheduled_from_today_up_to_two_years_ahead_with_at_most_fifty_agenda_lines()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        Assert.Empty(ConsultationRules.ValidateSchedule("Overleg", now.AddHours(-2), now, ["Zout"]));
        Assert.Equal(["scheduledAt"], ConsultationRules.ValidateSchedule("Overleg", now.AddDays(-2), now, null).Select(v => v.Field));
        Assert.Equal(["scheduledAt"], ConsultationRules.ValidateSchedule("Overleg", now.AddYears(3), now, null).Select(v => v.Field));
        Assert.Equal(["agenda"], ConsultationRules.ValidateSchedule("Overleg", now, now, Enumerable.Repeat("punt", 51).ToList()).Select(v => v.Field));
    }

    [Fact]
    public void The_next_agenda_lists_earlier_items_still_open_that_were_due_before_the_meeting_oldest_first()
    {
        var earlier = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        CarriedActionItem Item(int n, DateOnly due, bool done = false, DateTimeOffset? heldAt = null) =>
            new("mtg-1", "Contractoverleg", heldAt ?? earlier, new(n, $"punt {n}", "GM0405", due, done ? earlier : null));
        var notKept = ConsultationRules.NotKept(
        [
            Item(1, Meeting.AddDays(-3)),
            Item(2, Meeting.AddDays(-20)),
            Item(3, Meeting.AddDays(-5), done: true),
            Item(4, Meeting),                     // due on the day itself: not late yet
            Item(5, Meeting.AddDays(10)),
            Item(6, Meeting.AddDays(-1), heldAt: new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.Zero)), // agreed at a later meeting
        ], Meeting);
        Assert.Equal([2, 1], notKept.Select(c => c.Item.Number));
        Assert.True(new ActionItem(1, "x", "GM0405", Meeting).OverdueOn(Meeting.AddDays(1)));
        Assert.False(new ActionItem(1, "x", "GM0405", Meeting).OverdueOn(Meeting));
    }

    [Fact]
    public void The_parties_organise_and_only_an_items_owner_marks_it_done()
    {
        static Caller Person(string org, params string[] roles) => new(CallerKind.User, $"p@{org}", org, roles, []);
        string[] members = ["GM0405", "GM0420"];
        Assert.Equal([true, true, true, false, false, false],
            new[] { Person("GM0405", Roles.ContractManager), Person("GM0420", Roles.MunicipalityAdmin), Person("afvalbedrijf-nhn", Roles.ExecutorStaff),
                    Person("GM0405", Roles.Citizen), Person("GM0405", Roles.BoardMember), Person("GM0363", Roles.ContractManager) }
                .Select(c => ConsultationRules.MayOrganise(c, "afvalbedrijf-nhn", members).Allowed));
        Assert.True(ConsultationRules.MayComplete(Person("GM0420", Roles.ContractManager), "GM0420").Allowed);
        Assert.False(ConsultationRules.MayComplete(Person("GM0405", Roles.ContractManager), "GM0420").Allowed);
        Assert.False(ConsultationRules.MayComplete(Person("GM0420", Roles.Citizen), "GM0420").Allowed);
    }
}
