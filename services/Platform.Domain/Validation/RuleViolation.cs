namespace Platform.Domain.Validation;

/// <summary>
/// A broken rule, worded for the person who sent the input: which field, a stable machine code,
/// and a sentence that names the problem.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RuleViolation(
    [property: Id(0)] string Field,
    [property: Id(1)] string Code,
    [property: Id(2)] string Message);

/// <summary>Stable codes that clients may branch on.</summary>
public static class ViolationCodes
{
    public const string Required = "REQUIRED";
    public const string TooLong = "TOO_LONG";
    public const string InvalidFormat = "INVALID_FORMAT";
    public const string OutOfRange = "OUT_OF_RANGE";
    /// <summary>Two colours meant to be read on each other are too alike (WCAG 2.2 contrast).</summary>
    public const string InsufficientContrast = "INSUFFICIENT_CONTRAST";
    public const string NotFound = "NOT_FOUND";
    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string Duplicate = "DUPLICATE";
    public const string Overlap = "OVERLAP";
    public const string InvalidPeriod = "INVALID_PERIOD";
    public const string UnknownService = "UNKNOWN_SERVICE";
    public const string UnsupportedCurrency = "UNSUPPORTED_CURRENCY";
    public const string AlreadyPublished = "ALREADY_PUBLISHED";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string InProgress = "IN_PROGRESS";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string IllegalTransition = "ILLEGAL_TRANSITION";
    public const string Expired = "EXPIRED";
    /// <summary>The period for this step has not begun (voting not yet open).</summary>
    public const string NotOpen = "NOT_OPEN";
    /// <summary>The period for this step is over (voting closed, opinion period ended).</summary>
    public const string Closed = "CLOSED";
    /// <summary>A figure in another unit than its indicator's.</summary>
    public const string UnitMismatch = "UNIT_MISMATCH";
    /// <summary>A signed value (an unsubscribe link) whose signature does not match: changed, or made for someone else.</summary>
    public const string InvalidSignature = "INVALID_SIGNATURE";
}
