using Platform.Domain.Arrangements;
using Platform.Domain.Proposals;

namespace Platform.Domain.Tests;

public sealed class VotingTests
{
    private static DecisionRule Rule(ThresholdKind threshold, Fraction? quorum = null, Fraction? qualified = null, AbstentionRule abstentions = AbstentionRule.Ignored) =>
        new(ProposalKind.TariffChange, WeightBasis.OnePerMember, quorum ?? Fraction.Zero, threshold, qualified, abstentions, 0, 14);

    private static List<Ballot> Ballots(params (long Weight, VoteChoice? Choice)[] votes) =>
        votes.Select((v, i) => new Ballot($"GM{i:0000}", v.Weight, v.Choice)).ToList();

    private const VoteChoice Y = VoteChoice.Yes;
    private const VoteChoice N = VoteChoice.No;
    private const VoteChoice A = VoteChoice.Abstain;

    [Fact]
    public void Unanimity_fails_with_any_no_whatever_the_weights()
    {
        var random = new Random(7);
        for (var run = 0; run < 500; run++)
        {
            var ballots = Enumerable.Range(0, random.Next(1, 12)).Select(i => new Ballot($"GM{i:0000}", random.Next(1, 100), Y)).ToList();
            Assert.Equal(ProposalOutcome.Adopted, Voting.Count(Rule(ThresholdKind.Unanimity), ballots).Outcome);
            var dissenter = random.Next(ballots.Count);
            ballots[dissenter] = ballots[dissenter] with { Choice = random.Next(2) == 0 ? N : A };
            Assert.NotEqual(ProposalOutcome.Adopted, Voting.Count(Rule(ThresholdKind.Unanimity), ballots).Outcome);
        }
    }

    [Fact]
    public void Unanimity_needs_every_member_not_only_those_who_voted()
    {
        var tally = Voting.Count(Rule(ThresholdKind.Unanimity), Ballots((1, Y), (1, Y), (1, null)));

        Assert.Equal(ProposalOutcome.Rejected, tally.Outcome);
    }

    [Fact]
    public void A_simple_majority_needs_more_than_half_so_a_tie_fails()
    {
        Assert.Equal(ProposalOutcome.Rejected, Voting.Count(Rule(ThresholdKind.SimpleMajority), Ballots((5, Y), (5, N))).Outcome);
        Assert.Equal(ProposalOutcome.Adopted, Voting.Count(Rule(ThresholdKind.SimpleMajority), Ballots((6, Y), (5, N))).Outcome);
    }

    [Fact]
    public void A_two_thirds_threshold_is_reached_exactly_at_two_thirds_and_not_one_below()
    {
        var rule = Rule(ThresholdKind.Qualified, qualified: Fraction.TwoThirds);

        Assert.Equal(ProposalOutcome.Adopted, Voting.Count(rule, Ballots((2, Y), (1, N))).Outcome);       // 2/3 exactly
        Assert.Equal(ProposalOutcome.Adopted, Voting.Count(rule, Ballots((200, Y), (100, N))).Outcome);   // still exactly, no rounding
        Assert.Equal(ProposalOutcome.Rejected, Voting.Count(rule, Ballots((199, Y), (100, N))).Outcome);  // just below
    }

    [Fact]
    public void The_quorum_is_reached_exactly_at_its_share_and_not_one_below()
    {
        var rule = Rule(ThresholdKind.SimpleMajority, quorum: Fraction.Half);

        var atQuorum = Voting.Count(rule, Ballots((5, Y), (5, null)));
        var below = Voting.Count(rule, Ballots((4, Y), (6, null)));

        Assert.True(atQuorum.QuorumReached);
        Assert.Equal(ProposalOutcome.Adopted, atQuorum.Outcome);
        Assert.False(below.QuorumReached);
        Assert.Equal(ProposalOutcome.NoQuorum, below.Outcome);
    }

    [Fact]
    public void Abstentions_count_towards_the_quorum_and_weigh_like_no_only_when_counted_as_cast()
    {
        var ballots = Ballots((3, Y), (2, N), (2, A), (3, null));

        var ignored = Voting.Count(Rule(ThresholdKind.SimpleMajority, quorum: new(7, 10)), ballots);
        var counted = Voting.Count(Rule(ThresholdKind.SimpleMajority, quorum: new(7, 10), abstentions: AbstentionRule.CountAsCast), ballots);

        Assert.True(ignored.QuorumReached); // 7 of 10 voted, abstentions included
        Assert.Equal(ProposalOutcome.Adopted, ignored.Outcome); // 3 > 5/2
        Assert.Equal(ProposalOutcome.Rejected, counted.Outcome); // 3 is not more than 7/2
    }

