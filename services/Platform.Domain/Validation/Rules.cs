namespace Platform.Domain.Validation;

/// <summary>Small field checks shared by every command, so that every input is judged alike.</summary>
public static class Rules
{
    public static void RequireText(ICollection<RuleViolation> violations, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(new(field, ViolationCodes.Required, $"{field} is required."));
        }
        else
        {
            OptionalText(violations, field, value, maxLength);
        }
    }

    /// <summary>Text that may be left out; when given it is judged like required text.</summary>
    public static void OptionalText(ICollection<RuleViolation> violations, string field, string? value, int maxLength)
    {
        if (value is null) return;
        if (value.Length > maxLength)
        {
            violations.Add(new(field, ViolationCodes.TooLong, $"{field} is {value.Length} characters long; at most {maxLength} are allowed."));
        }
        else if (UnreadableCharacter(value) is { } at)
        {
            violations.Add(new(field, ViolationCodes.InvalidFormat,
                $"{field} holds a character that is not text (position {at + 1}): control characters other than tab and line breaks, and broken Unicode, are refused."));
        }
    }

    /// <summary>
    /// Input echoed in a message: at most <paramref name="maxLength"/> characters (an ellipsis marks the cut), without
    /// control characters or halves of a character, so that what a caller sent can be named without being replayed.
    /// </summary>
    public static string Echo(string? value, int maxLength = 50)
    {
        value ??= "";
        var text = new string([.. value.Take(maxLength).Where(c => !char.IsControl(c) && !char.IsSurrogate(c))]);
        return value.Length > maxLength ? text + "…" : text;
    }

    /// <summary>
    /// The position of the first character that is not readable text: a control character other than tab,
    /// line feed and carriage return, a lone surrogate (broken UTF-16), or a Unicode non-character; null when there is none.
    /// </summary>
    public static int? UnreadableCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                return i;
            }
            if (char.IsLowSurrogate(c)) return i;
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) return i;
            if (c is '\uFFFE' or '\uFFFF' || c is >= '\uFDD0' and <= '\uFDEF') return i;
        }
        return null;
    }
}
