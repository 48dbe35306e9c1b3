using Platform.Domain.Access;
using Platform.Domain.Performance;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class PerformanceRulesTests
{
    private static readonly string[] Members = ["GM0405", "GM0420"];
    private const string Executor = "afvalbedrijf-nhn";
    private static readonly string[] Services = ["grofvuil", "restafval"];
    private static readonly DateOnly Today = new(2026, 3, 15);

    private static Caller Person(string organisation, params string[] roles) => new(CallerKind.User, $"p@{organisation}", organisation, roles, []);

    private static Indicator Monthly(IndicatorSource source = IndicatorSource.Reported, DateOnly? appliesFrom = null) =>
        new("ind-1", "Veiligheid", "Routes gestrooid", "%", 95, IndicatorDirection.AtLeast, ReportingPeriod.Month, source, null, appliesFrom ?? new(2026, 3, 10));

    [Theory]
    [InlineData(IndicatorDirection.AtLeast, 95, 94.9, true)]
    [InlineData(IndicatorDirection.AtLeast, 95, 95, false)]
    [InlineData(IndicatorDirection.AtLeast, 95, 100, false)]
    [InlineData(IndicatorDirection.AtMost, 5, 5.1, true)]
    [InlineData(IndicatorDirection.AtMost, 5, 5, false)]
    [InlineData(IndicatorDirection.AtMost, 5, 0, false)]
    public void A_figure_deviates_only_when_it_misses_the_target_in_the_indicators_direction(IndicatorDirection direction, double target, double value, bool deviates)
    {
        Assert.Equal(deviates, PerformanceRules.Deviates(direction, (decimal)target, (decimal)value));
    }

    [Theory]
    [InlineData(ReportingPeriod.Month, "2026-11", "2026-11-01", "2026-11-30")]
    [InlineData(ReportingPeriod.Month, "2024-02", "2024-02-01", "2024-02-29")]
    [InlineData(ReportingPeriod.Quarter, "2026-Q4", "2026-10-01", "2026-12-31")]
    [InlineData(ReportingPeriod.Quarter, "2026-Q1", "2026-01-01", "2026-03-31")]
    [InlineData(ReportingPeriod.Year, "2026", "2026-01-01", "2026-12-31")]
    public void Periods_are_named_and_parsed_both_ways(ReportingPeriod period, string name, string from, string to)
    {
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to)), PerformanceRules.Parse(period, name));
        Assert.Equal(name, PerformanceRules.NameOf(period, DateOnly.Parse(to)));
        Assert.Equal(name, PerformanceRules.NameOf(period, DateOnly.Parse(from)));
    }

    [Theory]
    [InlineData(ReportingPeriod.Month, "2026-13")]
    [InlineData(ReportingPeriod.Month, "2026-Q4")]
    [InlineData(ReportingPeriod.Month, "november")]
    [InlineData(ReportingPeriod.Quarter, "2026-Q5")]
    [InlineData(ReportingPeriod.Quarter, "2026-11")]
    [InlineData(ReportingPeriod.Year, "26")]
    [InlineData(ReportingPeriod.Year, "")]
    [InlineData(ReportingPeriod.Year, null)]
    public void A_name_that_is_not_a_period_of_the_indicators_kind_is_not_parsed(ReportingPeriod period, string? name)
    {
        Assert.Null(PerformanceRules.Parse(period, name));
    }

    [Theory]
    [InlineData("2026-04-29", "2026-04", ViolationCodes.NotOpen)]  // the month has not ended
    [InlineData("2026-04-30", "2026-04", null)]                    // its last day: open
    [InlineData("2026-05-31", "2026-04", null)]                    // the end of the month after it: still open
    [InlineData("2026-06-01", "2026-04", ViolationCodes.Closed)]   // then closed
    [InlineData("2026-04-30", "2026-02", ViolationCodes.InvalidPeriod)] // before the indicator applies (March)
    [InlineData("2026-04-30", "2026-03", null)]                    // the month it applies from counts
    [InlineData("2026-04-30", "2026-Q1", ViolationCodes.InvalidFormat)]
    public void A_period_is_open_for_its_report_from_its_last_day_to_the_end_of_the_month_after_it(string today, string period, string? refusedWith)
    {
        Assert.Equal(refusedWith, PerformanceRules.CheckReportable(Monthly(), period, DateOnly.Parse(today))?.Code);
    }

    [Fact]
    public void Only_a_members_contract_manager_or_admin_sets_indicators_and_only_the_executing_organisation_reports()
    {
        Assert.True(PerformanceRules.MayDefine(Person("GM0405", Roles.ContractManager), Members).Allowed);
        Assert.True(PerformanceRules.MayDefine(Person("GM0420", Roles.MunicipalityAdmin), Members).Allowed);
        Assert.False(PerformanceRules.MayDefine(Person("GM0405", Roles.BoardMember), Members).Allowed);
        Assert.False(PerformanceRules.MayDefine(Person("GM0363", Roles.ContractManager), Members).Allowed);
        Assert.False(PerformanceRules.MayDefine(Person(Executor, Roles.ExecutorAdmin), Members).Allowed);
        Assert.True(PerformanceRules.MayReport(Person(Executor, Roles.ExecutorStaff), Executor).Allowed);
        Assert.True(PerformanceRules.MayReport(new(CallerKind.Partner, "client", Executor, [], []), Executor).Allowed);
        Assert.False(PerformanceRules.MayReport(Person("gladheidsdienst", Roles.ExecutorStaff), Executor).Allowed);
        Assert.False(PerformanceRules.MayReport(Person("GM0405", Roles.ContractManager), Executor).Allowed);
    }

    [Fact]
    public void An_indicator_names_its_goal_unit_target_direction_and_period_and_a_complaint_based_one_its_service_in_the_fixed_unit()
    {
        var empty = PerformanceRules.ValidateIndicator(new(null, " ", null, null, null, null, null, null), Services, Today);
        Assert.Equal(["goal", "name", "direction", "period", "target", "unit"], empty.Select(v => v.Field));
        Assert.All(empty, v => Assert.Equal(ViolationCodes.Required, v.Code));

        var good = new IndicatorInput("Bereikbaarheid", "Containers geleegd op de afgesproken dag", "%", 98.5m, IndicatorDirection.AtLeast, ReportingPeriod.Quarter, null, null);
        Assert.Empty(PerformanceRules.ValidateIndicator(good, Services, Today));
        Assert.Equal([("target", ViolationCodes.InvalidFormat)], PerformanceRules.ValidateIndicator(good with { Target = 1.23456m }, Services, Today).Select(v => (v.Field, v.Code)));
        Assert.Equal([("target", ViolationCodes.OutOfRange)], PerformanceRules.ValidateIndicator(good with { Target = 1_000_000_000m }, Services, Today).Select(v => (v.Field, v.Code)));
        Assert.Equal([("appliesFrom", ViolationCodes.OutOfRange)], PerformanceRules.ValidateIndicator(good with { AppliesFrom = new(2024, 3, 14) }, Services, Today).Select(v => (v.Field, v.Code)));
        Assert.Empty(PerformanceRules.ValidateIndicator(good with { AppliesFrom = new(2026, 1, 1) }, Services, Today));
        Assert.Equal(new DateOnly(2026, 1, 1), PerformanceRules.Normalise("ind-1", good with { AppliesFrom = new(2026, 1, 1) }, Today).AppliesFrom);
        Assert.Equal([("name", ViolationCodes.TooLong)], PerformanceRules.ValidateIndicator(good with { Name = new string('x', PerformanceRules.MaxName + 1) }, Services, Today).Select(v => (v.Field, v.Code)));

        var fromComplaints = good with { Unit = null, Source = IndicatorSource.ComplaintsMedianDays, ServiceCode = "grofvuil", Direction = IndicatorDirection.AtMost, Target = 5 };
        Assert.Empty(PerformanceRules.ValidateIndicator(fromComplaints, Services, Today));
        Assert.Equal(PerformanceRules.DaysUnit, PerformanceRules.Normalise("ind-1", fromComplaints, new(2026, 1, 1)).Unit);
        Assert.Equal([("unit", ViolationCodes.UnitMismatch)], PerformanceRules.ValidateIndicator(fromComplaints with { Unit = "hours" }, Services, Today).Select(v => (v.Field, v.Code)));
        Assert.Equal([("serviceCode", ViolationCodes.Required)], PerformanceRules.ValidateIndicator(fromComplaints with { ServiceCode = null }, Services, Today).Select(v => (v.Field, v.Code)));
        Assert.Equal([("serviceCode", ViolationCodes.UnknownService)], PerformanceRules.ValidateIndicator(fromComplaints with { ServiceCode = "strooien" }, Services, Today).Select(v => (v.Field, v.Code)));
        Assert.Equal([("target", ViolationCodes.OutOfRange)], PerformanceRules.ValidateIndicator(fromComplaints with { Source = IndicatorSource.ComplaintsOnTime, Target = 101 }, Services, Today).Select(v => (v.Field, v.Code)));
    }

    [Fact]
    public void Complaint_figures_are_the_share_resolved_by_the_deadline_and_the_median_days_to_resolve()
    {
        var filed = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        (DateTimeOffset, DateTimeOffset, DateOnly, DateOnly) Resolved(double days, string deadline)
        {
            var at = filed.AddDays(days);
            return (filed, at, DateOnly.FromDateTime(at.UtcDateTime), DateOnly.Parse(deadline));
        }
        var three = new[] { Resolved(1, "2026-03-05"), Resolved(2, "2026-03-02"), Resolved(6, "2026-03-07") };
        Assert.Equal(66.7m, PerformanceRules.ComplaintFigure(IndicatorSource.ComplaintsOnTime, three));
        Assert.Equal(2m, PerformanceRules.ComplaintFigure(IndicatorSource.ComplaintsMedianDays, three));
        Assert.Equal(1.5m, PerformanceRules.ComplaintFigure(IndicatorSource.ComplaintsMedianDays, three[..2]));
        Assert.Null(PerformanceRules.ComplaintFigure(IndicatorSource.ComplaintsOnTime, []));
    }

    [Fact]
    public void The_platform_measures_each_ended_period_from_the_one_the_indicator_was_set_in_once()
    {
        var indicator = Monthly(IndicatorSource.ComplaintsOnTime, new(2026, 3, 10));
        Assert.Empty(PerformanceRules.DueMeasurements(indicator, new(2026, 3, 31), new HashSet<string>()));
        Assert.Equal(["2026-03"], PerformanceRules.DueMeasurements(indicator, new(2026, 4, 1), new HashSet<string>()));
        Assert.Equal(["2026-03", "2026-04", "2026-05"], PerformanceRules.DueMeasurements(indicator, new(2026, 6, 15), new HashSet<string>()));
        Assert.Equal(["2026-04"], PerformanceRules.DueMeasurements(indicator, new(2026, 6, 1), new HashSet<string> { "2026-03", "2026-05" }));
        Assert.Empty(PerformanceRules.DueMeasurements(Monthly(), new(2026, 6, 15), new HashSet<string>())); // reported ones are not measured
    }

    [Fact]
    public void Goals_roll_up_by_the_latest_figure_of_each_indicator_and_the_board_sees_the_worst()
    {
        var indicators = new[]
        {
            Monthly() with { Key = "a", Goal = "Veiligheid" },
            Monthly() with { Key = "b", Goal = "Veiligheid" },
            Monthly() with { Key = "c", Goal = "Bereikbaarheid" },
            Monthly() with { Key = "d", Goal = "Milieu" },
        };
        IndicatorFigure Figure(string key, string period, bool deviation) => new(key, period, 1, 1, deviation, DateTimeOffset.UnixEpoch, "x", null, []);
        var figures = new[] { Figure("a", "2026-03", true), Figure("a", "2026-04", false), Figure("b", "2026-04", true), Figure("c", "2026-04", false) };
        var goals = PerformanceRules.Rollup(indicators, figures);
        Assert.Equal([("Bereikbaarheid", GoalState.OnTrack, 1, 0, 0), ("Milieu", GoalState.NoFigures, 0, 0, 1), ("Veiligheid", GoalState.Attention, 1, 1, 0)],
            goals.Select(g => (g.Goal, g.State, g.OnTarget, g.Deviating, g.WithoutFigures)));
        Assert.Equal(GoalState.Attention, PerformanceRules.Overall(goals));
        Assert.Equal(GoalState.OnTrack, PerformanceRules.Overall(goals.Where(g => g.Goal != "Veiligheid")));
        Assert.Equal(GoalState.NoFigures, PerformanceRules.Overall([]));
    }

    [Fact]
    public void A_reported_figure_is_split_over_members_each_named_once_with_a_proper_figure()
    {
        var ok = new List<RuleViolation>();
        var shares = PerformanceRules.CheckMemberFigures(ok, [new("GM0405", 97.5m), new(" GM0420 ", 99m)], Members);
        Assert.Empty(ok);
        Assert.Equal([("GM0405", 97.5m, 0), ("GM0420", 99m, 0)], shares.Select(m => (m.Municipality, m.Value, m.Complaints)));
        Assert.Empty(PerformanceRules.CheckMemberFigures(ok, null, Members));

        var wrong = new List<RuleViolation>();
        PerformanceRules.CheckMemberFigures(wrong, [new("GM0363", 90m), new("GM0405", 1m), new("GM0405", 2m), new(null, 3m), new("GM0420", null), new("GM0420", 1.23456m)], Members);
        Assert.Equal([("members[0].municipalityCode", ViolationCodes.NotFound), ("members[2].municipalityCode", ViolationCodes.Duplicate), ("members[3].municipalityCode", ViolationCodes.Required),
            ("members[4].value", ViolationCodes.Required), ("members[5].municipalityCode", ViolationCodes.Duplicate), ("members[5].value", ViolationCodes.InvalidFormat)],
            wrong.Select(e => (e.Field, e.Code)));
    }
}
