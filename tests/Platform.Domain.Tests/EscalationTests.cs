using Platform.Domain.Access;
using Platform.Domain.Incidents;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class EscalationTests
{
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);
    private static readonly string[] Members = ["GM0405", "GM0398"];
    private const string Executor = "afvalbedrijf-nhn";

    private static Caller Person(string organisation, params string[] roles) => new(CallerKind.User, $"p@{organisation}", organisation, roles, []);

    [Theory]
    [InlineData(EscalationLevel.Operations, EscalationLevel.ContractManagers, false, null)]
    [InlineData(EscalationLevel.ContractManagers, EscalationLevel.AldermenCommittee, false, null)]
    [InlineData(EscalationLevel.Operations, EscalationLevel.AldermenCommittee, false, Escalation.SkipsAStep)]
    [InlineData(EscalationLevel.Operations, EscalationLevel.AldermenCommittee, true, null)]
    [InlineData(EscalationLevel.ContractManagers, EscalationLevel.Operations, false, ViolationCodes.IllegalTransition)]
    [InlineData(EscalationLevel.AldermenCommittee, EscalationLevel.AldermenCommittee, true, ViolationCodes.IllegalTransition)]
    public void A_raise_goes_one_step_up_or_to_the_aldermen_at_once_when_political(EscalationLevel from, EscalationLevel to, bool political, string? refusedWith)
    {
        Assert.Equal(refusedWith, Escalation.CheckRaise(from, to, political)?.Code);
    }

    [Fact]
    public void Each_level_has_its_deadline_and_the_committee_none()
    {
        var d = EscalationDeadlines.Default;
        Assert.Equal(Monday.AddHours(4), Escalation.DecideBy(EscalationLevel.Operations, Monday, d));
        Assert.Equal(Monday.AddHours(24), Escalation.DecideBy(EscalationLevel.ContractManagers, Monday, d));
        Assert.Null(Escalation.DecideBy(EscalationLevel.AldermenCommittee, Monday, d));
        Assert.Equal(EscalationLevel.AldermenCommittee, Escalation.FirstLevel(political: true));
        Assert.Equal(EscalationLevel.Operations, Escalation.FirstLevel(political: false));
    }

    [Fact]
    public void Only_an_open_undecided_level_whose_deadline_passed_moves_up()
    {
        var step = new EscalationStep(EscalationLevel.Operations, Monday, EscalationReason.Reported, "x", Monday.AddHours(4));
        Assert.Null(Escalation.DueEscalation(IncidentStatus.Open, step, Monday.AddHours(4).AddSeconds(-1)));
        Assert.Equal(EscalationLevel.ContractManagers, Escalation.DueEscalation(IncidentStatus.Open, step, Monday.AddHours(4)));
        Assert.Null(Escalation.DueEscalation(IncidentStatus.Open, step with { Decision = "Extra wagen" }, Monday.AddDays(1)));
        Assert.Null(Escalation.DueEscalation(IncidentStatus.Resolved, step, Monday.AddDays(1)));
        var top = new EscalationStep(EscalationLevel.AldermenCommittee, Monday, EscalationReason.Political, "x", null);
        Assert.Null(Escalation.DueEscalation(IncidentStatus.Open, top, Monday.AddYears(1)));
    }

    [Fact]
    public void Each_level_is_decided_by_its_own_people_of_this_arrangement()
    {
        var staff = Person(Executor, Roles.ExecutorStaff);
        var otherStaff = Person("other-executor", Roles.ExecutorStaff);
        var manager = Person("GM0405", Roles.ContractManager);
        var strangerManager = Person("GM0363", Roles.ContractManager);
        var alderman = Person("GM0398", Roles.Alderman);
        var board = Person("GM0398", Roles.BoardMember);

        Assert.True(Escalation.MayDecide(staff, EscalationLevel.Operations, Executor, Members).Allowed);
        Assert.False(Escalation.MayDecide(otherStaff, EscalationLevel.Operations, Executor, Members).Allowed);
        Assert.False(Escalation.MayDecide(staff, EscalationLevel.ContractManagers, Executor, Members).Allowed);
        Assert.True(Escalation.MayDecide(manager, EscalationLevel.ContractManagers, Executor, Members).Allowed);
        Assert.False(Escalation.MayDecide(strangerManager, EscalationLevel.ContractManagers, Executor, Members).Allowed);
        Assert.True(Escalation.MayDecide(alderman, EscalationLevel.AldermenCommittee, Executor, Members).Allowed);
        Assert.False(Escalation.MayDecide(board, EscalationLevel.AldermenCommittee, Executor, Members).Allowed);
        Assert.True(Escalation.MayDecide(Caller.Anonymous, EscalationLevel.Operations, Executor, Members).NeedsAuthentication);

        Assert.True(Escalation.MayReport(staff, Executor, Members).Allowed);
        Assert.True(Escalation.MayReport(manager, Executor, Members).Allowed);
        Assert.False(Escalation.MayReport(Person("GM0405", Roles.Citizen), Executor, Members).Allowed);
        Assert.True(Escalation.MayRaise(alderman, EscalationLevel.Operations, Executor, Members).Allowed);
        Assert.False(Escalation.MayRaise(otherStaff, EscalationLevel.Operations, Executor, Members).Allowed);
    }

    [Fact]
    public void A_report_names_its_missing_long_and_unreadable_fields()
    {
        Assert.Empty(Escalation.ValidateReport("Het zout is op", "De loods is leeg."));
        Assert.Equal([("title", ViolationCodes.Required), ("description", ViolationCodes.TooLong)],
            Escalation.ValidateReport(" ", new string('a', Escalation.MaxText + 1)).Select(v => (v.Field, v.Code)));
        Assert.Equal([("title", ViolationCodes.InvalidFormat)], Escalation.ValidateReport("Zout\u0000", "x").Select(v => (v.Field, v.Code)));
    }
}
