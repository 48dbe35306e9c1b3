using Orleans.Concurrency;

namespace Platform.Grains.Onboarding;

public enum ApplicationStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

/// <summary>
/// A municipality's application to join the platform. Key: its CBS code. Anyone may apply; a
/// platform operator approves (which onboards the municipality) or rejects with a reason.
/// </summary>
[Alias("Platform.IOnboardingGrain")]
public interface IOnboardingGrain : IGrainWithStringKey
{
    [Alias("Apply")]
    Task<CommandResult> ApplyAsync(ApplyForOnboarding command);

    [Alias("Approve")]
    Task<CommandResult> ApproveAsync();

    [Alias("Reject")]
    Task<CommandResult> RejectAsync(string? reason);

    /// <summary>Records that the first admin's invitation went out (or failed), for the operator to see.</summary>
    [Alias("RecordInvitation")]
    Task RecordInvitationAsync(bool sent, string detail);

    [Alias("Get"), ReadOnly]
    Task<OnboardingApplication?> GetAsync();
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
    [property: Id(10)] IReadOnlyList<HistoryEntry> History);
