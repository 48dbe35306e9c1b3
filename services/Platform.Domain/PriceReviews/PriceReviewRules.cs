using Platform.Domain.Access;
using Platform.Domain.Validation;

namespace Platform.Domain.PriceReviews;

/// <summary>What an external reviewer found for one service: its tariff when reviewed and the price it advises.</summary>
[GenerateSerializer, Immutable]
public sealed record PriceFinding(
    [property: Id(0)] string ServiceCode,
    [property: Id(1)] decimal? CurrentAmount,
    [property: Id(2)] decimal AdvisedAmount,
    [property: Id(3)] string? Note);

/// <summary>A finding as typed in, before it is checked.</summary>
[GenerateSerializer, Immutable]
public sealed record PriceFindingInput(
    [property: Id(0)] string? ServiceCode,
    [property: Id(1)] decimal? AdvisedAmount,
    [property: Id(2)] string? Note);

/// <summary>An external price review's report, attached to the arrangement.</summary>
[GenerateSerializer, Immutable]
public sealed record PriceReview(
    [property: Id(0)] int Number,
    [property: Id(1)] string Reviewer,
    [property: Id(2)] DateOnly ReviewedOn,
    [property: Id(3)] string Summary,
    [property: Id(4)] string? ReportUrl,
    [property: Id(5)] IReadOnlyList<PriceFinding> Findings,
    [property: Id(6)] string RecordedBy,
    [property: Id(7)] DateTimeOffset RecordedAt);

/// <summary>A price review cited by a tariff-change proposal: the finding for the proposal's service, as it was then.</summary>
[GenerateSerializer, Immutable]
public sealed record PriceReviewCitation(
    [property: Id(0)] int Number,
    [property: Id(1)] string Reviewer,
    [property: Id(2)] DateOnly ReviewedOn,
    [property: Id(3)] string? ReportUrl,
    [property: Id(4)] PriceFinding Finding);

/// <summary>
/// The rules of external price reviews, pure: the members agree an interval, commission a reviewer and attach its report
/// with a finding per service; the next review is due the interval after the last (or after the interval is agreed).
/// </summary>
public static class PriceReviewRules
{
    public const int MinYears = 1;
    public const int MaxYears = 10;
    public const int MaxReviewer = 200;
    public const int MaxSummary = 4_000;
    public const int MaxNote = 1_000;
    public const int MaxUrl = 500;
    public const int MaxFindings = 50;
    public const decimal MaxAmount = 1_000_000m;

    /// <summary>The members' contract managers and admins agree the interval and attach the reviews they commission.</summary>
    public static Decision MayManage(Caller caller, IReadOnlyCollection<string> members) =>
        caller.Kind == CallerKind.User && (caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.MunicipalityAdmin)) && caller.ActsForAny(members)
            ? Decision.Allow
            : Decision.Deny(caller, "Only a member's contract manager or admin agrees the price-review interval and attaches a review.");

    public static RuleViolation? CheckInterval(int years) =>
        years is < MinYears or > MaxYears ? new("years", ViolationCodes.OutOfRange, $"A price review is agreed every {MinYears} to {MaxYears} years; got {years}.") : null;

    /// <summary>When the next review is due: the interval after the last review, or after the day the interval was agreed.</summary>
    public static DateOnly NextDue(int years, DateOnly agreedOn, DateOnly? lastReviewedOn) => (lastReviewedOn ?? agreedOn).AddYears(years);

    public static IReadOnlyList<RuleViolation> Validate(string? reviewer, DateOnly? reviewedOn, string? summary, string? reportUrl,
        IReadOnlyList<PriceFindingInput>? findings, IReadOnlyCollection<string> services, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, "reviewer", reviewer, MaxReviewer);
        if (reviewedOn is not { } on) violations.Add(new("reviewedOn", ViolationCodes.Required, "The date of the review's report is required."));
        else if (on > today) violations.Add(new("reviewedOn", ViolationCodes.OutOfRange, $"The report is dated {on:yyyy-MM-dd}, after today."));
        else if (on < today.AddYears(-1)) violations.Add(new("reviewedOn", ViolationCodes.OutOfRange, "A review's report is attached within a year of its date."));
        Rules.RequireText(violations, "summary", summary, MaxSummary);
        if (!string.IsNullOrWhiteSpace(reportUrl)
            && (reportUrl.Trim().Length > MaxUrl || !Uri.TryCreate(reportUrl.Trim(), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
        {
            violations.Add(new("reportUrl", ViolationCodes.InvalidFormat, $"The report's address is an https:// address of at most {MaxUrl} characters."));
        }
        findings ??= [];
        if (findings.Count == 0) violations.Add(new("findings", ViolationCodes.Required, "A review has at least one finding: a service and the price it advises."));
        if (findings.Count > MaxFindings) violations.Add(new("findings", ViolationCodes.OutOfRange, $"At most {MaxFindings} findings; got {findings.Count}."));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < findings.Count && i < MaxFindings; i++)
        {
            var at = $"findings[{i}]";
            var code = findings[i].ServiceCode?.Trim();
            if (string.IsNullOrEmpty(code)) violations.Add(new($"{at}.serviceCode", ViolationCodes.Required, "Each finding names a service."));
            else if (!services.Contains(code)) violations.Add(new($"{at}.serviceCode", ViolationCodes.UnknownService, $"The arrangement has no service '{code}'."));
            else if (!seen.Add(code)) violations.Add(new($"{at}.serviceCode", ViolationCodes.Duplicate, $"The review has a finding for '{code}' already."));
            if (findings[i].AdvisedAmount is not { } amount) violations.Add(new($"{at}.advisedAmount", ViolationCodes.Required, "Each finding has the price the reviewer advises."));
            else if (amount < 0 || amount > MaxAmount) violations.Add(new($"{at}.advisedAmount", ViolationCodes.OutOfRange, $"An advised price is between 0 and {MaxAmount:0} euros."));
            else if (decimal.Round(amount, 2) != amount) violations.Add(new($"{at}.advisedAmount", ViolationCodes.InvalidFormat, "An advised price is in whole cents."));
            Rules.OptionalText(violations, $"{at}.note", findings[i].Note, MaxNote);
        }
        return violations;
    }

    /// <summary>The finding a tariff-change proposal for <paramref name="serviceCode"/> may cite, or why it cannot.</summary>
    public static (PriceReviewCitation? Citation, RuleViolation? Violation) Cite(PriceReview? review, int number, string? serviceCode)
    {
        if (review is null) return (null, new("priceReview", ViolationCodes.NotFound, $"The arrangement has no price review {number}."));
        if (review.Findings.FirstOrDefault(f => f.ServiceCode == serviceCode) is not { } finding)
        {
            return (null, new("priceReview", ViolationCodes.NotFound, $"Price review {number} has no finding for '{serviceCode}'."));
        }
        return (new(review.Number, review.Reviewer, review.ReviewedOn, review.ReportUrl, finding), null);
    }
}
