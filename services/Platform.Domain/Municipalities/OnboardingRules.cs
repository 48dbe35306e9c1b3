using Platform.Domain.Validation;

namespace Platform.Domain.Municipalities;

public static class OnboardingRules
{
    public const int MaxNameLength = 100;

    /// <summary>Checks a municipality's profile before it becomes a tenant.</summary>
    public static IReadOnlyList<RuleViolation> Validate(string code, string? name, int inhabitants, DateOnly? referenceDate, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        if (!MunicipalityCode.IsValid(code))
        {
            violations.Add(new("code", ViolationCodes.InvalidFormat, $"'{code}' is not a CBS municipality code; expected GM followed by four digits, e.g. GM0363."));
        }
        Rules.RequireText(violations, "name", name, MaxNameLength);
        ValidateCount(violations, inhabitants, referenceDate, today);
        return violations;
    }

    /// <summary>Checks a count of inhabitants and the date it was counted on, the basis of vote weights.</summary>
    public static void ValidateCount(ICollection<RuleViolation> violations, int inhabitants, DateOnly? referenceDate, DateOnly today)
    {
        if (inhabitants <= 0)
        {
            violations.Add(new("inhabitants", ViolationCodes.OutOfRange, $"inhabitants must be a positive number; got {inhabitants}."));
        }
        if (referenceDate is null)
        {
            violations.Add(new("inhabitantsReferenceDate", ViolationCodes.Required, "inhabitantsReferenceDate is required: vote weights depend on the count at a known date."));
        }
        else if (referenceDate > today)
        {
            violations.Add(new("inhabitantsReferenceDate", ViolationCodes.OutOfRange, $"inhabitantsReferenceDate {referenceDate:yyyy-MM-dd} lies in the future."));
        }
    }

    public const int MaxContactLength = 200;

    /// <summary>Checks an application: the municipality's profile and a contact who will become its first admin.</summary>
    public static IReadOnlyList<RuleViolation> ValidateApplication(string code, string? name, int inhabitants, DateOnly? referenceDate,
        string? contactName, string? contactEmail, DateOnly today)
    {
        var violations = Validate(code, name, inhabitants, referenceDate, today).ToList();
        Rules.RequireText(violations, "contactName", contactName, MaxContactLength);
        Rules.RequireText(violations, "contactEmail", contactEmail, MaxContactLength);
        if (!string.IsNullOrWhiteSpace(contactEmail) && contactEmail.Length <= MaxContactLength
            && !System.Net.Mail.MailAddress.TryCreate(contactEmail.Trim(), out _))
        {
            violations.Add(new("contactEmail", ViolationCodes.InvalidFormat, $"'{contactEmail}' is not an email address."));
        }
        return violations;
    }
}
