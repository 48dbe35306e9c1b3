namespace Platform.Domain.Tariffs;

/// <summary>
/// The units tariffs are written in, in Dutch as the arrangements write them, with their English name for the English
/// interface. A unit outside this list (an arrangement's own, e.g. "container van 240 liter") is shown as written in both
/// languages; symbols (m³, kg, km) are the same in both.
/// </summary>
public static class UnitNames
{
    private static readonly Dictionary<string, string> English = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jaar"] = "year", ["maand"] = "month", ["week"] = "week", ["dag"] = "day", ["uur"] = "hour",
        ["seizoen"] = "season", ["km per seizoen"] = "km per season", ["ton"] = "tonne", ["stuk"] = "item",
        ["container"] = "container", ["lediging"] = "emptying", ["rit"] = "trip", ["aansluiting"] = "connection",
        ["huishouden"] = "household", ["inwoner"] = "inhabitant", ["liter"] = "litre", ["zak"] = "bag",
    };

    /// <summary>The unit in a language ("en" or "nl"): the English name when there is one and English is asked, else as written.</summary>
    public static string In(string measure, string? language) =>
        language == "en" && English.TryGetValue(measure.Trim(), out var english) ? english : measure;

    /// <summary>Whether the unit has an English name of its own (else it is shown as written).</summary>
    public static bool IsTranslated(string measure) => English.ContainsKey(measure.Trim());
}
