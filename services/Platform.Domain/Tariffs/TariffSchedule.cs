using System.Globalization;
using Platform.Domain.Validation;

namespace Platform.Domain.Tariffs;

/// <summary>
/// The rules of a tariff schedule: every version is kept; per service the periods never overlap,
/// may leave gaps (no price on those days) and the last one may be open-ended.
/// </summary>
public static class TariffSchedule
{
    public const string Euro = "EUR";
    public const decimal MaxAmount = 1_000_000m;
    public const int MaxVersionsPerPublication = 200;
    public const int MaxMeasureLength = 30;
    public const int MaxDecisionLength = 200;

    /// <summary>The price of each service that applies on <paramref name="date"/>; services in a gap have none.</summary>
    public static IReadOnlyList<TariffVersion> On(IEnumerable<TariffVersion> versions, DateOnly date) =>
        versions.Where(v => v.AppliesOn(date))
                .OrderBy(v => v.ServiceCode, StringComparer.Ordinal)
                .ToList();

    /// <summary>The price of one service on <paramref name="date"/>, or null when none applies (a gap, or before the first).</summary>
    public static TariffVersion? On(IEnumerable<TariffVersion> versions, string serviceCode, DateOnly date) =>
        versions.FirstOrDefault(v => v.ServiceCode == serviceCode && v.AppliesOn(date));

    /// <summary>Every version, per service in date order; optionally of one service only.</summary>
    public static IReadOnlyList<TariffVersion> History(IEnumerable<TariffVersion> versions, string? serviceCode = null) =>
        versions.Where(v => serviceCode is null || v.ServiceCode == serviceCode)
                .OrderBy(v => v.ServiceCode, StringComparer.Ordinal)
                .ThenBy(v => v.ValidFrom)
                .ToList();

    /// <summary>
    /// Checks versions to be added to an existing schedule. Field names point into the input list
    /// (<c>tariffs[2].validTo</c>) so a client can show the message beside the right row.
    /// </summary>
    public static IReadOnlyList<RuleViolation> Validate(
        IReadOnlyList<TariffVersion> existing,
        IReadOnlyList<TariffVersion> additions,
        IReadOnlySet<string> knownServices)
    {
        var violations = new List<RuleViolation>();
        if (additions.Count == 0)
        {
            violations.Add(new("tariffs", ViolationCodes.Required, "tariffs must hold at least one tariff."));
            return violations;
        }
        if (additions.Count > MaxVersionsPerPublication)
        {
            violations.Add(new("tariffs", ViolationCodes.TooLong, $"tariffs holds {additions.Count} entries; at most {MaxVersionsPerPublication} are allowed at once."));
            return violations;
        }

        for (var i = 0; i < additions.Count; i++)
        {
            var v = additions[i];
            var at = $"tariffs[{i}]";
            if (!knownServices.Contains(v.ServiceCode))
            {
                violations.Add(new($"{at}.serviceCode", ViolationCodes.UnknownService, $"The arrangement has no service '{v.ServiceCode}'."));
            }
            ValidatePrice(violations, at, v.Amount, v.UnitQuantity, v.UnitMeasure);
            if (v.Currency != Euro)
            {
                violations.Add(new($"{at}.currency", ViolationCodes.UnsupportedCurrency, $"currency '{v.Currency}' is not supported; tariffs are in EUR."));
            }
            if (v.DecidedBy is { Length: > MaxDecisionLength })
            {
                violations.Add(new($"{at}.decidedBy", ViolationCodes.TooLong, $"decidedBy is {v.DecidedBy.Length} characters long; at most {MaxDecisionLength} are allowed."));
            }
            if (v.ValidTo is { } end && end < v.ValidFrom)
            {
                violations.Add(new($"{at}.validTo", ViolationCodes.InvalidPeriod, $"validTo {end:yyyy-MM-dd} lies before validFrom {v.ValidFrom:yyyy-MM-dd}."));
                continue;
            }

            foreach (var stored in existing.Where(v.Overlaps))
            {
                violations.Add(new($"{at}.validFrom", ViolationCodes.Overlap,
                    $"The period {Period(v)} of '{v.ServiceCode}' overlaps the published period {Period(stored)}."));
            }
            for (var j = 0; j < i; j++)
            {
                var earlier = additions[j];
                if (earlier.ValidTo is { } e && e < earlier.ValidFrom) continue;
                if (v.Overlaps(earlier))
                {
                    violations.Add(new($"{at}.validFrom", ViolationCodes.Overlap,
                        $"The period {Period(v)} of '{v.ServiceCode}' overlaps tariffs[{j}] ({Period(earlier)})."));
                }
            }
        }
        return violations;
    }

    /// <summary>
    /// A decided new price from its date: the version in effect the day before ends then, and the new
    /// one runs until the next version already scheduled for the service (or with no end). Returns the
    /// whole schedule, or an error when a version of the service already starts on that very date.
    /// </summary>
    public static (IReadOnlyList<TariffVersion> Schedule, string? Conflict) Supersede(IReadOnlyList<TariffVersion> existing, TariffVersion decided)
    {
        var sameService = existing.Where(v => v.ServiceCode == decided.ServiceCode).ToList();
        if (sameService.FirstOrDefault(v => v.ValidFrom == decided.ValidFrom) is { } clash)
        {
            return (existing, $"A tariff for '{decided.ServiceCode}' from {clash.ValidFrom:yyyy-MM-dd} was already set by {clash.DecidedBy ?? "an earlier decision"}.");
        }
        var next = sameService.Where(v => v.ValidFrom > decided.ValidFrom).Select(v => (DateOnly?)v.ValidFrom).Min();
        var added = decided with { ValidTo = next?.AddDays(-1) };
        var result = existing
            .Select(v => v.ServiceCode == decided.ServiceCode && v.ValidFrom < decided.ValidFrom && (v.ValidTo is null || v.ValidTo >= decided.ValidFrom)
                ? v with { ValidTo = decided.ValidFrom.AddDays(-1) }
                : v)
            .Append(added)
            .ToList();
        return (result, null);
    }

    /// <summary>
    /// The rules of a price, wherever one is set (a schedule, a proposed change): an amount in whole
    /// cents from zero to the maximum, and a unit of a positive quantity. Fields are named under <paramref name="at"/>.
    /// </summary>
    public static void ValidatePrice(ICollection<RuleViolation> violations, string at, decimal amount, decimal unitQuantity, string? unitMeasure)
    {
        if (amount < 0)
        {
            violations.Add(new($"{at}.amount", ViolationCodes.OutOfRange, $"amount must not be negative; got {Format(amount)}."));
        }
        else if (amount > MaxAmount)
        {
            violations.Add(new($"{at}.amount", ViolationCodes.OutOfRange, $"amount {Format(amount)} exceeds the maximum of {Format(MaxAmount)}."));
        }
        else if (decimal.Round(amount, 2) != amount)
        {
            violations.Add(new($"{at}.amount", ViolationCodes.InvalidFormat, $"amount {Format(amount)} has more than two decimals (whole cents only)."));
        }
        if (unitQuantity <= 0)
        {
            violations.Add(new($"{at}.unitQuantity", ViolationCodes.OutOfRange, $"unitQuantity must be greater than zero; got {Format(unitQuantity)}."));
        }
        Rules.RequireText(violations, $"{at}.unitMeasure", unitMeasure, MaxMeasureLength);
    }

    private static string Period(TariffVersion v) =>
        v.ValidTo is { } end ? $"{v.ValidFrom:yyyy-MM-dd} to {end:yyyy-MM-dd}" : $"from {v.ValidFrom:yyyy-MM-dd} with no end";

    private static string Format(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
