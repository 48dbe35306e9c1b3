using Platform.Domain.ServiceLevels;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;

namespace Platform.Domain.Proposals;

/// <summary>A new price for one service (in euros), from the proposal's effective date.</summary>
[GenerateSerializer, Immutable]
public sealed record TariffChange(
    [property: Id(0)] string ServiceCode,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] decimal UnitQuantity,
    [property: Id(3)] string UnitMeasure)
{
    public TariffVersion ToVersion(DateOnly from, DateOnly? to, string decidedBy) =>
        new(ServiceCode, Amount, TariffSchedule.Euro, UnitQuantity, UnitMeasure, from, to, decidedBy);
}

/// <summary>A new service level for one service, from the proposal's effective date.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceLevelChange(
    [property: Id(0)] string ServiceCode,
    [property: Id(1)] ServiceLevel Level);

/// <summary>What a member proposes: the kind, why, and the change itself.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposedChange(
    [property: Id(0)] ProposalKind Kind,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Motivation,
    [property: Id(3)] string? Text,
    [property: Id(4)] DateOnly? EffectiveDate,
    [property: Id(5)] TariffChange? Tariff,
    [property: Id(6)] ServiceLevelChange? ServiceLevel);

/// <summary>Complaints cited as evidence: those about one service filed in a period.</summary>
[GenerateSerializer, Immutable]
public sealed record EvidencePeriod(
    [property: Id(0)] string ServiceCode,
    [property: Id(1)] DateOnly From,
    [property: Id(2)] DateOnly To);

public enum ProposalPhase
{
    /// <summary>Member councils may submit an opinion (zienswijze); voting has not opened.</summary>
    Opinion = 0,
    Voting = 1,
    Closed = 2,
}

/// <summary>When a proposal's periods begin and end.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposalSchedule(
    [property: Id(0)] DateTimeOffset ProposedAt,
    [property: Id(1)] DateTimeOffset VotingOpensAt,
    [property: Id(2)] DateTimeOffset VotingClosesAt)
{
    public bool HasOpinionPeriod => VotingOpensAt > ProposedAt;

    public static ProposalSchedule For(DateTimeOffset proposedAt, DecisionRule rule)
    {
        var opens = proposedAt.AddDays(rule.OpinionDays);
        return new(proposedAt, opens, opens.AddDays(rule.VotingDays));
    }

    public ProposalPhase PhaseAt(DateTimeOffset now) =>
        now >= VotingClosesAt ? ProposalPhase.Closed : now >= VotingOpensAt ? ProposalPhase.Voting : ProposalPhase.Opinion;

    /// <summary>
    /// Every member council has given its opinion, so nothing is left to wait for: voting opens at <paramref name="now"/>,
    /// for the rule's full voting days. Unchanged once voting is open.
    /// </summary>
    public ProposalSchedule OpenVotingAt(DateTimeOffset now, DecisionRule rule) =>
        now >= VotingOpensAt ? this : this with { VotingOpensAt = now, VotingClosesAt = now.AddDays(rule.VotingDays) };

    /// <summary>Every member has voted: the vote closes at <paramref name="now"/>. Unchanged before voting opens or after it closed.</summary>
    public ProposalSchedule CloseAt(DateTimeOffset now) =>
        now < VotingOpensAt || now >= VotingClosesAt ? this : this with { VotingClosesAt = now };

    /// <summary>True when each of <paramref name="electorate"/> is among <paramref name="spoken"/> (an opinion given, a vote cast).</summary>
    public static bool EveryoneHasSpoken(IEnumerable<string> electorate, IReadOnlyCollection<string> spoken) =>
        electorate.All(spoken.Contains);
}

public static class ProposalRules
{
    public const int MaxTitleLength = 150;
    public const int MaxMotivationLength = 4_000;
    public const int MaxTextLength = 20_000;
    public const int MaxOpinionLength = 10_000;
    public const int MaxCommentLength = 2_000;
    public const int MaxReasonLength = 500;
    public const int MaxEvidenceDays = 5 * 366;

