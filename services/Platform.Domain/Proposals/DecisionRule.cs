using System.Globalization;
using Platform.Domain.Arrangements;
using Platform.Domain.Validation;

namespace Platform.Domain.Proposals;

/// <summary>What a proposal changes; each kind has its own decision rule in an arrangement.</summary>
public enum ProposalKind
{
    TariffChange = 0,
    ServiceLevelChange = 1,
    PlanAdoption = 2,
    PolicyDecision = 3,
}

/// <summary>Where a member's vote weight comes from.</summary>
public enum WeightBasis
{
    /// <summary>Every member has one vote.</summary>
    OnePerMember = 0,
    /// <summary>A fixed number of seats per member, as the arrangement's statutes list them.</summary>
    Seats = 1,
    /// <summary>One vote per started block of inhabitants, counted on the member's reference date.</summary>
    Inhabitants = 2,
}

public enum ThresholdKind
{
    /// <summary>More than half of the weight cast.</summary>
    SimpleMajority = 0,
    /// <summary>At least a set fraction (e.g. 2/3) of the weight cast.</summary>
    Qualified = 1,
    /// <summary>Every member votes yes.</summary>
    Unanimity = 2,
}

/// <summary>How an abstention weighs in the majority (it always counts towards the quorum).</summary>
public enum AbstentionRule
{
    /// <summary>Left out of the weight cast: only yes and no decide.</summary>
    Ignored = 0,
    /// <summary>Counted in the weight cast, so it weighs like a no.</summary>
    CountAsCast = 1,
}

/// <summary>An exact fraction, so that 2/3 is two thirds and not 0.6667.</summary>
[GenerateSerializer, Immutable]
public sealed record Fraction([property: Id(0)] long Numerator, [property: Id(1)] long Denominator)
{
    public static Fraction Half { get; } = new(1, 2);
    public static Fraction TwoThirds { get; } = new(2, 3);
    public static Fraction Zero { get; } = new(0, 1);

    public bool IsValid => Denominator > 0 && Numerator >= 0 && Numerator <= Denominator;

    /// <summary>True when <paramref name="part"/> is at least this fraction of <paramref name="whole"/>.</summary>
    public bool IsReachedBy(long part, long whole) => (decimal)part * Denominator >= (decimal)Numerator * whole;

    public override string ToString() => $"{Numerator}/{Denominator}";
}

/// <summary>A member's fixed number of seats.</summary>
[GenerateSerializer, Immutable]
public sealed record SeatAllocation([property: Id(0)] string MunicipalityCode, [property: Id(1)] int Seats);

/// <summary>
/// How an arrangement decides one kind of proposal: vote weights, quorum, threshold, abstentions,
/// and the periods (an optional opinion period for the councils, then the voting window).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DecisionRule(
    [property: Id(0)] ProposalKind Kind,
    [property: Id(1)] WeightBasis Weights,
    [property: Id(2)] Fraction Quorum,
    [property: Id(3)] ThresholdKind Threshold,
    [property: Id(4)] Fraction? QualifiedFraction,
    [property: Id(5)] AbstentionRule Abstentions,
    [property: Id(6)] int OpinionDays,
    [property: Id(7)] int VotingDays,
    [property: Id(8)] IReadOnlyList<SeatAllocation>? Seats = null,
    [property: Id(9)] int? TotalSeats = null,
    [property: Id(10)] int InhabitantsPerVote = 1)
{
    /// <summary>The fraction of the weight cast that yes must reach (strictly more than it for a simple majority).</summary>
    public Fraction Required => Threshold switch
    {
        ThresholdKind.Qualified => QualifiedFraction ?? Fraction.TwoThirds,
        ThresholdKind.Unanimity => new(1, 1),
        _ => Fraction.Half,
    };

    /// <summary>The weight of a member under this rule.</summary>
    public long WeightOf(string municipalityCode, int inhabitants) => Weights switch
    {
        WeightBasis.Seats => Seats?.FirstOrDefault(s => s.MunicipalityCode == municipalityCode)?.Seats ?? 0,
        WeightBasis.Inhabitants => Math.Max(1, (long)Math.Ceiling(inhabitants / (double)Math.Max(1, InhabitantsPerVote))),
        _ => 1,
    };

    public string Describe() => Threshold switch
    {
        ThresholdKind.Unanimity => "unanimity of all members",
        ThresholdKind.Qualified => $"at least {Required} of the weight cast",
        _ => "more than half of the weight cast",
    } + $", quorum {Quorum} of the total weight, abstentions {(Abstentions == AbstentionRule.Ignored ? "not counted in the majority" : "counted as cast")}";
}

/// <summary>Checks and defaults for decision rules.</summary>
public static class DecisionRules
{
    public const int MaxOpinionDays = 90;
    public const int MaxVotingDays = 90;

