using Orleans.Concurrency;

namespace Platform.Grains.Complaints;

/// <summary>
/// A complaint filed without an account, waiting for its author to confirm it through the link mailed to
/// them. Key: the SHA-256 (hex) of the secret in that link, so the link is the author's only key and the
/// platform never stores it once the mail has gone. Confirming files the complaint once; the same link
/// then follows it to the end.
/// </summary>
[Alias("Platform.IComplaintDraftGrain")]
public interface IComplaintDraftGrain : IGrainWithStringKey
{
    /// <summary>Checks the complaint as its author would file it and mails the confirmation link; files nothing yet.</summary>
    [Alias("Submit")]
    Task<CommandResult> SubmitAsync(ComplaintDraft draft);

    /// <summary>Files the complaint (the first time) and answers its id; again and again the same id.</summary>
    [Alias("Confirm")]
    Task<CommandResult> ConfirmAsync();

    /// <summary>The complaint as its author sees it, once confirmed; null before, or for an unknown link.</summary>
    [Alias("Follow"), ReadOnly]
    Task<ComplaintSnapshot?> FollowAsync();

    /// <summary>A step the author may take (confirm the resolution, reopen), taken through the link.</summary>
    [Alias("Act")]
    Task<CommandResult> ActAsync(ComplaintTransition transition);
}

/// <summary>What a resident without an account sends: the complaint, their municipality and address, and the link to mail them.</summary>
[GenerateSerializer, Immutable]
public sealed record ComplaintDraft(
    [property: Id(0)] FileComplaint Filing,
    [property: Id(1)] string? Municipality,
    [property: Id(2)] string? Email,
    [property: Id(3)] string FollowLink);
