namespace Platform.Domain.Proposals;

public enum VoteChoice
{
    Yes = 0,
    No = 1,
    Abstain = 2,
}

public enum ProposalOutcome
{
    Adopted = 0,
    Rejected = 1,
    NoQuorum = 2,
}

/// <summary>A member of the electorate, its weight, and its vote (null while it has not voted).</summary>
[GenerateSerializer, Immutable]
public sealed record Ballot(
    [property: Id(0)] string MunicipalityCode,
    [property: Id(1)] long Weight,
    [property: Id(2)] VoteChoice? Choice);

/// <summary>The count of a vote, as it stands or as it closed.</summary>
[GenerateSerializer, Immutable]
public sealed record Tally(
    [property: Id(0)] long TotalWeight,
    [property: Id(1)] long Yes,
    [property: Id(2)] long No,
    [property: Id(3)] long Abstain,
    [property: Id(4)] long NotVoted,
    [property: Id(5)] bool QuorumReached,
    [property: Id(6)] ProposalOutcome Outcome,
    [property: Id(7)] string Explanation)
{
    public long Voted => Yes + No + Abstain;
}

/// <summary>A member whose vote would change, and how.</summary>
[GenerateSerializer, Immutable]
public sealed record VoteSwitch(
    [property: Id(0)] string MunicipalityCode,
    [property: Id(1)] long Weight,
    [property: Id(2)] VoteChoice? From,
    [property: Id(3)] VoteChoice To);

/// <summary>The smallest group of members whose votes would turn the outcome, and the outcome it would become.</summary>
[GenerateSerializer, Immutable]
public sealed record OutcomeChange(
    [property: Id(0)] ProposalOutcome To,
    [property: Id(1)] IReadOnlyList<VoteSwitch> Switches);

/// <summary>Vote tallies, thresholds and quorum as pure functions of a rule and the ballots.</summary>
public static class Voting
{
    public static Tally Count(DecisionRule rule, IReadOnlyList<Ballot> ballots)
    {
        long total = 0, yes = 0, no = 0, abstain = 0;
        foreach (var b in ballots)
        {
            total += b.Weight;
            switch (b.Choice)
            {
                case VoteChoice.Yes: yes += b.Weight; break;
                case VoteChoice.No: no += b.Weight; break;
                case VoteChoice.Abstain: abstain += b.Weight; break;
            }
        }
        var voted = yes + no + abstain;
        var quorum = total > 0 && rule.Quorum.IsReachedBy(voted, total);
        var cast = rule.Abstentions == AbstentionRule.CountAsCast ? voted : yes + no;
        bool passes;
        string needed;
        switch (rule.Threshold)
        {
            case ThresholdKind.Unanimity:
                passes = ballots.Count > 0 && ballots.All(b => b.Choice == VoteChoice.Yes);
                needed = $"every member ({ballots.Count}) yes";
                break;
            case ThresholdKind.Qualified:
                passes = yes > 0 && rule.Required.IsReachedBy(yes, cast);
                needed = $"at least {rule.Required} of {cast} cast";
                break;
            default:
                passes = yes * 2 > cast;
                needed = $"more than half of {cast} cast";
                break;
        }
        var outcome = !quorum ? ProposalOutcome.NoQuorum : passes ? ProposalOutcome.Adopted : ProposalOutcome.Rejected;
        var explanation = $"{voted} of {total} weight voted (quorum {rule.Quorum}: {(quorum ? "reached" : "not reached")}); " +
                          $"yes {yes}, no {no}, abstain {abstain}; needed {needed}.";
        return new(total, yes, no, abstain, total - voted, quorum, outcome, explanation);
    }

    /// <summary>
    /// For an open vote: the fewest members whose votes would turn the outcome as it stands (adopted
    /// into not adopted, or the other way round). Members switch to yes to adopt, to no to defeat.
    /// Null when nothing can turn it (e.g. no member left who could switch).
    /// </summary>
    public static OutcomeChange? WhatWouldChange(DecisionRule rule, IReadOnlyList<Ballot> ballots)
    {
        var current = Count(rule, ballots).Outcome;
        return current == ProposalOutcome.Adopted ? Defeat(rule, ballots) : Adopt(rule, ballots);
    }

