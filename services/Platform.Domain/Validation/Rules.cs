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
        else if (value.Length > maxLength)
        {
            violations.Add(new(field, ViolationCodes.TooLong, $"{field} is {value.Length} characters long; at most {maxLength} are allowed."));
        }
    }
}
