namespace Platform.Domain.Proposals;

/// <summary>One member's complaints about the evidence's service before and after the change, and the same per 10,000 inhabitants per 30 days.</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.Domain.Proposals.MemberEffect")]
public sealed record MemberEffect(
    [property: Id(0)] string Municipality,
    [property: Id(1)] int Inhabitants,
    [property: Id(2)] int Before,
    [property: Id(3)] int After,
    [property: Id(4)] decimal BeforeRate,
    [property: Id(5)] decimal AfterRate);

/// <summary>The evidence measured again some months after an adopted change took effect: before against after, per member.</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.Domain.Proposals.EffectMeasurement")]
public sealed record EffectMeasurement(
    [property: Id(0)] int Months,
    [property: Id(1)] DateOnly MeasuredOn,
    [property: Id(2)] string ServiceCode,
    [property: Id(3)] DateOnly BeforeFrom,
    [property: Id(4)] DateOnly BeforeTo,
    [property: Id(5)] DateOnly AfterFrom,
    [property: Id(6)] DateOnly AfterTo,
    [property: Id(7)] IReadOnlyList<MemberEffect> Members)
{
    public int BeforeTotal => Members.Sum(m => m.Before);

    public int AfterTotal => Members.Sum(m => m.After);
}

/// <summary>
/// "Did the decision work?": three and six months after an adopted change took effect, the complaints it cited as
/// evidence are counted again. Before is the cited period; after is a period of the same length that ends the day
/// before the measurement, but never starts before the change took effect (so a year's evidence measured after three
/// months compares a year with three months). Windows of different lengths compare fairly as a rate: complaints per
/// 10,000 inhabitants per 30 days.
/// </summary>
public static class DecisionFollowUp
{
    public static readonly IReadOnlyList<int> MonthsAfter = [3, 6];

    public static DateOnly MeasureOn(DateOnly effective, int months) => effective.AddMonths(months);

    public static (DateOnly From, DateOnly To) AfterWindow(EvidencePeriod evidence, DateOnly effective, int months)
    {
        var length = evidence.To.DayNumber - evidence.From.DayNumber + 1;
        var to = MeasureOn(effective, months).AddDays(-1);
        var from = to.AddDays(-(length - 1));
        return (from < effective ? effective : from, to);
    }

    /// <summary>Complaints per 10,000 inhabitants per 30 days, to one decimal; 0 for a member without a count of inhabitants.</summary>
    public static decimal Rate(int complaints, int inhabitants, DateOnly from, DateOnly to)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        if (inhabitants <= 0 || days <= 0) return 0m;
        return Math.Round(complaints * 10_000m / inhabitants * 30m / days, 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>The measurements due by <paramref name="today"/> that are not made yet, earliest first.</summary>
    public static IReadOnlyList<int> Due(DateOnly effective, DateOnly today, IEnumerable<int> measured) =>
        [.. MonthsAfter.Where(m => MeasureOn(effective, m) <= today).Except(measured).Order()];

    /// <summary>The next measurement date after the ones made, or null when both are made.</summary>
    public static DateOnly? Next(DateOnly effective, IEnumerable<int> measured) =>
        MonthsAfter.Except(measured).Order().Select(m => (DateOnly?)MeasureOn(effective, m)).FirstOrDefault();

    public static EffectMeasurement Measure(int months, DateOnly measuredOn, EvidencePeriod evidence, DateOnly effective,
        IReadOnlyList<(string Municipality, int Inhabitants)> members, Func<string, int> before, Func<string, int> after)
    {
        var (afterFrom, afterTo) = AfterWindow(evidence, effective, months);
        return new(months, measuredOn, evidence.ServiceCode, evidence.From, evidence.To, afterFrom, afterTo,
            [.. members.Select(m => new MemberEffect(m.Municipality, m.Inhabitants, before(m.Municipality), after(m.Municipality),
                Rate(before(m.Municipality), m.Inhabitants, evidence.From, evidence.To), Rate(after(m.Municipality), m.Inhabitants, afterFrom, afterTo)))]);
    }
}
