using System.Globalization;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Validation;

namespace Platform.Domain.ExtraWork;

/// <summary>
/// Where a request for work outside the agreement stands: asked by a member, quoted by the executing organisation,
/// approved or declined by that member, done and invoiced.
/// </summary>
public enum ExtraWorkStatus
{
    Requested = 0,
    Quoted = 1,
    Approved = 2,
    Declined = 3,
    Invoiced = 4,
}

/// <summary>One thing that happened to a request: who, when, what it became, for how much, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record ExtraWorkStep(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] ExtraWorkStatus Status,
    [property: Id(3)] decimal? Amount = null,
    [property: Id(4)] string? Note = null);

/// <summary>What the ledger needs of one request.</summary>
public sealed record ExtraWorkEntry(string Municipality, DateTimeOffset RequestedAt, ExtraWorkStatus Status, decimal? Quote, decimal? Approved, decimal? Invoiced);

/// <summary>One member's extra work in a year, against what such work cost it a year before the hand-over.</summary>
public sealed record ExtraWorkLedgerLine(string Municipality, int Requests, decimal AwaitingApproval, decimal Approved, decimal Invoiced, decimal? Baseline)
{
    /// <summary>Invoiced as a share of the baseline (1.0 = as much as before the hand-over); null without a baseline.</summary>
    public decimal? InvoicedShareOfBaseline => Baseline is > 0 ? decimal.Round(Invoiced / Baseline.Value, 3) : null;
}

/// <summary>The rules of extra work, pure: who asks, quotes, approves and invoices, which step may follow which, and the ledger.</summary>
public static class ExtraWorkRules
{
    public const int MaxTitle = 200;
    public const int MaxText = 4_000;
    public const decimal MaxAmount = 10_000_000m;
    public const string AboveQuote = "ABOVE_QUOTE";

    public static IReadOnlyList<RuleViolation> ValidateRequest(string? title, string? description)
    {
        var violations = new List<RuleViolation>();
        Rules.RequireText(violations, "title", title, MaxTitle);
        Rules.RequireText(violations, "description", description, MaxText);
        return violations;
    }

    /// <summary>An amount in euros: more than zero, at most <see cref="MaxAmount"/>, whole cents; a note when given is text.</summary>
    public static IReadOnlyList<RuleViolation> ValidateAmount(decimal amount, string? note, string noteField = "note")
    {
        var violations = new List<RuleViolation>();
        if (amount <= 0) violations.Add(new("amount", ViolationCodes.OutOfRange, $"amount must be more than zero; got {Euros(amount)}."));
        else if (amount > MaxAmount) violations.Add(new("amount", ViolationCodes.OutOfRange, $"amount {Euros(amount)} exceeds the maximum of {Euros(MaxAmount)}."));
        else if (decimal.Round(amount, 2) != amount) violations.Add(new("amount", ViolationCodes.InvalidFormat, $"amount {amount.ToString(CultureInfo.InvariantCulture)} has more than two decimals (whole cents only)."));
        Rules.OptionalText(violations, noteField, note, MaxText);
        return violations;
    }

    /// <summary>A member asks: its contract manager or its admin, for their own municipality.</summary>
    public static Decision MayRequest(Caller caller, IReadOnlyCollection<string> members) =>
        ActsForMember(caller, members)
            ? Decision.Allow
            : Decision.Deny(caller, "Only a member municipality's contract manager or admin asks the executing organisation for extra work.");

    /// <summary>The executing organisation's people quote and invoice.</summary>
    public static Decision MayQuote(Caller caller, string executingOrganisation) =>
        caller.IsExecutorStaff && caller.Organisation == executingOrganisation
            ? Decision.Allow
            : Decision.Deny(caller, "Only the executing organisation's staff quote and invoice extra work.");

    /// <summary>The member that asked (it pays) approves or declines, through its contract manager or admin.</summary>
    public static Decision MayApprove(Caller caller, string requestingMunicipality) =>
        ActsForMember(caller, [requestingMunicipality])
            ? Decision.Allow
            : Decision.Deny(caller, $"Only the municipality that asked for the work ({requestingMunicipality}) approves or declines its quote, through its contract manager or admin.");

