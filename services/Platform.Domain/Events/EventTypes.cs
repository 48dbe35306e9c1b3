namespace Platform.Domain.Events;

/// <summary>A kind of event: its type name, what it means, and who is told.</summary>
public sealed record EventType(string Name, string Meaning, string WhoIsTold);

/// <summary>
/// The event types the platform publishes. Names follow CloudEvents' reverse-DNS style; they are part of the
/// partner contract and never change meaning.
/// </summary>
public static class EventTypes
{
    public const string Prefix = "nl.regelingen.";
    public const string ComplaintFiled = Prefix + "complaint.filed";
    public const string ComplaintStatusChanged = Prefix + "complaint.status-changed";
    public const string ComplaintOverdue = Prefix + "complaint.overdue";
    public const string ProposalOpinionPeriodOpened = Prefix + "proposal.opinion-period-opened";
    public const string ProposalVotingOpened = Prefix + "proposal.voting-opened";
    public const string ProposalClosingSoon = Prefix + "proposal.closing-soon";
    public const string ProposalClosed = Prefix + "proposal.closed";
    public const string DecisionTookEffect = Prefix + "proposal.decision-took-effect";
    public const string DecisionEffectMeasured = Prefix + "proposal.effect-measured";
    public const string TariffPublished = Prefix + "tariff.published";
    public const string MemberJoined = Prefix + "membership.joined";
    public const string MemberLeaving = Prefix + "membership.ending";
    public const string OverdueWeeklySummary = Prefix + "overdue.weekly-summary";
    public const string IncidentReported = Prefix + "incident.reported";
    public const string IncidentEscalated = Prefix + "incident.escalated";
    public const string IncidentDecided = Prefix + "incident.decided";
    public const string ExtraWorkRequested = Prefix + "extra-work.requested";
    public const string ExtraWorkQuoted = Prefix + "extra-work.quoted";
    public const string ExtraWorkApproved = Prefix + "extra-work.approved";
    public const string ExtraWorkDeclined = Prefix + "extra-work.declined";
    public const string ExtraWorkInvoiced = Prefix + "extra-work.invoiced";
    public const string ConsultationScheduled = Prefix + "consultation.scheduled";
    public const string ConsultationHeld = Prefix + "consultation.minutes-recorded";
    public const string ActionItemDone = Prefix + "consultation.action-item-done";
    public const string PerformanceFigureReported = Prefix + "performance.figure-reported";
    public const string PerformanceDeviation = Prefix + "performance.deviation";
    public const string PerformanceDefinitive = Prefix + "performance.definitive";
    public const string PriceReviewRecorded = Prefix + "price-review.recorded";