    [Fact]
    public void Weights_by_inhabitants_follow_the_reference_count_in_started_blocks()
    {
        var rule = new DecisionRule(ProposalKind.TariffChange, WeightBasis.Inhabitants, Fraction.Half, ThresholdKind.SimpleMajority, null, AbstentionRule.Ignored, 0, 14, InhabitantsPerVote: 10_000);

        Assert.Equal(8, rule.WeightOf("GM0405", 74_700));  // Hoorn: 7.47 blocks, started: 8
        Assert.Equal(2, rule.WeightOf("GM0388", 18_900));
        Assert.Equal(1, rule.WeightOf("GM9999", 10));      // every member has at least one vote
        Assert.Equal(74_700, (rule with { InhabitantsPerVote = 1 }).WeightOf("GM0405", 74_700));
        // Hoorn alone outweighs four small members: 8 against 2+2+2+1.
        var tally = Voting.Count(rule, [new("GM0405", 8, Y), new("GM0388", 2, N), new("GM0498", 3, N), new("GM0431", 2, N)]);
        Assert.Equal(ProposalOutcome.Adopted, tally.Outcome);
    }

    [Fact]
    public void Fixed_seats_give_each_member_its_listed_weight_and_none_to_an_unlisted_one()
    {
        var rule = new DecisionRule(ProposalKind.PlanAdoption, WeightBasis.Seats, Fraction.Half, ThresholdKind.SimpleMajority, null, AbstentionRule.Ignored, 0, 14,
            [new("GM0363", 5), new("GM0362", 2)], 7);

        Assert.Equal(5, rule.WeightOf("GM0363", 1));
        Assert.Equal(0, rule.WeightOf("GM0384", 1));
    }

    /// <summary>All ways to switch members, smallest sets first: the answer the fast search must match.</summary>
    private static int BruteForceSmallest(DecisionRule rule, List<Ballot> ballots)
    {
        var adopted = Voting.Count(rule, ballots).Outcome == ProposalOutcome.Adopted;
        var target = adopted ? N : Y;
        var best = int.MaxValue;
        for (var mask = 1; mask < 1 << ballots.Count; mask++)
        {
            var size = System.Numerics.BitOperations.PopCount((uint)mask);
            if (size >= best) continue;
            var changed = ballots.Select((b, i) => (mask & (1 << i)) != 0 ? b with { Choice = target } : b).ToList();
            if ((Voting.Count(rule, changed).Outcome == ProposalOutcome.Adopted) != adopted) best = size;
        }
        return best;
    }

    [Fact]
    public void What_would_change_the_outcome_is_the_smallest_set_and_really_turns_it()
    {
        var random = new Random(42);
        var rules = new[]
        {
            Rule(ThresholdKind.SimpleMajority, quorum: Fraction.Half),
            Rule(ThresholdKind.SimpleMajority, quorum: new(3, 4), abstentions: AbstentionRule.CountAsCast),
            Rule(ThresholdKind.Qualified, quorum: Fraction.Half, qualified: Fraction.TwoThirds),
            Rule(ThresholdKind.Qualified, quorum: new(2, 3), qualified: new(3, 5), abstentions: AbstentionRule.CountAsCast),
            Rule(ThresholdKind.Unanimity),
        };
        var checkedCases = 0;
        for (var run = 0; run < 1_500; run++)
        {
            var rule = rules[run % rules.Length];
            var ballots = Enumerable.Range(0, random.Next(1, 9))
                .Select(i => new Ballot($"GM{i:0000}", random.Next(1, 60), (VoteChoice?)(random.Next(4) switch { 0 => null, 1 => Y, 2 => N, _ => A })))
                .ToList();
            var before = Voting.Count(rule, ballots).Outcome;
            var change = Voting.WhatWouldChange(rule, ballots);
            var smallest = BruteForceSmallest(rule, ballots);
            if (smallest == int.MaxValue)
            {
                Assert.Null(change);
                continue;
            }
            Assert.NotNull(change);
            Assert.Equal(smallest, change.Switches.Count);
            var after = ballots.Select(b => change.Switches.FirstOrDefault(s => s.MunicipalityCode == b.MunicipalityCode) is { } s ? b with { Choice = s.To } : b).ToList();
            var outcome = Voting.Count(rule, after).Outcome;
            Assert.Equal(change.To, outcome);
            Assert.NotEqual(before == ProposalOutcome.Adopted, outcome == ProposalOutcome.Adopted);
            checkedCases++;
        }
        Assert.True(checkedCases > 1_000);
    }

