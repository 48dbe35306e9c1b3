using Platform.Domain.Access;
using Platform.Domain.PriceReviews;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class PriceReviewRulesTests
{
    private static readonly string[] Services = ["bouwpuin", "grofvuil"];
    private static readonly DateOnly Today = new(2026, 12, 2);

    private static IReadOnlyList<(string Field, string Code)> Check(string? reviewer = "Bureau Tarief", DateOnly? on = null, string? summary = "Kostendekkend", string? url = null,
        params PriceFindingInput[] findings) =>
        [.. PriceReviewRules.Validate(reviewer, on ?? Today, summary, url, findings.Length == 0 ? [new("bouwpuin", 22.50m, null)] : findings, Services, Today).Select(v => (v.Field, v.Code))];

    [Fact]
    public void A_review_names_its_reviewer_date_summary_and_a_finding_per_known_service_once()
    {
        Assert.Empty(Check());
        Assert.Empty(Check(url: "https://example.nl/rapport.pdf"));
        Assert.Equal([("reviewer", ViolationCodes.Required), ("summary", ViolationCodes.Required)], Check(reviewer: " ", summary: null));
        Assert.Equal([("reviewedOn", ViolationCodes.OutOfRange)], Check(on: Today.AddDays(1)));
        Assert.Equal([("reviewedOn", ViolationCodes.OutOfRange)], Check(on: Today.AddYears(-1).AddDays(-1)));
        Assert.Equal([("reportUrl", ViolationCodes.InvalidFormat)], Check(url: "http://example.nl/rapport.pdf"));
        Assert.Equal([("reportUrl", ViolationCodes.InvalidFormat)], Check(url: "rapport.pdf"));
        Assert.Equal([("findings[1].serviceCode", ViolationCodes.Duplicate)], Check(findings: [new("bouwpuin", 20m, null), new("bouwpuin", 21m, null)]));
        Assert.Equal([("findings[0].serviceCode", ViolationCodes.UnknownService)], Check(findings: [new("strooien", 20m, null)]));
        Assert.Equal([("findings[0].serviceCode", ViolationCodes.Required), ("findings[0].advisedAmount", ViolationCodes.Required)], Check(findings: [new(null, null, null)]));
        Assert.Equal([("findings[0].advisedAmount", ViolationCodes.InvalidFormat)], Check(findings: [new("grofvuil", 20.005m, null)]));
        Assert.Equal([("findings[0].advisedAmount", ViolationCodes.OutOfRange)], Check(findings: [new("grofvuil", -1m, null)]));
        Assert.Equal([("findings", ViolationCodes.Required)], [.. PriceReviewRules.Validate("x", Today, "y", null, [], Services, Today).Select(v => (v.Field, v.Code))]);
    }

    [Theory]
    [InlineData(0, ViolationCodes.OutOfRange)]
    [InlineData(1, null)]
    [InlineData(10, null)]
    [InlineData(11, ViolationCodes.OutOfRange)]
    public void The_interval_is_one_to_ten_years(int years, string? refusedWith)
    {
        Assert.Equal(refusedWith, PriceReviewRules.CheckInterval(years)?.Code);
    }

    [Fact]
    public void The_next_review_is_due_the_interval_after_the_last_or_after_the_agreement()
    {
        Assert.Equal(new DateOnly(2029, 3, 1), PriceReviewRules.NextDue(3, new(2026, 3, 1), null));
        Assert.Equal(new DateOnly(2030, 6, 15), PriceReviewRules.NextDue(3, new(2026, 3, 1), new(2027, 6, 15)));
    }

    [Fact]
    public void A_proposal_cites_a_reviews_finding_for_its_own_service_only()
    {
        var review = new PriceReview(2, "Bureau Tarief", Today, "s", null, [new("bouwpuin", 35m, 22.5m, null)], "x", DateTimeOffset.UnixEpoch);
        var (citation, wrong) = PriceReviewRules.Cite(review, 2, "bouwpuin");
        Assert.Null(wrong);
        Assert.Equal((2, 35m, 22.5m), (citation!.Number, citation.Finding.CurrentAmount, citation.Finding.AdvisedAmount));
        Assert.Equal(("priceReview", ViolationCodes.NotFound), (PriceReviewRules.Cite(review, 2, "grofvuil").Violation!.Field, PriceReviewRules.Cite(review, 2, "grofvuil").Violation!.Code));
        Assert.Equal(ViolationCodes.NotFound, PriceReviewRules.Cite(null, 7, "bouwpuin").Violation!.Code);
    }

    [Fact]
    public void Only_a_members_contract_manager_or_admin_manages_price_reviews()
    {
        string[] members = ["GM0405"];
        Assert.True(PriceReviewRules.MayManage(new(CallerKind.User, "a", "GM0405", [Roles.ContractManager], []), members).Allowed);
        Assert.False(PriceReviewRules.MayManage(new(CallerKind.User, "a", "GM0405", [Roles.BoardMember], []), members).Allowed);
        Assert.False(PriceReviewRules.MayManage(new(CallerKind.User, "a", "GM0363", [Roles.ContractManager], []), members).Allowed);
        Assert.False(PriceReviewRules.MayManage(new(CallerKind.User, "a", "afvalbedrijf-nhn", [Roles.ExecutorAdmin], []), members).Allowed);
    }
}
