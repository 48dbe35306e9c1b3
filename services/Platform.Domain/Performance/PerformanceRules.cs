using System.Globalization;
using Platform.Domain.Access;
using Platform.Domain.Validation;

namespace Platform.Domain.Performance;

/// <summary>Whether a figure meets its target by being at least it (share collected on time) or at most it (days to resolve).</summary>
public enum IndicatorDirection
{
    AtLeast = 0,
    AtMost = 1,
}

/// <summary>How often an indicator is reported: per calendar month, quarter or year.</summary>
public enum ReportingPeriod
{
    Month = 0,
    Quarter = 1,
    Year = 2,
}

/// <summary>Where an indicator's figures come from: the executing organisation's reports, or the complaints the platform holds.</summary>
public enum IndicatorSource
{
    Reported = 0,
    /// <summary>The share (%) of the complaints resolved in the period that were resolved by their deadline.</summary>
    ComplaintsOnTime = 1,
    /// <summary>The median number of days from filing to resolution of the complaints resolved in the period.</summary>
    ComplaintsMedianDays = 2,
}

/// <summary>Provisional while the arrangement learns what it can measure (the transition period); definitive by a decision of the members.</summary>
public enum AgreementStatus
{
    Provisional = 0,
    Definitive = 1,
}

/// <summary>How a goal (or the whole agreement) stands by the latest figure of each of its indicators.</summary>
public enum GoalState
{
    /// <summary>No indicator has a figure yet.</summary>
    NoFigures = 0,
    OnTrack = 1,
    /// <summary>At least one indicator's latest figure misses its target.</summary>
    Attention = 2,
}

/// <summary>An output indicator under an outcome goal, as typed in by a member, before it is checked.</summary>
[GenerateSerializer, Immutable]
public sealed record IndicatorInput(
    [property: Id(0)] string? Goal,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Unit,
    [property: Id(3)] decimal? Target,
    [property: Id(4)] IndicatorDirection? Direction,
    [property: Id(5)] ReportingPeriod? Period,
    [property: Id(6)] IndicatorSource? Source,
    [property: Id(7)] string? ServiceCode,
    [property: Id(8)] DateOnly? AppliesFrom = null);

/// <summary>An output indicator: what is measured, in which unit, against which target, how often.</summary>
[GenerateSerializer, Immutable]
public sealed record Indicator(
    [property: Id(0)] string Key,
    [property: Id(1)] string Goal,
    [property: Id(2)] string Name,
    [property: Id(3)] string Unit,
    [property: Id(4)] decimal Target,
    [property: Id(5)] IndicatorDirection Direction,
    [property: Id(6)] ReportingPeriod Period,
    [property: Id(7)] IndicatorSource Source,
    [property: Id(8)] string? ServiceCode,
    [property: Id(9)] DateOnly AppliesFrom);

/// <summary>A member's share of a reported figure, as typed in, before it is checked.</summary>
[GenerateSerializer, Immutable]
public sealed record MemberFigureInput(
    [property: Id(0)] string? MunicipalityCode,
    [property: Id(1)] decimal? Value);

/// <summary>A member's share of a figure: measured from its complaints, or reported by the executing organisation (0 complaints).</summary>
[GenerateSerializer, Immutable]
public sealed record MemberFigure(
    [property: Id(0)] string Municipality,
    [property: Id(1)] decimal Value,
    [property: Id(2)] int Complaints);

/// <summary>One period's figure of an indicator, compared with the target when it arrived.</summary>
[GenerateSerializer, Immutable]
public sealed record IndicatorFigure(
    [property: Id(0)] string IndicatorKey,
    [property: Id(1)] string Period,
    [property: Id(2)] decimal Value,
    [property: Id(3)] decimal Target,
    [property: Id(4)] bool Deviation,
    [property: Id(5)] DateTimeOffset ReportedAt,
    [property: Id(6)] string ReportedBy,
    [property: Id(7)] string? Note,
    [property: Id(8)] IReadOnlyList<MemberFigure> Members);

/// <summary>A goal's roll-up for the management level: its indicators by their latest figure.</summary>
public sealed record GoalRollup(string Goal, int Indicators, int OnTarget, int Deviating, int WithoutFigures)
{
    public GoalState State => Deviating > 0 ? GoalState.Attention : OnTarget > 0 ? GoalState.OnTrack : GoalState.NoFigures;
}

