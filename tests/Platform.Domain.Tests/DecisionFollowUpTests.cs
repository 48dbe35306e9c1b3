using Platform.Domain.Proposals;

namespace Platform.Domain.Tests;

public sealed class DecisionFollowUpTests
{
    private static readonly EvidencePeriod Quarter = new("bouwpuin", new(2026, 1, 1), new(2026, 3, 31)); // 90 days

    [Fact]
    public void After_three_months_the_window_is_as_long_as_the_evidence_and_ends_the_day_before()
    {
        // 90 days ending 31 July start on 3 May.
        Assert.Equal((new DateOnly(2026, 5, 3), new DateOnly(2026, 7, 31)), DecisionFollowUp.AfterWindow(Quarter, new DateOnly(2026, 5, 1), 3));
        // Six months: the 90 days before 1 November.
        Assert.Equal((new DateOnly(2026, 8, 3), new DateOnly(2026, 10, 31)), DecisionFollowUp.AfterWindow(Quarter, new DateOnly(2026, 5, 1), 6));
    }

    [Fact]
    public void A_longer_evidence_period_is_cut_at_the_day_the_change_took_effect()
    {
        var year = new EvidencePeriod("bouwpuin", new(2025, 1, 1), new(2025, 12, 31));
        Assert.Equal((new DateOnly(2026, 5, 1), new DateOnly(2026, 7, 31)), DecisionFollowUp.AfterWindow(year, new DateOnly(2026, 5, 1), 3));
    }

    [Fact]
    public void Rates_are_per_ten_thousand_inhabitants_per_thirty_days_so_windows_of_different_length_compare()
    {
        // 12 complaints in 90 days among 20,000 people: 6 per 10,000 per 90 days, 2 per 30 days.
        Assert.Equal(2.0m, DecisionFollowUp.Rate(12, 20_000, new(2026, 1, 1), new(2026, 3, 31)));
        // 4 in 30 days among 20,000: the same 2.
        Assert.Equal(2.0m, DecisionFollowUp.Rate(4, 20_000, new(2026, 5, 1), new(2026, 5, 30)));
        Assert.Equal(0m, DecisionFollowUp.Rate(5, 0, new(2026, 5, 1), new(2026, 5, 30)));
    }

    [Fact]
    public void Measurements_fall_due_at_three_and_six_months_once_each()
    {
        var effective = new DateOnly(2026, 5, 1);
        Assert.Empty(DecisionFollowUp.Due(effective, new DateOnly(2026, 7, 31), []));
        Assert.Equal([3], DecisionFollowUp.Due(effective, new DateOnly(2026, 8, 1), []));
        Assert.Equal([3, 6], DecisionFollowUp.Due(effective, new DateOnly(2026, 12, 1), []));
        Assert.Equal([6], DecisionFollowUp.Due(effective, new DateOnly(2026, 12, 1), [3]));
        Assert.Equal(new DateOnly(2026, 11, 1), DecisionFollowUp.Next(effective, [3]));
        Assert.Null(DecisionFollowUp.Next(effective, [3, 6]));
    }

    [Fact]
    public void A_measurement_counts_each_member_and_the_totals()
    {
        var m = DecisionFollowUp.Measure(3, new(2026, 8, 1), Quarter, new(2026, 5, 1), [("GM0405", 20_000), ("GM0398", 10_000)],
            code => code == "GM0405" ? 12 : 3, code => code == "GM0405" ? 3 : 3);
        Assert.Equal((15, 6), (m.BeforeTotal, m.AfterTotal));
        Assert.Equal(new MemberEffect("GM0405", 20_000, 12, 3, 2.0m, 0.5m), m.Members[0]);
        Assert.Equal((new DateOnly(2026, 5, 3), new DateOnly(2026, 7, 31)), (m.AfterFrom, m.AfterTo));
    }
}
