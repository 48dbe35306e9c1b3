using Orleans.Concurrency;
using Platform.Domain.Complaints;

namespace Platform.Grains.Complaints;

/// <summary>One citizen's complaint: its workflow, service-level dates and whole history. Key: the complaint id.</summary>
[Alias("Platform.IComplaintGrain")]
public interface IComplaintGrain : IGrainWithStringKey
{
    [Alias("File")]
    Task<CommandResult> FileAsync(FileComplaint command);

    /// <summary>Runs every check filing would, as the caller, and stores nothing.</summary>
    [Alias("CheckFiling"), ReadOnly]
    Task<CommandResult> CheckFilingAsync(FileComplaint command);

    /// <summary>The author closed their account: the complaint stays, without their address, name or any way back to them.</summary>
    [Alias("Anonymise")]
    Task<CommandResult> AnonymiseAuthorAsync();

    [Alias("Transition")]
    Task<CommandResult> TransitionAsync(ComplaintTransition command);

    /// <summary>Whether the caller (the author) may attach another photo now; checked before the upload.</summary>
    [Alias("CanAddPhoto"), ReadOnly]
    Task<CommandResult> CanAddPhotoAsync();

    /// <summary>Records a photo already stored in the tenant's blob container.</summary>
    [Alias("AddPhoto")]
    Task<CommandResult> AddPhotoAsync(Photo photo);

    /// <summary>
    /// What the service-level sweep runs when the complaint's next check is due (<c>IServiceLevelSweepGrain</c>):
    /// marks the complaint overdue once a promised date has passed, and closes a resolved complaint the citizen did
    /// not confirm in time. Idempotent.
    /// </summary>
    [Alias("CheckServiceLevel")]
    Task CheckServiceLevelAsync();

    /// <summary>The complaint as the caller may see it, or null when it does not exist or the caller may not see it.</summary>
    [Alias("Get"), ReadOnly]
    Task<ComplaintSnapshot?> GetAsync();

    /// <summary>
    /// The caller starts (or stops) following this report, filed by someone else in their municipality: every status
    /// change is then mailed to them (<c>followed-reports</c>), without the staff's note. Repeating either is harmless.
    /// </summary>
    [Alias("FollowReport")]
    Task<CommandResult> FollowReportAsync(bool follow);

    /// <summary>The addresses of the people who follow it, for the platform's notifier; empty for anyone else.</summary>
    [Alias("Followers"), ReadOnly]
    Task<IReadOnlyList<string>> FollowersAsync();

    /// <summary>Writes the complaint's row in the lists again (a rebuilt read model). False when there is no such complaint.</summary>
    [Alias("RewriteListRow")]
    Task<bool> RewriteListRowAsync();
}

[GenerateSerializer, Immutable]
public sealed record Location(
    [property: Id(0)] double? Latitude,
    [property: Id(1)] double? Longitude,
    [property: Id(2)] string? Address);

[GenerateSerializer, Immutable]
public sealed record FileComplaint(
    [property: Id(0)] string? ArrangementId,
    [property: Id(1)] string? ServiceCode,
    [property: Id(2)] string? Description,
    [property: Id(3)] Location? Location,
    [property: Id(4)] Reporter? Reporter = null);

/// <summary>The contact a partner system passes on for the person who reported (Open311's email, name, phone): data, never the author.</summary>
[GenerateSerializer, Immutable]
public sealed record Reporter(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Email,
    [property: Id(2)] string? Phone);

[GenerateSerializer, Immutable]
public sealed record ComplaintTransition(
    [property: Id(0)] ComplaintAction Action,
    [property: Id(1)] string? Note,
    [property: Id(2)] string? Reason,
    [property: Id(3)] string? Referral,
    [property: Id(4)] string? DuplicateOf);

/// <summary>A complaint as its caller may see it.</summary>
/// <param name="Version">The stored state's version, the one its list row carries (0 from a silo older than this field).</param>
[GenerateSerializer, Immutable]
public sealed record ComplaintSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string ArrangementId,
    [property: Id(2)] string ServiceCode,
    [property: Id(3)] string Description,
    [property: Id(4)] Location Location,
    [property: Id(5)] string Municipality,
    [property: Id(6)] string? ExecutingOrganisation,
    [property: Id(7)] ComplaintStatus Status,
    [property: Id(8)] DateTimeOffset FiledAt,
    [property: Id(9)] DateOnly AcknowledgeBy,
    [property: Id(10)] DateOnly ResolveBy,
    [property: Id(11)] DateTimeOffset? AcknowledgedAt,
    [property: Id(12)] DateTimeOffset? ResolvedAt,
    [property: Id(13)] string? Reason,
    [property: Id(14)] string? Referral,
    [property: Id(15)] string? DuplicateOf,
    [property: Id(16)] ComplaintRole ViewerRole,
    [property: Id(17)] IReadOnlyList<ComplaintAction> AllowedActions,
    [property: Id(18)] IReadOnlyList<HistoryEntry> History,
    [property: Id(19)] IReadOnlyList<Photo> Photos,
    [property: Id(20)] DateTimeOffset? AcknowledgeOverdueSince = null,
    [property: Id(21)] DateTimeOffset? ResolveOverdueSince = null,
    [property: Id(22)] Reporter? Reporter = null,
    [property: Id(23)] long Version = 0);

/// <summary>A photo of a complaint: where its bytes are (blob container and name) and what they are.</summary>
[GenerateSerializer, Immutable]
public sealed record Photo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Container,
    [property: Id(2)] string BlobName,
    [property: Id(3)] string ContentType,
    [property: Id(4)] long Size,
    [property: Id(5)] string Sha256,
    [property: Id(6)] DateTimeOffset UploadedAt);
