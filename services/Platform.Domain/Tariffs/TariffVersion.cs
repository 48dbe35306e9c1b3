using System.Globalization;

namespace Platform.Domain.Tariffs;

/// <summary>
/// One price of one service for one period: e.g. construction debris, EUR 35.00 per 0.5 m³,
/// from 2025-01-01 with no end, set by the Board decision "AB 2024-12".
/// </summary>
/// <param name="ValidTo">The last day the price applies (inclusive); null while it has no end.</param>
[GenerateSerializer, Immutable]
public sealed record TariffVersion(
    [property: Id(0)] string ServiceCode,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] decimal UnitQuantity,
    [property: Id(4)] string UnitMeasure,
    [property: Id(5)] DateOnly ValidFrom,
    [property: Id(6)] DateOnly? ValidTo,
    [property: Id(7)] string? DecidedBy)
{
    /// <summary>The unit as people write it: "per 0.5 m³", "per container".</summary>
    public string Unit => UnitIn(null);

    /// <summary>The unit in a language ("en": the measure's English name, <see cref="UnitNames"/>; else as written).</summary>
    public string UnitIn(string? language)
    {
        var measure = UnitNames.In(UnitMeasure, language);
        return UnitQuantity == 1m ? $"per {measure}" : $"per {UnitQuantity.ToString("0.###", CultureInfo.InvariantCulture)} {measure}";
    }

    public bool AppliesOn(DateOnly date) => date >= ValidFrom && (ValidTo is null || date <= ValidTo);

    public bool Overlaps(TariffVersion other) =>
        ServiceCode == other.ServiceCode
        && ValidFrom <= (other.ValidTo ?? DateOnly.MaxValue)
        && other.ValidFrom <= (ValidTo ?? DateOnly.MaxValue);
}
