using Platform.Domain.Proposals;
using Platform.Domain.ServiceLevels;
using Platform.Domain.Tariffs;

namespace Platform.Domain.Tests;

public sealed class ProposalRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly DateOnly ClosesOn = new(2026, 12, 13);
    private static readonly HashSet<string> Services = ["bouwpuin", "grofvuil"];

    private static ProposedChange Tariff(decimal amount = 20m, string service = "bouwpuin", DateOnly? effective = null) =>
        new(ProposalKind.TariffChange, "Lower the debris tariff", "Illegal dumping", null, effective ?? new DateOnly(2027, 1, 1), new(service, amount, 0.5m, "m³"), null);

    [Fact]
    public void A_sound_tariff_change_passes()
    {
        Assert.Empty(ProposalRules.Validate(Tariff(), null, Services, Today, ClosesOn));
    }

    [Fact]
    public void A_tariff_change_for_a_service_the_arrangement_lacks_names_the_services_it_has()
    {
        var error = Assert.Single(ProposalRules.Validate(Tariff(service: "asbest"), null, Services, Today, ClosesOn));

        Assert.Equal(("tariff.serviceCode", "UNKNOWN_SERVICE"), (error.Field, error.Code));
        Assert.Contains("bouwpuin, grofvuil", error.Message);
    }

    [Fact]
    public void A_negative_amount_is_refused()
    {
        var error = Assert.Single(ProposalRules.Validate(Tariff(amount: -5m), null, Services, Today, ClosesOn));

        Assert.Equal(("tariff.amount", "OUT_OF_RANGE"), (error.Field, error.Code));
        Assert.Contains("-5", error.Message);
    }

    [Fact]
    public void An_effective_date_in_the_past_is_refused_and_so_is_one_before_the_vote_closes()
    {
        var past = Assert.Single(ProposalRules.Validate(Tariff(effective: Today.AddDays(-1)), null, Services, Today, ClosesOn));
        var early = Assert.Single(ProposalRules.Validate(Tariff(effective: ClosesOn), null, Services, Today, ClosesOn));

        Assert.Equal("effectiveDate", past.Field);
        Assert.Contains("lies in the past", past.Message);
        Assert.Contains("after the vote closes on 2026-12-13", early.Message);
    }

    [Fact]
    public void Each_kind_needs_its_own_part()
    {
        var tariff = ProposalRules.Validate(new(ProposalKind.TariffChange, "T", "M", null, new(2027, 1, 1), null, null), null, Services, Today, ClosesOn);
        var level = ProposalRules.Validate(new(ProposalKind.ServiceLevelChange, "T", "M", null, null, null, new("grofvuil", new(5, 3, DayCounting.WorkingDays))), null, Services, Today, ClosesOn);
        var plan = ProposalRules.Validate(new(ProposalKind.PlanAdoption, "T", "M", "  ", null, null, null), null, Services, Today, ClosesOn);

        Assert.Equal("tariff", Assert.Single(tariff).Field);
        Assert.Equal(["serviceLevel.daysToResolve", "effectiveDate"], level.Select(e => e.Field));
        Assert.Equal("text", Assert.Single(plan).Field);
    }

    [Fact]
    public void Missing_title_and_motivation_and_bad_evidence_are_named()
    {
        var change = Tariff() with { Title = "", Motivation = new string('x', ProposalRules.MaxMotivationLength + 1) };

        var errors = ProposalRules.Validate(change, new EvidencePeriod("bouwpuin", Today, Today.AddDays(-3)), Services, Today, ClosesOn);

        Assert.Equal(["title", "motivation", "evidence.to"], errors.Select(e => e.Field));
        Assert.Equal("TOO_LONG", errors[1].Code);
    }

    [Fact]
    public void The_schedule_puts_the_opinion_period_before_the_voting_window()
    {
        var at = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        var rule = DecisionRules.Default(ProposalKind.PlanAdoption, Platform.Domain.Arrangements.VoteWeightRule.OnePerMember);

        var schedule = ProposalSchedule.For(at, rule);

        Assert.Equal(at.AddDays(28), schedule.VotingOpensAt);
        Assert.Equal(at.AddDays(42), schedule.VotingClosesAt);
        Assert.Equal(ProposalPhase.Opinion, schedule.PhaseAt(at.AddDays(27)));
        Assert.Equal(ProposalPhase.Voting, schedule.PhaseAt(at.AddDays(28)));
        Assert.Equal(ProposalPhase.Closed, schedule.PhaseAt(at.AddDays(42)));
    }

    [Fact]
    public void Voting_opens_when_every_council_has_given_its_opinion_and_runs_its_full_days_from_then()
    {
        var at = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        var rule = DecisionRules.Default(ProposalKind.PlanAdoption, Platform.Domain.Arrangements.VoteWeightRule.OnePerMember);
        var schedule = ProposalSchedule.For(at, rule);
        string[] members = ["GM0405", "GM0363"];

        Assert.False(ProposalSchedule.EveryoneHasSpoken(members, ["GM0405"]));
        Assert.False(ProposalSchedule.EveryoneHasSpoken(members, ["GM0405", "GM0388"]));
        Assert.True(ProposalSchedule.EveryoneHasSpoken(members, ["GM0363", "GM0405"]));

        var early = schedule.OpenVotingAt(at.AddDays(3), rule);
        Assert.Equal((at, at.AddDays(3), at.AddDays(3 + 14)), (early.ProposedAt, early.VotingOpensAt, early.VotingClosesAt));
        Assert.Equal(ProposalPhase.Voting, early.PhaseAt(at.AddDays(3)));
        // Once voting is open, a late opinion moves nothing.
        Assert.Same(early, early.OpenVotingAt(at.AddDays(4), rule));
        Assert.Same(schedule, schedule.OpenVotingAt(at.AddDays(30), rule));
    }

    [Fact]
    public void The_vote_closes_when_every_member_has_voted_but_not_before_it_opened_nor_after_it_closed()
    {
        var at = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        var schedule = ProposalSchedule.For(at, DecisionRules.Default(ProposalKind.TariffChange, Platform.Domain.Arrangements.VoteWeightRule.OnePerMember));

        var closed = schedule.CloseAt(at.AddDays(2));
        Assert.Equal((at, at, at.AddDays(2)), (closed.ProposedAt, closed.VotingOpensAt, closed.VotingClosesAt));
        Assert.Equal(ProposalPhase.Closed, closed.PhaseAt(at.AddDays(2)));
        Assert.Same(closed, closed.CloseAt(at.AddDays(3)));

        var plan = ProposalSchedule.For(at, DecisionRules.Default(ProposalKind.PlanAdoption, Platform.Domain.Arrangements.VoteWeightRule.OnePerMember));
        Assert.Same(plan, plan.CloseAt(at.AddDays(1))); // still in its opinion period
    }

    private static TariffVersion Version(decimal amount, DateOnly from, DateOnly? to, string by) => new("bouwpuin", amount, "EUR", 0.5m, "m³", from, to, by);

    [Fact]
    public void A_decided_tariff_ends_the_current_one_the_day_before_and_keeps_every_version()
    {
        var existing = new List<TariffVersion> { Version(30m, new(2023, 1, 1), new(2024, 12, 31), "AB-1"), Version(35m, new(2025, 1, 1), null, "AB-2") };

        var (schedule, conflict) = TariffSchedule.Supersede(existing, Version(20m, new(2027, 3, 1), null, "p-1"));

        Assert.Null(conflict);
        Assert.Equal(3, schedule.Count);
        Assert.Equal(new DateOnly(2027, 2, 28), schedule.Single(v => v.DecidedBy == "AB-2").ValidTo);
        Assert.Equal(35m, TariffSchedule.On(schedule, "bouwpuin", new(2027, 2, 28))!.Amount);
        Assert.Equal(20m, TariffSchedule.On(schedule, "bouwpuin", new(2027, 3, 1))!.Amount);
        Assert.Empty(TariffSchedule.Validate([], schedule, new HashSet<string> { "bouwpuin" })); // no overlaps
    }

    [Fact]
    public void A_decided_tariff_stops_where_a_later_version_is_already_scheduled_and_refuses_the_same_start()
    {
        var existing = new List<TariffVersion> { Version(35m, new(2025, 1, 1), new(2027, 12, 31), "AB-2"), Version(40m, new(2028, 1, 1), null, "AB-3") };

        var (schedule, _) = TariffSchedule.Supersede(existing, Version(20m, new(2027, 3, 1), null, "p-1"));
        var (_, conflict) = TariffSchedule.Supersede(existing, Version(20m, new(2028, 1, 1), null, "p-2"));

        Assert.Equal(new DateOnly(2027, 12, 31), schedule.Single(v => v.DecidedBy == "p-1").ValidTo);
        Assert.Equal(40m, TariffSchedule.On(schedule, "bouwpuin", new(2028, 1, 1))!.Amount);
        Assert.Contains("AB-3", conflict);
    }
}
