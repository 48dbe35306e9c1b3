using System.Globalization;
using Microsoft.Extensions.Localization;
using Platform.WebAdmin.Gateway;
using Platform.WebAdmin.Resources;

namespace Platform.WebAdmin.Components;

/// <summary>
/// Reads what people typed into numbers and dates before anything goes to the gateway, collecting a
/// message per field that cannot be read (the gateway then never sees a wrong type).
/// </summary>
public sealed class FormReader(IStringLocalizer<Text> texts)
{
    public List<UserError> Errors { get; } = [];

    /// <summary>A whole number; "1.234" and "1 234" read as 1234. Null (and no error) when left empty and optional.</summary>
    public int? Int(string field, string? text, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text)) return Missing<int>(field, required);
        var cleaned = text.Replace(".", "").Replace(" ", "").Replace("\u00a0", "");
        if (int.TryParse(cleaned, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        Errors.Add(new(field, "INVALID_FORMAT", texts["form.wholenumber"]));
        return null;
    }

    /// <summary>An amount or quantity with a decimal comma or point (35,50 or 35.50).</summary>
    public decimal? Decimal(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Missing<decimal>(field, true);
        var cleaned = text.Trim().Replace("€", "").Replace(" ", "").Replace(',', '.');
        if (cleaned.Count(c => c == '.') <= 1 && decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return value;
        Errors.Add(new(field, "INVALID_FORMAT", texts["form.number"]));
        return null;
    }

    /// <summary>A date as a date field sends it (yyyy-MM-dd).</summary>
    public DateOnly? Date(string field, string? text, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text)) return Missing<DateOnly>(field, required);
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)) return value;
        Errors.Add(new(field, "INVALID_FORMAT", texts["form.date"]));
        return null;
    }

    /// <summary>A moment as a date-and-time field sends it (yyyy-MM-ddTHH:mm), read as Amsterdam time.</summary>
    public DateTimeOffset? AmsterdamTime(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Missing<DateTimeOffset>(field, true);
        if (DateTime.TryParseExact(text.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        Errors.Add(new(field, "INVALID_FORMAT", texts["form.datetime"]));
        return null;
    }

    private T? Missing<T>(string field, bool required) where T : struct
    {
        if (required) Errors.Add(new(field, "REQUIRED", texts["err.REQUIRED"]));
        return null;
    }

    public static string Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
