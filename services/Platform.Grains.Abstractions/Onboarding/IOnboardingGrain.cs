using Orleans.Concurrency;

namespace Platform.Grains.Onboarding;

public enum ApplicationStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    /// <summary>Not decided within the application lifetime; the municipality may apply again.</summary>
    Expired = 3,
    /// <summary>Another application for the same code was approved.</summary>
    Superseded = 4,
}

/// <summary>
/// The applications of one municipality to join the platform. Key: its CBS code. Anyone may apply, and
/// several may apply for one code (a real municipality is never blocked by someone who applied in its
/// name first): the operator sees them side by side and approves one, which onboards the municipality
/// and supersedes the rest, or rejects one with a reason. Undecided applications expire.
/// </summary>
[Alias("Platform.IOnboardingGrain")]
public interface IOnboardingGrain : IGrainWithStringKey
{
    /// <summary>Files an application; the result's id is "{code}/{number}".</summary>
    [Alias("Apply")]
    Task<CommandResult> ApplyAsync(ApplyForOnboarding command);

    /// <param name="number">Which application; may be left out when exactly one is pending.</param>
    [Alias("ApproveApplication")]
    Task<CommandResult> ApproveAsync(int? number);

    [Alias("RejectApplication")]
    Task<CommandResult> RejectAsync(int? number, string? reason);

    /// <summary>Records that the first admin's invitation went out (or failed), for the operator to see.</summary>
    [Alias("RecordInvitationFor")]
    Task RecordInvitationAsync(int number, bool sent, string detail);

    /// <summary>One application; without a number the one that matters now (the approved one, else the newest).</summary>
    [Alias("GetApplication"), ReadOnly]
    Task<OnboardingApplication?> GetAsync(int? number = null);

    /// <summary>Every application for this code, oldest first.</summary>
    [Alias("ListApplications"), ReadOnly]
    Task<IReadOnlyList<OnboardingApplication>> ListAsync();
}

[GenerateSerializer, Immutable]
public sealed record ApplyForOnboarding(
    [property: Id(0)] string? Name,
    [property: Id(1)] int Inhabitants,
    [property: Id(2)] DateOnly? InhabitantsReferenceDate,
    [property: Id(3)] string? ContactName,
    [property: Id(4)] string? ContactEmail);

[GenerateSerializer, Immutable]
public sealed record OnboardingApplication(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] int Inhabitants,
    [property: Id(3)] DateOnly InhabitantsReferenceDate,
    [property: Id(4)] string ContactName,
    [property: Id(5)] string ContactEmail,
    [property: Id(6)] ApplicationStatus Status,
    [property: Id(7)] DateTimeOffset AppliedAt,
    [property: Id(8)] string? Reason,
    [property: Id(9)] bool InvitationSent,
    [property: Id(10)] IReadOnlyList<HistoryEntry> History,
    [property: Id(11)] int Number = 1,
    [property: Id(12)] DateTimeOffset? ExpiresAt = null);