    /// <summary>What an arrangement uses for a kind until its statutes say otherwise.</summary>
    public static DecisionRule Default(ProposalKind kind, VoteWeightRule weights)
    {
        var basis = weights.Kind == VoteWeightKind.ByInhabitants ? WeightBasis.Inhabitants : WeightBasis.OnePerMember;
        var perVote = weights.Kind == VoteWeightKind.ByInhabitants ? weights.InhabitantsPerVote : 1;
        return kind switch
        {
            // A shared tariff binds every member: two thirds of the weight cast.
            ProposalKind.TariffChange => new(kind, basis, Fraction.Half, ThresholdKind.Qualified, Fraction.TwoThirds, AbstentionRule.Ignored, 0, 14, InhabitantsPerVote: perVote),
            // A plan goes to the councils first (zienswijze), then to the vote.
            ProposalKind.PlanAdoption => new(kind, basis, Fraction.Half, ThresholdKind.SimpleMajority, null, AbstentionRule.Ignored, 28, 14, InhabitantsPerVote: perVote),
            _ => new(kind, basis, Fraction.Half, ThresholdKind.SimpleMajority, null, AbstentionRule.Ignored, 0, 14, InhabitantsPerVote: perVote),
        };
    }

    public static IReadOnlyList<RuleViolation> Validate(DecisionRule rule, IReadOnlyCollection<string> memberCodes)
    {
        var errors = new List<RuleViolation>();
        if (!rule.Quorum.IsValid)
        {
            errors.Add(new("quorum", ViolationCodes.OutOfRange, $"quorum {rule.Quorum} must be a share from 0 to 1 of the total weight (denominator above zero)."));
        }
        if (rule.Threshold == ThresholdKind.Qualified)
        {
            if (rule.QualifiedFraction is not { } f)
            {
                errors.Add(new("qualifiedFraction", ViolationCodes.Required, "A QUALIFIED threshold needs qualifiedFraction, e.g. 2/3."));
            }
            else if (f.Denominator <= 0 || f.Numerator <= 0 || f.Numerator > f.Denominator)
            {
                errors.Add(new("qualifiedFraction", ViolationCodes.OutOfRange, $"qualifiedFraction {f} must lie in (0, 1]: above zero and at most one."));
            }
            else if (f.Numerator * 2 < f.Denominator)
            {
                errors.Add(new("qualifiedFraction", ViolationCodes.OutOfRange, $"qualifiedFraction {f} is below one half: a minority of the weight cast could decide."));
            }
        }
        if (rule.OpinionDays is < 0 or > MaxOpinionDays)
        {
            errors.Add(new("opinionDays", ViolationCodes.OutOfRange, $"opinionDays must be 0 (no opinion period) to {MaxOpinionDays}; got {rule.OpinionDays}."));
        }
        if (rule.VotingDays is < 1 or > MaxVotingDays)
        {
            errors.Add(new("votingDays", ViolationCodes.OutOfRange, $"votingDays must be 1 to {MaxVotingDays}; got {rule.VotingDays}."));
        }
        if (rule.Weights == WeightBasis.Inhabitants && rule.InhabitantsPerVote < 1)
        {
            errors.Add(new("inhabitantsPerVote", ViolationCodes.OutOfRange, $"inhabitantsPerVote must be at least 1; got {rule.InhabitantsPerVote}."));
        }
        if (rule.Weights == WeightBasis.Seats) ValidateSeats(errors, rule, memberCodes);
        return errors;
    }

    private static void ValidateSeats(List<RuleViolation> errors, DecisionRule rule, IReadOnlyCollection<string> memberCodes)
    {
        var seats = rule.Seats ?? [];
        if (seats.Count == 0)
        {
            errors.Add(new("seats", ViolationCodes.Required, "Weights by SEATS need the seats of every member."));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seats.Count; i++)
        {
            var s = seats[i];
            if (!memberCodes.Contains(s.MunicipalityCode))
            {
                errors.Add(new($"seats[{i}].municipalityCode", ViolationCodes.NotFound, $"{s.MunicipalityCode} is not a member of the arrangement."));
            }
            else if (!seen.Add(s.MunicipalityCode))
            {
                errors.Add(new($"seats[{i}].municipalityCode", ViolationCodes.Duplicate, $"{s.MunicipalityCode} is listed more than once."));
            }
            if (s.Seats is < 1 or > 1_000)
            {
                errors.Add(new($"seats[{i}].seats", ViolationCodes.OutOfRange, $"A member has 1 to 1000 seats; got {s.Seats}."));
            }
        }
        var missing = memberCodes.Where(m => !seen.Contains(m)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new("seats", ViolationCodes.Required, $"Every member needs seats; missing: {string.Join(", ", missing)}."));
        }
        var sum = seats.Sum(s => (long)s.Seats);
        if (rule.TotalSeats is not { } total)
        {
            errors.Add(new("totalSeats", ViolationCodes.Required, "Give totalSeats, the number of seats the statutes list, so that a typing error in one member's seats is caught."));
        }
        else if (sum != total)
        {
            errors.Add(new("totalSeats", ViolationCodes.OutOfRange,
                string.Create(CultureInfo.InvariantCulture, $"The seats add up to {sum}, not to totalSeats {total}.")));
        }
    }
}