    public static readonly IReadOnlyList<EventType> All =
    [
        new(ComplaintFiled, "A resident filed a complaint about a service of an arrangement.",
            "The executing organisation's staff (mail, kind new-complaints); partners of the municipality and of the executing organisation."),
        new(ComplaintStatusChanged, "A complaint moved to another status (acknowledged, in progress, resolved, closed, rejected, duplicate, reopened).",
            "The resident who filed it (mail, kind complaint-updates), and residents who follow the report (kind followed-reports, without the note); partners of the municipality and of the executing organisation."),
        new(ComplaintOverdue, "A complaint was not acknowledged or not resolved by the date its service level sets.",
            "The executing organisation's staff (mail, kind overdue-complaints); partners of the municipality and of the executing organisation."),
        new(ProposalOpinionPeriodOpened, "A member proposed a change whose rule asks the councils' opinions first; the opinion period runs until voting opens.",
            "The admins and aldermen of every member municipality, who submit their council's opinion (mail, kind opinion-periods); partners of the members and the executing organisation."),
        new(ProposalVotingOpened, "Voting on a proposal opened (at once, or when its opinion period ended).",
            "The board members of every member municipality (mail, kind proposal-votes); partners of the members and the executing organisation."),
        new(ProposalClosingSoon, "Voting on a proposal closes in two working days; the data names the members that have not voted.",
            "The board members of the members that have not voted yet (mail, kind proposal-votes); partners of the members and the executing organisation."),
        new(ProposalClosed, "Voting on a proposal closed; the data carries the outcome and how it was counted.",
            "The board members of every member municipality (mail, kind proposal-votes); partners of the members and the executing organisation."),
        new(DecisionTookEffect, "An adopted proposal's change was carried out on its date (a tariff version, a service level).",
            "Partners of the members and the executing organisation; the arrangement's public Atom feed."),
        new(DecisionEffectMeasured, "Three or six months after an adopted change took effect, the complaints it cited as evidence were counted again: before against after, per member and per 10,000 inhabitants.",
            "The board members and contract managers of every member (mail, kind decision-results); partners of the members and the executing organisation; the arrangement's public Atom feed."),
        new(TariffPublished, "A tariff was published: the arrangement's first schedule, or a new version from an adopted proposal.",
            "Partners of the members and the executing organisation."),
        new(MemberJoined, "A municipality became a member of the arrangement.",
            "Partners of the members (the new one included) and the executing organisation."),
        new(MemberLeaving, "A member's last day in the arrangement was recorded.",
            "Partners of the members and the executing organisation."),
        new(OverdueWeeklySummary, "Monday at 07:00: per arrangement and member municipality, the open complaints past their service-level date (at most 100 listed, with the total).",
            "The municipality's contract managers (mail, kind overdue-summary); partners of the municipality and of the executing organisation."),
        new(IncidentReported, "An incident in an arrangement was reported (the salt ran out); the data names its level: operations, or the aldermen's committee at once when it is political.",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(IncidentEscalated, "An incident moved up a level: by itself when the level below let its deadline pass, or raised by someone; the data names the level and why.",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(IncidentDecided, "A level decided on an incident; the data carries the decision and whether it resolved the incident.",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(ExtraWorkRequested, "A member asked the executing organisation for work outside the agreement; the data names the member (municipality).",
            "The executing organisation's staff (mail, kind extra-work); partners of the members and the executing organisation."),
        new(ExtraWorkQuoted, "The executing organisation quoted a request for extra work (or revised its quote); the data carries the amount.",
            "The requesting member's contract managers (mail, kind extra-work); partners of the members and the executing organisation."),
        new(ExtraWorkApproved, "The requesting member approved the quote; the data carries the approved amount.",
            "The executing organisation's staff (mail, kind extra-work); partners of the members and the executing organisation."),
        new(ExtraWorkDeclined, "The requesting member declined the quote, with its reason.",
            "The executing organisation's staff (mail, kind extra-work); partners of the members and the executing organisation."),
        new(ExtraWorkInvoiced, "The work was done and invoiced; the data carries the invoiced amount (never above the approved quote).",
            "The requesting member's contract managers (mail, kind extra-work); partners of the members and the executing organisation."),
        new(ConsultationScheduled, "A consultation (operational, tactical or strategic) was scheduled, with its agenda.",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(ConsultationHeld, "A consultation's minutes were recorded, with its decisions and action items (owner, due date).",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(ActionItemDone, "An action item of a consultation was marked done by the party that owns it.",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(PerformanceFigureReported, "A period's figure of a performance indicator arrived (reported by the executing organisation, or measured from the complaints) and met its target.",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(PerformanceDeviation, "A period's figure of a performance indicator missed its target; the data carries the indicator, the period, the figure and the target.",
            "The members' contract managers and the executing organisation's admins (mail, kind deviations); partners of the members and the executing organisation."),
        new(PerformanceDefinitive, "The performance agreements became definitive, by the adopted proposal the data names.",
            "Partners of the members and the executing organisation; the members' event feeds."),
        new(PriceReviewRecorded, "An external price review's report was attached to the arrangement; the data names the reviewer, its date and each service's tariff against the advised price.",
            "Partners of the members and the executing organisation; the members' event feeds."),
    ];

    /// <summary>Events about a whole arrangement (its proposals, tariffs, members and incidents) rather than one municipality's complaint.</summary>
    public static bool IsArrangementWide(string type) =>
        type.StartsWith(Prefix + "proposal.", StringComparison.Ordinal) || type.StartsWith(Prefix + "tariff.", StringComparison.Ordinal)
        || type.StartsWith(Prefix + "membership.", StringComparison.Ordinal) || type.StartsWith(Prefix + "incident.", StringComparison.Ordinal)
        || type.StartsWith(Prefix + "extra-work.", StringComparison.Ordinal) || type.StartsWith(Prefix + "consultation.", StringComparison.Ordinal)
        || type.StartsWith(Prefix + "performance.", StringComparison.Ordinal) || type.StartsWith(Prefix + "price-review.", StringComparison.Ordinal);

    /// <summary>Events about one complaint.</summary>
    public static bool IsComplaint(string type) => type.StartsWith(Prefix + "complaint.", StringComparison.Ordinal);

    public static bool IsKnown(string name) => All.Any(t => t.Name == name);
}
