using Orleans.Concurrency;
using Platform.Domain.PriceReviews;

namespace Platform.Grains.PriceReviews;

/// <summary>
/// An arrangement's external price reviews: the agreed interval, when the next is due, and each review's report with a
/// finding per service that a tariff-change proposal may cite. Public to read, like the tariffs. Key: the arrangement's id.
/// </summary>
[Alias("Platform.IPriceReviewsGrain")]
public interface IPriceReviewsGrain : IGrainWithStringKey
{
    [Alias("SetInterval")]
    Task<CommandResult> SetIntervalAsync(int years);

    [Alias("Record")]
    Task<CommandResult> RecordAsync(RecordPriceReview command);

    [Alias("View"), ReadOnly]
    Task<PriceReviewsView> ViewAsync();
}

[GenerateSerializer, Immutable]
public sealed record RecordPriceReview(
    [property: Id(0)] string? Reviewer,
    [property: Id(1)] DateOnly? ReviewedOn,
    [property: Id(2)] string? Summary,
    [property: Id(3)] string? ReportUrl,
    [property: Id(4)] IReadOnlyList<PriceFindingInput>? Findings);

[GenerateSerializer, Immutable]
public sealed record PriceReviewsSnapshot(
    [property: Id(0)] string ArrangementId,
    [property: Id(1)] int? IntervalYears,
    [property: Id(2)] DateOnly? NextDue,
    [property: Id(3)] bool Overdue,
    [property: Id(4)] IReadOnlyList<PriceReview> Reviews,
    [property: Id(5)] bool ViewerCanManage);

[GenerateSerializer, Immutable]
public sealed record PriceReviewsView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] PriceReviewsSnapshot? Reviews);
