using Platform.Domain.Validation;

namespace Platform.Grains;

/// <summary>
/// What a command did: the id of the aggregate it touched, or the rules it broke. A command with
/// errors changed nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CommandResult(
    [property: Id(0)] string? Id,
    [property: Id(1)] IReadOnlyList<RuleViolation> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static CommandResult Ok(string id) => new(id, []);

    public static CommandResult Fail(string field, string code, string message) => new(null, [new(field, code, message)]);

    public static CommandResult Fail(IReadOnlyList<RuleViolation> errors) => new(null, errors);

    /// <summary>The refusal of a policy, as a result: nothing was changed.</summary>
    public static CommandResult Refused(Platform.Domain.Access.Decision decision) =>
        Fail("", decision.NeedsAuthentication ? ViolationCodes.Unauthenticated : ViolationCodes.Forbidden, decision.Reason);

    /// <summary>True when the command was refused for who the caller is, not for what it sent.</summary>
    public bool IsRefusal => Errors.Count == 1 && Errors[0].Code is ViolationCodes.Unauthenticated or ViolationCodes.Forbidden;
}

/// <summary>One line of an aggregate's history: who did what, when. History is a feature users see.</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Action,
    [property: Id(3)] string Detail);

/// <summary>Names of the Orleans providers, shared by silo and tests.</summary>
public static class StorageNames
{
    public const string Grains = "grains";
}