    [Fact]
    public void When_one_large_member_can_decide_alone_it_is_the_answer()
    {
        var rule = Rule(ThresholdKind.SimpleMajority, quorum: Fraction.Half);
        var ballots = new List<Ballot> { new("GM0363", 10, null), new("GM0362", 2, N), new("GM0384", 1, N), new("GM0437", 1, Y) };

        var change = Voting.WhatWouldChange(rule, ballots)!;

        Assert.Equal(ProposalOutcome.Adopted, change.To);
        Assert.Equal(["GM0363"], change.Switches.Select(s => s.MunicipalityCode));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 2)]
    [InlineData(-1, 3)]
    [InlineData(1, 0)]
    public void A_qualified_threshold_outside_zero_to_one_is_refused(long numerator, long denominator)
    {
        var rule = Rule(ThresholdKind.Qualified, qualified: new(numerator, denominator));

        var error = Assert.Single(DecisionRules.Validate(rule, ["GM0405"]));

        Assert.Equal("qualifiedFraction", error.Field);
        Assert.Contains("(0, 1]", error.Message);
    }

    [Fact]
    public void A_quorum_above_one_and_periods_out_of_range_are_refused()
    {
        var rule = Rule(ThresholdKind.SimpleMajority, quorum: new(5, 4)) with { OpinionDays = -1, VotingDays = 0 };

        var fields = DecisionRules.Validate(rule, ["GM0405"]).Select(e => e.Field).Order().ToList();

        Assert.Equal(["opinionDays", "quorum", "votingDays"], fields);
    }

    [Fact]
    public void Seats_that_do_not_add_up_to_the_total_are_refused_with_both_figures()
    {
        var rule = new DecisionRule(ProposalKind.PlanAdoption, WeightBasis.Seats, Fraction.Half, ThresholdKind.SimpleMajority, null, AbstentionRule.Ignored, 0, 14,
            [new("GM0363", 5), new("GM0362", 2)], 8);

        var error = Assert.Single(DecisionRules.Validate(rule, ["GM0363", "GM0362"]));

        Assert.Equal("totalSeats", error.Field);
        Assert.Contains("add up to 7, not to totalSeats 8", error.Message);
    }

    [Fact]
    public void Seats_must_cover_every_member_and_only_members()
    {
        var rule = new DecisionRule(ProposalKind.PlanAdoption, WeightBasis.Seats, Fraction.Half, ThresholdKind.SimpleMajority, null, AbstentionRule.Ignored, 0, 14,
            [new("GM0363", 5), new("GM0405", 2)], 7);

        var errors = DecisionRules.Validate(rule, ["GM0363", "GM0362"]);

        Assert.Contains(errors, e => e.Field == "seats[1].municipalityCode" && e.Message.Contains("GM0405 is not a member"));
        Assert.Contains(errors, e => e.Field == "seats" && e.Message.Contains("GM0362"));
    }

    [Fact]
    public void The_default_rule_follows_the_arrangements_weights()
    {
        var byInhabitants = DecisionRules.Default(ProposalKind.TariffChange, VoteWeightRule.PerInhabitants(10_000));
        var plan = DecisionRules.Default(ProposalKind.PlanAdoption, VoteWeightRule.OnePerMember);

        Assert.Equal((WeightBasis.Inhabitants, 10_000, ThresholdKind.Qualified), (byInhabitants.Weights, byInhabitants.InhabitantsPerVote, byInhabitants.Threshold));
        Assert.Empty(DecisionRules.Validate(byInhabitants, ["GM0405"]));
        Assert.True(plan.OpinionDays > 0);
        Assert.Empty(DecisionRules.Validate(plan, ["GM0405"]));
    }
}