/// <summary>
/// The rules of performance agreements, pure: who sets indicators and who reports, which periods are open for a report,
/// whether a figure deviates, and how figures roll up for management and board.
/// </summary>
public static class PerformanceRules
{
    public const int MaxIndicators = 50;
    public const int MaxName = 200;
    public const int MaxGoal = 100;
    public const int MaxUnit = 20;
    public const int MaxNote = 2_000;
    public const decimal MaxMagnitude = 1_000_000_000m;
    /// <summary>How far back an indicator may apply from (agreements are often set for the running year), and how far ahead.</summary>
    public const int MaxYearsBack = 2;
    public const string PercentUnit = "%";
    public const string DaysUnit = "days";

    /// <summary>The members' contract managers and admins set the indicators (the directing municipality states what it expects).</summary>
    public static Decision MayDefine(Caller caller, IReadOnlyCollection<string> members) =>
        caller.Kind == CallerKind.User && (caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.MunicipalityAdmin)) && caller.ActsForAny(members)
            ? Decision.Allow
            : Decision.Deny(caller, "Only a member's contract manager or admin sets the arrangement's performance indicators.");

    /// <summary>The executing organisation's people and systems report the figures.</summary>
    public static Decision MayReport(Caller caller, string executingOrganisation) =>
        caller.IsAuthenticated && caller.Organisation == executingOrganisation && !caller.HasRole(Roles.Citizen)
            ? Decision.Allow
            : Decision.Deny(caller, "Only the executing organisation reports figures on the arrangement's indicators.");

    /// <summary>The unit a complaint-based indicator is measured in; null for reported ones (their unit is the members' choice).</summary>
    public static string? FixedUnit(IndicatorSource source) => source switch
    {
        IndicatorSource.ComplaintsOnTime => PercentUnit,
        IndicatorSource.ComplaintsMedianDays => DaysUnit,
        _ => null,
    };

    public static IReadOnlyList<RuleViolation> ValidateIndicator(IndicatorInput input, IReadOnlyCollection<string> services, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        if (input.AppliesFrom is { } from && (from < today.AddYears(-MaxYearsBack) || from > today.AddYears(1)))
        {
            violations.Add(new("appliesFrom", ViolationCodes.OutOfRange, $"An indicator applies from at most {MaxYearsBack} years back and one year ahead; got {from:yyyy-MM-dd}."));
        }
        Rules.RequireText(violations, "goal", input.Goal, MaxGoal);
        Rules.RequireText(violations, "name", input.Name, MaxName);
        var source = input.Source ?? IndicatorSource.Reported;
        if (!Enum.IsDefined(source)) violations.Add(new("source", ViolationCodes.OutOfRange, $"'{source}' is not a source."));
        if (input.Direction is not { } direction || !Enum.IsDefined(direction)) violations.Add(new("direction", ViolationCodes.Required, "Say whether a figure meets the target by being AT_LEAST or AT_MOST it."));
        if (input.Period is not { } period || !Enum.IsDefined(period)) violations.Add(new("period", ViolationCodes.Required, "Say how often the indicator is reported: MONTH, QUARTER or YEAR."));
        if (input.Target is not { } target) violations.Add(new("target", ViolationCodes.Required, "An indicator has a target."));
        else CheckFigure(violations, "target", target);
        if (FixedUnit(source) is { } fixedUnit)
        {
            if (!string.IsNullOrWhiteSpace(input.Unit) && !SameUnit(input.Unit, fixedUnit))
            {
                violations.Add(new("unit", ViolationCodes.UnitMismatch, $"An indicator from complaints is measured in '{fixedUnit}', not '{input.Unit!.Trim()}'."));
            }
            if (string.IsNullOrWhiteSpace(input.ServiceCode)) violations.Add(new("serviceCode", ViolationCodes.Required, "An indicator from complaints names the service whose complaints it counts."));
            else if (!services.Contains(input.ServiceCode.Trim())) violations.Add(new("serviceCode", ViolationCodes.UnknownService, $"The arrangement has no service '{input.ServiceCode.Trim()}'."));
            if (input.Target is { } share && source == IndicatorSource.ComplaintsOnTime && (share < 0 || share > 100)) violations.Add(new("target", ViolationCodes.OutOfRange, "A share is between 0 and 100 %."));
        }
        else
        {
            Rules.RequireText(violations, "unit", input.Unit, MaxUnit);
            if (!string.IsNullOrWhiteSpace(input.ServiceCode) && !services.Contains(input.ServiceCode.Trim())) violations.Add(new("serviceCode", ViolationCodes.UnknownService, $"The arrangement has no service '{input.ServiceCode.Trim()}'."));
        }
        return violations;
    }

    /// <summary>The indicator as stored: trimmed, and the unit of a complaint-based one fixed.</summary>
    public static Indicator Normalise(string key, IndicatorInput input, DateOnly today)
    {
        var source = input.Source ?? IndicatorSource.Reported;
        return new(key, input.Goal!.Trim(), input.Name!.Trim(), FixedUnit(source) ?? input.Unit!.Trim(), input.Target!.Value, input.Direction!.Value,
            input.Period!.Value, source, string.IsNullOrWhiteSpace(input.ServiceCode) ? null : input.ServiceCode.Trim(), input.AppliesFrom ?? today);
    }

    /// <summary>Figures are finite amounts of at most four decimals and less than a billion either way.</summary>
    public static void CheckFigure(ICollection<RuleViolation> violations, string field, decimal value)
    {
        if (Math.Abs(value) >= MaxMagnitude) violations.Add(new(field, ViolationCodes.OutOfRange, $"{field} is at most {MaxMagnitude:N0} either way."));
        else if (decimal.Round(value, 4) != value) violations.Add(new(field, ViolationCodes.InvalidFormat, $"{field} has at most four decimals."));
    }

    /// <summary>
    /// The members' shares of a reported figure (optional): each a member of the arrangement now, named once, with a figure
    /// like the total's; in the order given.
    /// </summary>
    public static IReadOnlyList<MemberFigure> CheckMemberFigures(ICollection<RuleViolation> violations, IReadOnlyList<MemberFigureInput>? members, IReadOnlyCollection<string> currentMembers)
    {
        var figures = new List<MemberFigure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (members?.Count ?? 0); i++)
        {
            var (code, value) = (members![i].MunicipalityCode?.Trim(), members[i].Value);
            var field = $"members[{i}]";
            if (string.IsNullOrEmpty(code)) violations.Add(new($"{field}.municipalityCode", ViolationCodes.Required, "Name the member municipality of each share."));
            else if (!currentMembers.Contains(code)) violations.Add(new($"{field}.municipalityCode", ViolationCodes.NotFound, $"{code} is not a member of the arrangement."));
            else if (!seen.Add(code)) violations.Add(new($"{field}.municipalityCode", ViolationCodes.Duplicate, $"{code} has a share already."));
            if (value is not { } v) violations.Add(new($"{field}.value", ViolationCodes.Required, $"The share of {code} needs a figure."));
            else
            {
                CheckFigure(violations, $"{field}.value", v);
                if (!string.IsNullOrEmpty(code)) figures.Add(new(code, v, 0));
            }
        }
        return figures;
    }

    public static bool SameUnit(string? a, string b) => string.Equals(a?.Trim(), b, StringComparison.OrdinalIgnoreCase);

    /// <summary>A figure deviates when it misses the target in the indicator's direction; meeting it exactly is on target.</summary>
    public static bool Deviates(IndicatorDirection direction, decimal target, decimal value) =>
        direction == IndicatorDirection.AtLeast ? value < target : value > target;

    /// <summary>The period's name: 2026-11 (a month), 2026-Q4 (a quarter), 2026 (a year).</summary>
    public static string NameOf(ReportingPeriod period, DateOnly day) => period switch
    {
        ReportingPeriod.Month => day.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        ReportingPeriod.Quarter => string.Create(CultureInfo.InvariantCulture, $"{day.Year}-Q{(day.Month - 1) / 3 + 1}"),
        _ => day.Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The first and last day of a named period, or null when the name is not one of <paramref name="period"/>'s.</summary>
    public static (DateOnly From, DateOnly To)? Parse(ReportingPeriod period, string? name)
    {
        name = name?.Trim() ?? "";
        DateOnly from;
        switch (period)
        {
            case ReportingPeriod.Month when name.Length == 7 && DateOnly.TryParseExact(name + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from):
                return (from, from.AddMonths(1).AddDays(-1));
            case ReportingPeriod.Quarter when name.Length == 7 && name[4..6] == "-Q" && int.TryParse(name[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                                              && year >= 2000 && name[6] is >= '1' and <= '4':
                from = new DateOnly(year, (name[6] - '1') * 3 + 1, 1);
                return (from, from.AddMonths(3).AddDays(-1));
            case ReportingPeriod.Year when name.Length == 4 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= 2000:
                return (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether a period is open for its report on <paramref name="today"/>: from its last day until the end of the month
    /// after it (November's figure by 31 December); not a period before the indicator applies.
    /// </summary>
    public static RuleViolation? CheckReportable(Indicator indicator, string? period, DateOnly today)
    {
        if (Parse(indicator.Period, period) is not var (_, to))
        {
            var example = NameOf(indicator.Period, today);
            return new("period", ViolationCodes.InvalidFormat, $"'{period}' is not a {indicator.Period.ToString().ToLowerInvariant()}; write it like {example}.");
        }
        if (to < FirstDayOfPeriod(indicator.Period, indicator.AppliesFrom))
        {
            return new("period", ViolationCodes.InvalidPeriod, $"The indicator applies from {indicator.AppliesFrom:yyyy-MM-dd}; {period!.Trim()} is before it.");
        }
        if (today < to) return new("period", ViolationCodes.NotOpen, $"{period!.Trim()} ends on {to:yyyy-MM-dd}; its figure is reported from that day on.");
        if (today > ClosesOn(to)) return new("period", ViolationCodes.Closed, $"{period!.Trim()} closed for reports after {ClosesOn(to):yyyy-MM-dd}, the end of the month after it.");
        return null;
    }

    /// <summary>The last day a period ending on <paramref name="to"/> takes its report: the last day of the month after it.</summary>
    public static DateOnly ClosesOn(DateOnly to)
    {
        var next = to.AddDays(1);
        return new DateOnly(next.Year, next.Month, 1).AddMonths(1).AddDays(-1);
    }

    public static DateOnly FirstDayOfPeriod(ReportingPeriod period, DateOnly day) => period switch
    {
        ReportingPeriod.Month => new(day.Year, day.Month, 1),
        ReportingPeriod.Quarter => new(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
        _ => new(day.Year, 1, 1),
    };

    /// <summary>
    /// The periods of a complaint-based indicator that have ended by <paramref name="today"/> (their last day is before
    /// it), from the one the indicator applies from, and are not measured yet; oldest first.
    /// </summary>
    public static IReadOnlyList<string> DueMeasurements(Indicator indicator, DateOnly today, IReadOnlySet<string> measured)
    {
        var due = new List<string>();
        if (indicator.Source == IndicatorSource.Reported) return due;
        for (var from = FirstDayOfPeriod(indicator.Period, indicator.AppliesFrom); ; from = Next(indicator.Period, from))
        {
            var to = Next(indicator.Period, from).AddDays(-1);
            if (to >= today) break;
            var name = NameOf(indicator.Period, from);
            if (!measured.Contains(name)) due.Add(name);
        }
        return due;
    }

    private static DateOnly Next(ReportingPeriod period, DateOnly from) => period switch
    {
        ReportingPeriod.Month => from.AddMonths(1),
        ReportingPeriod.Quarter => from.AddMonths(3),
        _ => from.AddYears(1),
    };

    /// <summary>
    /// Complaint figures of one period from (filed, resolved, deadline) of the complaints resolved in it: the share resolved
    /// by the deadline in %, or the median days to resolve, to one decimal; null when none was resolved.
    /// </summary>
    public static decimal? ComplaintFigure(IndicatorSource source, IReadOnlyCollection<(DateTimeOffset Filed, DateTimeOffset Resolved, DateOnly ResolvedOn, DateOnly Deadline)> resolved)
    {
        if (resolved.Count == 0) return null;
        if (source == IndicatorSource.ComplaintsOnTime)
        {
            return Math.Round(resolved.Count(c => c.ResolvedOn <= c.Deadline) * 100m / resolved.Count, 1, MidpointRounding.AwayFromZero);
        }
        var days = resolved.Select(c => (decimal)(c.Resolved - c.Filed).TotalDays).Order().ToList();
        var median = days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2;
        return Math.Round(median, 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>The management level: per goal, its indicators by their latest figure.</summary>
    public static IReadOnlyList<GoalRollup> Rollup(IEnumerable<Indicator> indicators, IEnumerable<IndicatorFigure> figures)
    {
        var latest = figures.GroupBy(f => f.IndicatorKey).ToDictionary(g => g.Key, g => g.OrderBy(f => f.Period, StringComparer.Ordinal).Last());
        return [.. indicators.GroupBy(i => i.Goal, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new GoalRollup(
            g.Key,
            g.Count(),
            g.Count(i => latest.TryGetValue(i.Key, out var f) && !f.Deviation),
            g.Count(i => latest.TryGetValue(i.Key, out var f) && f.Deviation),
            g.Count(i => !latest.ContainsKey(i.Key))))];
    }

    /// <summary>The board level: the whole agreement in one state, the worst of its goals'.</summary>
    public static GoalState Overall(IEnumerable<GoalRollup> goals)
    {
        var list = goals.ToList();
        return list.Any(g => g.State == GoalState.Attention) ? GoalState.Attention : list.Any(g => g.State == GoalState.OnTrack) ? GoalState.OnTrack : GoalState.NoFigures;
    }
}