    public static IReadOnlyList<RuleViolation> Validate(
        ProposedChange change, EvidencePeriod? evidence, IReadOnlySet<string> services, DateOnly today, DateOnly votingClosesOn)
    {
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "title", change.Title, MaxTitleLength);
        Rules.RequireText(errors, "motivation", change.Motivation, MaxMotivationLength);
        if (change.Text is { Length: > MaxTextLength })
        {
            errors.Add(new("text", ViolationCodes.TooLong, $"text is {change.Text.Length} characters long; at most {MaxTextLength} are allowed."));
        }

        switch (change.Kind)
        {
            case ProposalKind.TariffChange:
                if (change.Tariff is not { } tariff)
                {
                    errors.Add(new("tariff", ViolationCodes.Required, "A TARIFF_CHANGE needs tariff: the service, the new amount and its unit."));
                    break;
                }
                RequireService(errors, "tariff.serviceCode", tariff.ServiceCode, services);
                TariffSchedule.ValidatePrice(errors, "tariff", tariff.Amount, tariff.UnitQuantity, tariff.UnitMeasure);
                RequireEffectiveDate(errors, change.EffectiveDate, today, votingClosesOn);
                break;
            case ProposalKind.ServiceLevelChange:
                if (change.ServiceLevel is not { } level)
                {
                    errors.Add(new("serviceLevel", ViolationCodes.Required, "A SERVICE_LEVEL_CHANGE needs serviceLevel: the service and its new days."));
                    break;
                }
                RequireService(errors, "serviceLevel.serviceCode", level.ServiceCode, services);
                ServiceLevelRules.Validate(errors, "serviceLevel", level.Level);
                RequireEffectiveDate(errors, change.EffectiveDate, today, votingClosesOn);
                break;
            default:
                Rules.RequireText(errors, "text", change.Text, MaxTextLength);
                if (change.EffectiveDate is not null) CheckEffectiveDate(errors, change.EffectiveDate.Value, today, votingClosesOn);
                break;
        }

        if (evidence is not null)
        {
            RequireService(errors, "evidence.serviceCode", evidence.ServiceCode, services);
            if (evidence.To < evidence.From)
            {
                errors.Add(new("evidence.to", ViolationCodes.InvalidPeriod, $"evidence.to {evidence.To:yyyy-MM-dd} lies before evidence.from {evidence.From:yyyy-MM-dd}."));
            }
            else if (evidence.To.DayNumber - evidence.From.DayNumber > MaxEvidenceDays)
            {
                errors.Add(new("evidence.from", ViolationCodes.OutOfRange, "The evidence period may span at most five years."));
            }
            if (evidence.From > today)
            {
                errors.Add(new("evidence.from", ViolationCodes.OutOfRange, $"evidence.from {evidence.From:yyyy-MM-dd} lies in the future; cite complaints already filed."));
            }
        }
        return errors;
    }

    private static void RequireService(List<RuleViolation> errors, string field, string? code, IReadOnlySet<string> services)
    {
        if (code is null || !services.Contains(code))
        {
            errors.Add(new(field, ViolationCodes.UnknownService,
                $"The arrangement has no service '{code}'; its services are {string.Join(", ", services.Order(StringComparer.Ordinal))}."));
        }
    }

    private static void RequireEffectiveDate(List<RuleViolation> errors, DateOnly? date, DateOnly today, DateOnly votingClosesOn)
    {
        if (date is null)
        {
            errors.Add(new("effectiveDate", ViolationCodes.Required, "effectiveDate is required: the day the change takes effect if it is adopted."));
            return;
        }
        CheckEffectiveDate(errors, date.Value, today, votingClosesOn);
    }

    private static void CheckEffectiveDate(List<RuleViolation> errors, DateOnly date, DateOnly today, DateOnly votingClosesOn)
    {
        if (date < today)
        {
            errors.Add(new("effectiveDate", ViolationCodes.OutOfRange, $"effectiveDate {date:yyyy-MM-dd} lies in the past (today is {today:yyyy-MM-dd})."));
        }
        else if (date <= votingClosesOn)
        {
            errors.Add(new("effectiveDate", ViolationCodes.OutOfRange,
                $"effectiveDate {date:yyyy-MM-dd} must fall after the vote closes on {votingClosesOn:yyyy-MM-dd}; a change cannot take effect before it is decided."));
        }
    }
}
