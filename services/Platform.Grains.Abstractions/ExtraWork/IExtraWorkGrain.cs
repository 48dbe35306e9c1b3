using Orleans.Concurrency;
using Platform.Domain.ExtraWork;

namespace Platform.Grains.ExtraWork;

/// <summary>
/// One request for work outside the agreement (salt bought in, an extra collection round): asked by a member, quoted by
/// the executing organisation, approved or declined by that member, then invoiced at most at the approved quote.
/// Key: the request's id.
/// </summary>
[Alias("Platform.IExtraWorkGrain")]
public interface IExtraWorkGrain : IGrainWithStringKey
{
    [Alias("Request")]
    Task<CommandResult> RequestAsync(RequestExtraWork command);

    /// <summary>The executing organisation's quote, or a revised one (an approved quote revised needs approving again).</summary>
    [Alias("Quote")]
    Task<CommandResult> QuoteAsync(decimal amount, string? note);

    [Alias("Approve")]
    Task<CommandResult> ApproveAsync();

    [Alias("Decline")]
    Task<CommandResult> DeclineAsync(string? reason);

    /// <summary>The work is done: invoiced once, at most the approved quote.</summary>
    [Alias("Invoice")]
    Task<CommandResult> InvoiceAsync(decimal amount, string? note);

    /// <summary>The request for those who may see it (the executing organisation's and the members' people, operators).</summary>
    [Alias("View"), ReadOnly]
    Task<ExtraWorkView> ViewAsync();
}

/// <summary>What each member's extra work cost a year before the hand-over, per arrangement. Key: the arrangement id.</summary>
[Alias("Platform.IExtraWorkBaselinesGrain")]
public interface IExtraWorkBaselinesGrain : IGrainWithStringKey
{
    /// <summary>A member sets its own baseline (its contract manager or admin): euros a year, zero or more.</summary>
    [Alias("Set")]
    Task<CommandResult> SetAsync(string? municipalityCode, decimal annualAmount);

    [Alias("View"), ReadOnly]
    Task<ExtraWorkBaselinesView> ViewAsync();
}

[GenerateSerializer, Immutable]
public sealed record RequestExtraWork(
    [property: Id(0)] string? ArrangementId,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Description);

[GenerateSerializer, Immutable]
public sealed record ExtraWorkSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string ArrangementId,
    [property: Id(2)] string Municipality,
    [property: Id(3)] string Title,
    [property: Id(4)] string Description,
    [property: Id(5)] ExtraWorkStatus Status,
    [property: Id(6)] decimal? Quote,
    [property: Id(7)] decimal? ApprovedAmount,
    [property: Id(8)] decimal? InvoicedAmount,
    [property: Id(9)] IReadOnlyList<ExtraWorkStep> Steps,
    [property: Id(10)] string RequestedBy,
    [property: Id(11)] DateTimeOffset RequestedAt,
    [property: Id(12)] ExtraWorkCapabilities ViewerCan)
{
    public ExtraWorkEntry Entry => new(Municipality, RequestedAt, Status, Quote, ApprovedAmount, InvoicedAmount);
}

/// <summary>What the caller may do with the request now, decided by the grain.</summary>
[GenerateSerializer, Immutable]
public sealed record ExtraWorkCapabilities(
    [property: Id(0)] bool Quote,
    [property: Id(1)] bool Approve,
    [property: Id(2)] bool Decline,
    [property: Id(3)] bool Invoice);

[GenerateSerializer, Immutable]
public sealed record ExtraWorkView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] ExtraWorkSnapshot? ExtraWork);

[GenerateSerializer, Immutable]
public sealed record ExtraWorkBaselinesView(
    [property: Id(0)] CommandResult Access,
    [property: Id(1)] IReadOnlyDictionary<string, decimal> Baselines,
    [property: Id(2)] bool SetOwn);
