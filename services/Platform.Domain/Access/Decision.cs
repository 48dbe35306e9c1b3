namespace Platform.Domain.Access;

/// <summary>The answer of a policy: allowed, or refused because the caller is unknown or not permitted.</summary>
public readonly record struct Decision(bool Allowed, bool NeedsAuthentication, string Reason)
{
    public static Decision Allow { get; } = new(true, false, "");

    public static Decision Unauthenticated(string reason) => new(false, true, reason);

    public static Decision Forbidden(string reason) => new(false, false, reason);

    /// <summary>Anonymous callers need to sign in first; others are simply not permitted.</summary>
    public static Decision Deny(Caller caller, string reason) =>
        caller.IsAuthenticated ? Forbidden(reason) : Unauthenticated("Sign in first: " + char.ToLowerInvariant(reason[0]) + reason[1..]);
}