    /// <summary>A quote answers a request, replaces an outstanding quote, or revises an approved one (which the member then approves again).</summary>
    public static RuleViolation? CheckQuote(ExtraWorkStatus status) => status switch
    {
        ExtraWorkStatus.Requested or ExtraWorkStatus.Quoted or ExtraWorkStatus.Approved => null,
        _ => new("extraWorkId", ViolationCodes.IllegalTransition, $"The request is {Name(status)}; it takes no quote."),
    };

    public static RuleViolation? CheckApprove(ExtraWorkStatus status) => status switch
    {
        ExtraWorkStatus.Quoted => null,
        ExtraWorkStatus.Approved => new("extraWorkId", ViolationCodes.AlreadyExists, "The quote is approved already."),
        ExtraWorkStatus.Requested => new("extraWorkId", ViolationCodes.IllegalTransition, "There is no quote to approve yet."),
        _ => new("extraWorkId", ViolationCodes.IllegalTransition, $"The request is {Name(status)}; there is no quote to approve."),
    };

    public static RuleViolation? CheckDecline(ExtraWorkStatus status) => status == ExtraWorkStatus.Quoted
        ? null
        : new("extraWorkId", ViolationCodes.IllegalTransition, $"Only an outstanding quote can be declined; the request is {Name(status)}.");

    /// <summary>Invoiced once, after approval, at most the approved quote: more needs a revised quote the member approves first.</summary>
    public static RuleViolation? CheckInvoice(ExtraWorkStatus status, decimal? approved, decimal amount) => status switch
    {
        ExtraWorkStatus.Invoiced => new("extraWorkId", ViolationCodes.AlreadyExists, "The work is invoiced already."),
        not ExtraWorkStatus.Approved => new("extraWorkId", ViolationCodes.IllegalTransition, $"Only approved work is invoiced; the request is {Name(status)}."),
        _ when approved is { } limit && amount > limit => new("amount", AboveQuote,
            $"The invoice of {Euros(amount)} is above the approved quote of {Euros(limit)}; send a revised quote for the member to approve first."),
        _ => null,
    };

    /// <summary>
    /// Each member's extra work requested in <paramref name="year"/> (Amsterdam time): requests, quotes awaiting its
    /// approval, approved and not yet invoiced, invoiced; with its baseline when it gave one. Members without requests but
    /// with a baseline are listed too.
    /// </summary>
    public static IReadOnlyList<ExtraWorkLedgerLine> Ledger(IEnumerable<ExtraWorkEntry> entries, int year, IReadOnlyDictionary<string, decimal> baselines)
    {
        var inYear = entries.Where(e => AmsterdamCalendar.DateOf(e.RequestedAt).Year == year).ToList();
        return inYear.Select(e => e.Municipality).Concat(baselines.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(code =>
            {
                var mine = inYear.Where(e => e.Municipality == code).ToList();
                return new ExtraWorkLedgerLine(code, mine.Count,
                    mine.Where(e => e.Status == ExtraWorkStatus.Quoted).Sum(e => e.Quote ?? 0),
                    mine.Where(e => e.Status == ExtraWorkStatus.Approved).Sum(e => e.Approved ?? 0),
                    mine.Where(e => e.Status == ExtraWorkStatus.Invoiced).Sum(e => e.Invoiced ?? 0),
                    baselines.TryGetValue(code, out var baseline) ? baseline : null);
            })
            .ToList();
    }

    public static string Name(ExtraWorkStatus status) => status switch
    {
        ExtraWorkStatus.Requested => "requested",
        ExtraWorkStatus.Quoted => "quoted",
        ExtraWorkStatus.Approved => "approved",
        ExtraWorkStatus.Declined => "declined",
        _ => "invoiced",
    };

    public static string Euros(decimal amount) => "€ " + amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static bool ActsForMember(Caller caller, IReadOnlyCollection<string> members) =>
        (caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.MunicipalityAdmin)) && caller.ActsForAny(members);
}