    /// <summary>
    /// Fewest switches to no. Every switch only lowers the margin and never costs the quorum, so the
    /// members that lower it most, taken in order, give the smallest set.
    /// </summary>
    private static OutcomeChange? Defeat(DecisionRule rule, IReadOnlyList<Ballot> ballots)
    {
        var required = rule.Required;
        long Loss(Ballot b) => b.Choice switch
        {
            VoteChoice.Yes => b.Weight * required.Denominator,
            VoteChoice.No => 0,
            VoteChoice.Abstain when rule.Abstentions == AbstentionRule.CountAsCast => 0,
            _ => b.Weight * required.Numerator,
        };
        var candidates = ballots.Where(b => b.Choice != VoteChoice.No)
            .OrderByDescending(b => rule.Threshold == ThresholdKind.Unanimity ? b.Weight : Loss(b))
            .ThenByDescending(b => b.Weight)
            .ThenBy(b => b.MunicipalityCode, StringComparer.Ordinal)
            .ToList();
        var changed = ballots.ToDictionary(b => b.MunicipalityCode);
        var switches = new List<VoteSwitch>();
        foreach (var b in candidates)
        {
            changed[b.MunicipalityCode] = b with { Choice = VoteChoice.No };
            switches.Add(new(b.MunicipalityCode, b.Weight, b.Choice, VoteChoice.No));
            var tally = Count(rule, [.. changed.Values]);
            if (tally.Outcome != ProposalOutcome.Adopted) return new(tally.Outcome, switches);
        }
        return null;
    }

    /// <summary>
    /// Fewest switches to yes. Two needs may bind: the margin, and the quorum (only members that have
    /// not voted add to it). For each split between non-voters and voters the best choice is the
    /// heaviest non-voters and the voters whose switch gains the most, so trying every split is exact.
    /// </summary>
    private static OutcomeChange? Adopt(DecisionRule rule, IReadOnlyList<Ballot> ballots)
    {
        var others = ballots.Where(b => b.Choice != VoteChoice.Yes).ToList();
        if (others.Count == 0) return null;
        if (rule.Threshold == ThresholdKind.Unanimity)
        {
            var all = Apply(ballots, others);
            var tally = Count(rule, all);
            return tally.Outcome == ProposalOutcome.Adopted ? new(tally.Outcome, Switches(others)) : null;
        }

        var required = rule.Required;
        long Gain(Ballot b) => b.Choice switch
        {
            VoteChoice.No => b.Weight * required.Denominator,
            VoteChoice.Abstain when rule.Abstentions == AbstentionRule.CountAsCast => b.Weight * required.Denominator,
            _ => b.Weight * (required.Denominator - required.Numerator),
        };
        var silent = others.Where(b => b.Choice is null)
            .OrderByDescending(b => b.Weight).ThenBy(b => b.MunicipalityCode, StringComparer.Ordinal).ToList();
        var voters = others.Where(b => b.Choice is not null)
            .OrderByDescending(Gain).ThenByDescending(b => b.Weight).ThenBy(b => b.MunicipalityCode, StringComparer.Ordinal).ToList();
        for (var k = 1; k <= others.Count; k++)
        {
            for (var fromSilent = Math.Min(k, silent.Count); fromSilent >= 0; fromSilent--)
            {
                var fromVoters = k - fromSilent;
                if (fromVoters > voters.Count) break;
                var chosen = silent.Take(fromSilent).Concat(voters.Take(fromVoters)).ToList();
                var tally = Count(rule, Apply(ballots, chosen));
                if (tally.Outcome == ProposalOutcome.Adopted) return new(tally.Outcome, Switches(chosen));
            }
        }
        return null;
    }

    private static List<Ballot> Apply(IReadOnlyList<Ballot> ballots, IReadOnlyCollection<Ballot> toYes)
    {
        var codes = toYes.Select(b => b.MunicipalityCode).ToHashSet(StringComparer.Ordinal);
        return ballots.Select(b => codes.Contains(b.MunicipalityCode) ? b with { Choice = VoteChoice.Yes } : b).ToList();
    }

    private static List<VoteSwitch> Switches(IEnumerable<Ballot> toYes) =>
        toYes.Select(b => new VoteSwitch(b.MunicipalityCode, b.Weight, b.Choice, VoteChoice.Yes)).ToList();
}
