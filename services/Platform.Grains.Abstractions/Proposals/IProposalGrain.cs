using Orleans.Concurrency;
using Platform.Domain.Proposals;

namespace Platform.Grains.Proposals;

/// <summary>
/// One proposed policy change in an arrangement: its rule and schedule (fixed when proposed), opinions,
/// votes, support, comments, outcome and effect. Key: the proposal id.
/// </summary>
[Alias("Platform.IProposalGrain")]
public interface IProposalGrain : IGrainWithStringKey
{
    [Alias("Propose")]
    Task<CommandResult> ProposeAsync(ProposeChange command);

    [Alias("SubmitOpinion")]
    Task<CommandResult> SubmitOpinionAsync(string? text);

    /// <param name="operationId">The request's own id (reserved for its idempotency key): a vote applied under it is not applied again, however late a retry arrives.</param>
    [Alias("CastVote")]
    Task<CommandResult> CastVoteAsync(VoteChoice choice, string? operationId = null);

    [Alias("Support")]
    Task<CommandResult> SupportAsync();

    [Alias("Comment")]
    Task<CommandResult> CommentAsync(string? text);

    [Alias("HideComment")]
    Task<CommandResult> HideCommentAsync(int commentNumber, string? reason);

    /// <summary>
    /// What the closing reminder runs: closes the vote once its deadline has passed and carries out an
    /// adopted change when its date has come. Idempotent; safe to run again after a crash.
    /// </summary>
    [Alias("Tick")]
    Task TickAsync();

    /// <summary>The proposal (public), or null when there is none with this id.</summary>
    [Alias("Get"), ReadOnly]
    Task<ProposalSnapshot?> GetAsync();
}

[GenerateSerializer, Immutable]
public sealed record ProposeChange(
    [property: Id(0)] string? ArrangementId,
    [property: Id(1)] ProposedChange Change,
    [property: Id(2)] EvidencePeriod? Evidence,
    [property: Id(3)] int? PriceReview = null);

/// <summary>Complaints cited as evidence, counted when the proposal was made.</summary>
[GenerateSerializer, Immutable]
public sealed record Evidence(
    [property: Id(0)] EvidencePeriod Period,
    [property: Id(1)] int ComplaintCount,
    [property: Id(2)] DateTimeOffset CountedAt);

/// <summary>A member's current vote and its weight.</summary>
[GenerateSerializer, Immutable]
public sealed record Vote(
    [property: Id(0)] string MunicipalityCode,
    [property: Id(1)] long Weight,
    [property: Id(2)] VoteChoice Choice,
    [property: Id(3)] DateTimeOffset CastAt,
    [property: Id(4)] string CastBy,
    [property: Id(5)] int Changes);

/// <summary>A member council's written opinion (zienswijze).</summary>
[GenerateSerializer, Immutable]
public sealed record Opinion(
    [property: Id(0)] string MunicipalityCode,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] string SubmittedBy);

/// <summary>A public comment. Its author is shown by role and municipality only; a hidden comment keeps why.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposalComment(
    [property: Id(0)] int Number,
    [property: Id(1)] string Text,
    [property: Id(2)] string AuthorRole,
    [property: Id(3)] string? AuthorOrganisation,
    [property: Id(4)] DateTimeOffset PostedAt,
    [property: Id(5)] DateTimeOffset? HiddenAt = null,
    [property: Id(6)] string? HiddenBy = null,
    [property: Id(7)] string? HiddenReason = null);

[GenerateSerializer, Immutable]
public sealed record ProposalSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string ArrangementId,
    [property: Id(2)] ProposedChange Change,
    [property: Id(3)] string ProposedBy,
    [property: Id(4)] string ProposerMunicipality,
    [property: Id(5)] DecisionRule Rule,
    [property: Id(6)] ProposalSchedule Schedule,
    [property: Id(7)] ProposalPhase Phase,
    [property: Id(8)] IReadOnlyList<Ballot> Ballots,
    [property: Id(9)] IReadOnlyList<Vote> Votes,
    [property: Id(10)] Tally Tally,
    [property: Id(11)] ProposalOutcome? Outcome,
    [property: Id(12)] DateTimeOffset? ClosedAt,
    [property: Id(13)] IReadOnlyList<Opinion> Opinions,
    [property: Id(14)] int SupportCount,
    [property: Id(15)] bool SupportedByViewer,
    [property: Id(16)] IReadOnlyList<ProposalComment> Comments,
    [property: Id(17)] Evidence? Evidence,
    [property: Id(18)] DateTimeOffset? EffectAppliedAt,
    [property: Id(19)] string? EffectNote,
    [property: Id(20)] IReadOnlyList<HistoryEntry> History,
    [property: Id(21)] ProposalCapabilities? ViewerCan = null,
    [property: Id(22)] IReadOnlyList<EffectMeasurement>? Measurements = null,
    [property: Id(23)] Platform.Domain.PriceReviews.PriceReviewCitation? PriceReview = null,
    [property: Id(24)] DateOnly? NextMeasurementOn = null);

/// <summary>What the caller may do with a proposal now: its policies and its phase together.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposalCapabilities(
    [property: Id(0)] bool Vote,
    [property: Id(1)] bool SubmitOpinion,
    [property: Id(2)] bool Support,
    [property: Id(3)] bool Comment,
    [property: Id(4)] bool HideComments);
