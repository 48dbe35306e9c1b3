using System.Net;
using System.Security.Cryptography;
using System.Text;
using Platform.Domain.Access;
using System.Globalization;
using Platform.Domain.Calendar;
using Platform.Domain.Complaints;
using Platform.Domain.Proposals;

namespace Platform.Domain.Events;

/// <summary>What a person can switch on or off, one kind at a time.</summary>
public enum NotificationKind
{
    /// <summary>The resident: every status change of a complaint they filed.</summary>
    ComplaintUpdates = 0,
    /// <summary>Executing-organisation staff: a complaint was filed about their work.</summary>
    NewComplaints = 1,
    /// <summary>Executing-organisation staff: a complaint passed a service-level date.</summary>
    OverdueComplaints = 2,
    /// <summary>Board members: voting on a proposal opened, closes in two working days and they have not voted, closed with an outcome.</summary>
    ProposalVotes = 3,
    /// <summary>Municipality admins and aldermen: a proposal asks their council's opinion.</summary>
    OpinionPeriods = 4,
    /// <summary>Contract managers: on Mondays, the municipality's complaints past their service-level date, per arrangement.</summary>
    OverdueSummary = 5,
    /// <summary>Board members and contract managers: did an adopted decision work (its evidence counted again after three and six months)?</summary>
    DecisionResults = 6,
    /// <summary>The level an incident reaches (operations, contract managers, aldermen), and every decision on it to the contract managers.</summary>
    Incidents = 7,
    /// <summary>Extra work: requests, approvals and declines to the executing organisation's staff; quotes and invoices to the asking member.</summary>
    ExtraWork = 8,
    /// <summary>A performance indicator's figure missed its target: to the members' contract managers and the executing organisation's admins.</summary>
    Deviations = 9,
    /// <summary>A resident: every status change of a report someone else filed that they follow (without the staff's note).</summary>
    FollowedReports = 10,
}

/// <summary>How a person wants one kind: not at all, by mail at once, or gathered in one mail a day.</summary>
public enum NotificationDelivery
{
    Off = 0,
    AtOnce = 1,
    /// <summary>One mail a day at <see cref="NotificationRules.DigestHour"/> (Amsterdam) with everything of that kind since the last.</summary>
    Daily = 2,
}

/// <summary>One mail to send for one event.</summary>
public sealed record MailRecipient(string Address, NotificationKind Kind);

/// <summary>Who is told of an event by mail: a pure rule, so the README's table and the code cannot drift apart.</summary>
public static class NotificationRules
{
    public static readonly IReadOnlyList<string> Languages = ["nl", "en"];

    /// <param name="peopleOf">The active people of an organisation: their addresses and roles.</param>
    /// <param name="followersOf">The people who follow a complaint (by its id), for its status changes.</param>
    public static IReadOnlyList<MailRecipient> MailRecipients(PlatformEvent e, Func<string, IEnumerable<(string Email, string Role)>> peopleOf,
        Func<string, IEnumerable<string>>? followersOf = null)
    {
        IEnumerable<MailRecipient> With(IEnumerable<string?> organisations, NotificationKind kind, params string[] roles) =>
            organisations.OfType<string>().Distinct(StringComparer.Ordinal)
                .SelectMany(o => peopleOf(o).Where(p => roles.Contains(p.Role)).Select(p => p.Email.ToLowerInvariant()))
                .Where(IsMailAddress).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(a => new MailRecipient(a, kind));
        var data = EventData.Arrangement(e);
        IEnumerable<MailRecipient> recipients = e.Type switch
        {
            EventTypes.ComplaintStatusChanged => StatusChangeRecipients(e, followersOf),
            EventTypes.ComplaintFiled => With([e.ExecutingOrganisation], NotificationKind.NewComplaints, Roles.ExecutorStaff, Roles.ExecutorAdmin),
            EventTypes.ComplaintOverdue => With([e.ExecutingOrganisation], NotificationKind.OverdueComplaints, Roles.ExecutorStaff, Roles.ExecutorAdmin),
            EventTypes.ProposalOpinionPeriodOpened when data is not null => With(data.Members, NotificationKind.OpinionPeriods, Roles.MunicipalityAdmin, Roles.Alderman),
            EventTypes.ProposalVotingOpened or EventTypes.ProposalClosed when data is not null => With(data.Members, NotificationKind.ProposalVotes, Roles.BoardMember),
            EventTypes.ProposalClosingSoon when data is not null => With(data.NotVoted ?? [], NotificationKind.ProposalVotes, Roles.BoardMember),
            EventTypes.OverdueWeeklySummary => With([e.Municipality], NotificationKind.OverdueSummary, Roles.ContractManager),
            EventTypes.DecisionEffectMeasured when data is not null => With(data.Members, NotificationKind.DecisionResults, Roles.BoardMember, Roles.ContractManager),
            EventTypes.IncidentReported or EventTypes.IncidentEscalated when data is not null => data.Level switch
            {
                nameof(Incidents.EscalationLevel.Operations) => With([e.ExecutingOrganisation], NotificationKind.Incidents, Roles.ExecutorStaff, Roles.ExecutorAdmin),
                nameof(Incidents.EscalationLevel.ContractManagers) => With(data.Members, NotificationKind.Incidents, Roles.ContractManager),
                _ => With(data.Members, NotificationKind.Incidents, Roles.Alderman),
            },
            EventTypes.IncidentDecided when data is not null => With(data.Members, NotificationKind.Incidents, Roles.ContractManager),
            EventTypes.ExtraWorkRequested or EventTypes.ExtraWorkApproved or EventTypes.ExtraWorkDeclined =>
                With([e.ExecutingOrganisation], NotificationKind.ExtraWork, Roles.ExecutorStaff, Roles.ExecutorAdmin),
            EventTypes.ExtraWorkQuoted or EventTypes.ExtraWorkInvoiced when data is not null =>
                With([data.Municipality], NotificationKind.ExtraWork, Roles.ContractManager, Roles.MunicipalityAdmin),
            EventTypes.PerformanceDeviation when data is not null =>
                With(data.Members, NotificationKind.Deviations, Roles.ContractManager).Concat(With([e.ExecutingOrganisation], NotificationKind.Deviations, Roles.ExecutorAdmin)),
            _ => [],
        };
        return [.. recipients];
    }

    /// <summary>The resident who filed it, then its followers (each once, never the author twice).</summary>
    private static IEnumerable<MailRecipient> StatusChangeRecipients(PlatformEvent e, Func<string, IEnumerable<string>>? followersOf)
    {
        var author = e.Person is { } person && IsMailAddress(person) ? person.ToLowerInvariant() : null;
        var followers = (followersOf?.Invoke(e.Subject) ?? []).Select(f => f.ToLowerInvariant()).Where(f => f != author && IsMailAddress(f))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(f => new MailRecipient(f, NotificationKind.FollowedReports));
        return author is null ? followers : followers.Prepend(new(author, NotificationKind.ComplaintUpdates));
    }

    /// <summary>The organisations an event concerns: their staff and partner systems may read it and have it delivered.</summary>
    public static IReadOnlyList<string> Organisations(PlatformEvent e) =>
        [.. new[] { e.Municipality, e.ExecutingOrganisation }.Concat(EventData.Arrangement(e)?.Members ?? []).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>The kinds that can concern <paramref name="caller"/>: their own complaints' changes, and what their role is told of.</summary>
    public static IReadOnlyList<NotificationKind> KindsFor(Caller caller)
    {
        var kinds = new List<NotificationKind> { NotificationKind.ComplaintUpdates };
        // Reports are followed in one's own municipality; an executing organisation is none.
        if (!caller.IsExecutorStaff) kinds.Add(NotificationKind.FollowedReports);
        if (caller.IsExecutorStaff) kinds.AddRange([NotificationKind.NewComplaints, NotificationKind.OverdueComplaints]);
        if (caller.HasRole(Roles.BoardMember)) kinds.Add(NotificationKind.ProposalVotes);
        if (caller.HasRole(Roles.MunicipalityAdmin) || caller.HasRole(Roles.Alderman)) kinds.Add(NotificationKind.OpinionPeriods);
        if (caller.HasRole(Roles.ContractManager)) kinds.Add(NotificationKind.OverdueSummary);
        if (caller.HasRole(Roles.BoardMember) || caller.HasRole(Roles.ContractManager)) kinds.Add(NotificationKind.DecisionResults);
        if (caller.IsExecutorStaff || caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.Alderman)) kinds.Add(NotificationKind.Incidents);
        if (caller.IsExecutorStaff || caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.MunicipalityAdmin)) kinds.Add(NotificationKind.ExtraWork);
        if (caller.HasRole(Roles.ContractManager) || caller.HasRole(Roles.ExecutorAdmin)) kinds.Add(NotificationKind.Deviations);
        return kinds;
    }

    /// <summary>Daily digests go out at 07:00 Amsterdam time, before the working day.</summary>
    public const int DigestHour = 7;

    /// <summary>The first digest moment after <paramref name="now"/>: today at 07:00 in Amsterdam if that is still to come, else tomorrow's.</summary>
    public static DateTimeOffset NextDigestAt(DateTimeOffset now)
    {
        var today = AmsterdamCalendar.DateOf(now);
        var at = AmsterdamCalendar.At(today, new TimeOnly(DigestHour, 0));
        return at > now ? at : AmsterdamCalendar.At(today.AddDays(1), new TimeOnly(DigestHour, 0));
    }

    /// <summary>The weekly summary of overdue complaints: Monday at <see cref="DigestHour"/> in Amsterdam, the first after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextWeeklySummaryAt(DateTimeOffset now)
    {
        var date = AmsterdamCalendar.DateOf(now);
        for (var i = 0; i <= 7; i++, date = date.AddDays(1))
        {
            var at = AmsterdamCalendar.At(date, new TimeOnly(DigestHour, 0));
            if (date.DayOfWeek == DayOfWeek.Monday && at > now) return at;
        }
        throw new InvalidOperationException("A Monday comes within eight days.");
    }

    /// <summary>The ISO 8601 week of a date, e.g. <c>2026-W49</c>.</summary>
    public static string WeekOf(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)):00}");

    public static bool IsMailAddress(string value) => value.Contains('@', StringComparison.Ordinal) && System.Net.Mail.MailAddress.TryCreate(value, out _);

    /// <summary>A stable kind name for links and settings (<c>complaint-updates</c>).</summary>
    public static string NameOf(NotificationKind kind) => kind switch
    {
        NotificationKind.ComplaintUpdates => "complaint-updates",
        NotificationKind.NewComplaints => "new-complaints",
        NotificationKind.OverdueComplaints => "overdue-complaints",
        NotificationKind.ProposalVotes => "proposal-votes",
        NotificationKind.OpinionPeriods => "opinion-periods",
        NotificationKind.OverdueSummary => "overdue-summary",
        NotificationKind.DecisionResults => "decision-results",
        NotificationKind.Incidents => "incidents",
        NotificationKind.ExtraWork => "extra-work",
        NotificationKind.Deviations => "deviations",
        NotificationKind.FollowedReports => "followed-reports",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static NotificationKind? KindNamed(string? name) =>
        Enum.GetValues<NotificationKind>().Cast<NotificationKind?>().FirstOrDefault(k => NameOf(k!.Value) == name);
}

/// <summary>A composed mail: subject, plain text and HTML with the same content.</summary>
public sealed record ComposedMail(string Subject, string Text, string Html);

/// <summary>The words of each notification mail, in Dutch (the default) and English.</summary>
public static class NotificationMail
{
    /// <summary>The mail for an event that has one (see <see cref="NotificationRules.MailRecipients"/>); <paramref name="page"/> is where it is seen in the web app.</summary>
    /// <param name="kind">Why this person is told: a follower of someone else's report reads other words, without the staff's note.</param>
    public static ComposedMail Compose(PlatformEvent e, string language, Uri page, Uri unsubscribe, NotificationKind? kind = null)
    {
        var en = language == "en";
        var follower = kind == NotificationKind.FollowedReports;
        var (subject, lead, note) = EventData.Complaint(e) is { } complaint ? (follower ? FollowerWords(e, complaint, en) : ComplaintWords(e, complaint, en))
            : EventData.OverdueSummary(e) is { } summary ? SummaryWords(summary, en)
            : EventData.Arrangement(e) is { } arrangement ? ArrangementWords(e, arrangement, en)
            : throw new ArgumentOutOfRangeException(nameof(e), e.Type, "No mail for this event type.");
        var see = follower ? (en ? "See the report among reports nearby:" : "Bekijk de melding bij meldingen in de buurt:")
            : EventTypes.IsComplaint(e.Type) ? (en ? "See the complaint and its history:" : "Bekijk de melding en het verloop:")
            : e.Type == EventTypes.OverdueWeeklySummary ? (en ? "See them in the list:" : "Bekijk ze in de lijst:")
            : e.Type.StartsWith(EventTypes.Prefix + "incident.", StringComparison.Ordinal) ? (en ? "See the incident and its steps:" : "Bekijk het incident en de stappen:")
            : e.Type.StartsWith(EventTypes.Prefix + "extra-work.", StringComparison.Ordinal) ? (en ? "See the request, its quote and its steps:" : "Bekijk het verzoek, de offerte en de stappen:")
            : (en ? "See the proposal, its votes and its history:" : "Bekijk het voorstel, de stemmen en het verloop:");
        var stop = en ? "You receive this mail because of your notification settings. Stop these mails:" : "U ontvangt deze mail door uw meldingsinstellingen. Deze mails niet meer ontvangen:";
        var noteLabel = en ? "Note" : "Toelichting";
        var text = new StringBuilder()
            .AppendLine(lead)
            .Append(note is null ? "" : $"{noteLabel}: {note}{Environment.NewLine}")
            .AppendLine()
            .AppendLine($"{see} {page}")
            .AppendLine()
            .AppendLine($"{stop} {unsubscribe}")
            .ToString();
        var html = $"""
            <!DOCTYPE html>
            <html lang="{(en ? "en" : "nl")}"><head><meta charset="utf-8"><title>{H(subject)}</title></head>
            <body>
            <p>{H(lead)}</p>
            {(note is null ? "" : $"<p><strong>{H(noteLabel)}:</strong> {H(note)}</p>")}
            <p><a href="{H(page.ToString())}">{H(see)}</a></p>
            <p><small>{H(stop)} <a href="{H(unsubscribe.ToString())}">{(en ? "unsubscribe" : "afmelden")}</a></small></p>
            </body></html>
            """;
        return new(subject, text, html);
    }

    /// <summary>The page of the web app an event's mail links to; a follower's is the public report, since the complaint itself is not theirs to open.</summary>
    public static Uri PageOf(PlatformEvent e, Uri webApp, NotificationKind? kind = null) =>
        kind == NotificationKind.FollowedReports && e.Municipality is { } municipality
        ? new(webApp, $"reports?gemeente={Uri.EscapeDataString(municipality)}#report-{Uri.EscapeDataString(e.Subject)}")
        : EventData.OverdueSummary(e) is { } summary
        ? new(webApp, $"complaints?arrangement={Uri.EscapeDataString(summary.ArrangementId)}&overdue=true")
        : EventData.Arrangement(e) is { ProposalId: { } proposal }
        ? new(webApp, $"proposals/{Uri.EscapeDataString(proposal)}")
        : EventData.Arrangement(e) is { IncidentId: { } incident }
        ? new(webApp, $"incidents/{Uri.EscapeDataString(incident)}")
        : EventData.Arrangement(e) is { ExtraWorkId: { } work }
        ? new(webApp, $"extra-work/{Uri.EscapeDataString(work)}")
        : e.Type.StartsWith(EventTypes.Prefix + "performance.", StringComparison.Ordinal) && EventData.Arrangement(e) is { } agreement
        ? new(webApp, $"console/arrangements/{Uri.EscapeDataString(agreement.ArrangementId)}/performance")
        : EventData.Arrangement(e) is { } arrangement ? new(webApp, $"arrangements/{Uri.EscapeDataString(arrangement.ArrangementId)}")
        : new(webApp, $"complaints/{Uri.EscapeDataString(e.Subject)}");

    private static (string Subject, string Lead, string? Note) ComplaintWords(PlatformEvent e, ComplaintEventData d, bool en)
    {
        var status = StatusName(d.To, en);
        var (subject, lead) = e.Type switch
        {
            EventTypes.ComplaintStatusChanged => en
                ? ($"Your complaint about {d.ServiceName}: {status}", $"The status of your complaint about {d.ServiceName} is now: {status}.")
                : ($"Uw melding over {d.ServiceName}: {status}", $"De status van uw melding over {d.ServiceName} is nu: {status}."),
            EventTypes.ComplaintFiled => en
                ? ($"New complaint about {d.ServiceName}", $"A resident filed a complaint about {d.ServiceName}; acknowledge it by {d.Due:yyyy-MM-dd}.")
                : ($"Nieuwe melding over {d.ServiceName}", $"Een inwoner deed een melding over {d.ServiceName}; neem die uiterlijk {d.Due:dd-MM-yyyy} in behandeling."),
            EventTypes.ComplaintOverdue => en
                ? ($"Overdue: complaint about {d.ServiceName}", $"A complaint about {d.ServiceName} was not {(d.Note == "acknowledge" ? "acknowledged" : "resolved")} by {d.Due:yyyy-MM-dd}.")
                : ($"Termijn verstreken: melding over {d.ServiceName}", $"Een melding over {d.ServiceName} is niet uiterlijk {d.Due:dd-MM-yyyy} {(d.Note == "acknowledge" ? "in behandeling genomen" : "opgelost")}."),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Type, "No mail for this event type."),
        };
        var note = e.Type == EventTypes.ComplaintStatusChanged && !string.IsNullOrWhiteSpace(d.Note) ? d.Note : null;
        return (subject, lead, note);
    }

    /// <summary>A status change told to someone who follows the report: the service and the status only, as the public map shows them.</summary>
    private static (string Subject, string Lead, string? Note) FollowerWords(PlatformEvent e, ComplaintEventData d, bool en)
    {
        if (e.Type != EventTypes.ComplaintStatusChanged) throw new ArgumentOutOfRangeException(nameof(e), e.Type, "Followers are told of status changes only.");
        var status = StatusName(d.To, en);
        return en
            ? ($"A report you follow, about {d.ServiceName}: {status}", $"The status of the report about {d.ServiceName} that you follow is now: {status}.", null)
            : ($"Een melding die u volgt, over {d.ServiceName}: {status}", $"De status van de melding over {d.ServiceName} die u volgt is nu: {status}.", null);
    }

    private static (string Subject, string Lead, string? Note) SummaryWords(OverdueSummaryData d, bool en)
    {
        var listed = string.Join("; ", d.Complaints.Select(c => en
            ? $"{c.Id} ({c.ServiceCode}, {StatusName(c.Status, true)}, resolve by {c.ResolveBy:yyyy-MM-dd})"
            : $"{c.Id} ({c.ServiceCode}, {StatusName(c.Status, false)}, oplossen uiterlijk {c.ResolveBy:dd-MM-yyyy})"));
        var more = d.Total > d.Complaints.Count ? (en ? $"; and {d.Total - d.Complaints.Count} more" : $"; en nog {d.Total - d.Complaints.Count}") : "";
        var one = d.Total == 1;
        return en
            ? ($"Week {d.Week}: {d.Total} overdue complaint{(one ? "" : "s")} in {d.ArrangementName}",
                $"{d.Total} open complaint{(one ? "" : "s")} of {d.Municipality} in {d.ArrangementName} {(one ? "is" : "are")} past the service-level date.", listed + more)
            : ($"Week {d.Week}: {d.Total} {(one ? "melding" : "meldingen")} over de termijn in {d.ArrangementName}",
                $"{d.Total} open {(one ? "melding" : "meldingen")} van {d.Municipality} in {d.ArrangementName} {(one ? "is" : "zijn")} over de termijn van het dienstverleningsniveau.", listed + more);
    }

    /// <summary>A headline, a sentence and a note for an arrangement-wide event: the subject of its mail, and an entry of the arrangement's Atom feed.</summary>
    public static (string Subject, string Lead, string? Note) ArrangementWords(PlatformEvent e, ArrangementEventData d, bool en)
    {
        string When(DateTimeOffset? at) => at is { } t ? AmsterdamCalendar.LocalTime(t).ToString(en ? "yyyy-MM-dd HH:mm" : "dd-MM-yyyy 'om' HH:mm", CultureInfo.InvariantCulture) : "?";
        var title = d.Title ?? d.ProposalId ?? "";
        return e.Type switch
        {
            EventTypes.ProposalOpinionPeriodOpened => en
                ? ($"Opinion requested: {title}", $"'{title}' was proposed in {d.ArrangementName}. Its rule asks each member's council for an opinion; submit it before voting opens on {When(d.VotingOpensAt)}.", null)
                : ($"Zienswijze gevraagd: {title}", $"In {d.ArrangementName} is '{title}' voorgesteld. De besluitregel vraagt de raad van elke deelnemer om een zienswijze; dien die in voordat de stemming opent op {When(d.VotingOpensAt)}.", null),
            EventTypes.ProposalVotingOpened => en
                ? ($"Voting opened: {title}", $"Voting on '{title}' in {d.ArrangementName} is open until {When(d.VotingClosesAt)}.", null)
                : ($"Stemming geopend: {title}", $"De stemming over '{title}' in {d.ArrangementName} is open tot {When(d.VotingClosesAt)}.", null),
            EventTypes.ProposalClosingSoon => en
                ? ($"Reminder: voting closes {When(d.VotingClosesAt)}: {title}", $"Your municipality has not voted on '{title}' in {d.ArrangementName} yet. Voting closes on {When(d.VotingClosesAt)}.", null)
                : ($"Herinnering: stemming sluit {When(d.VotingClosesAt)}: {title}", $"Uw gemeente heeft nog niet gestemd over '{title}' in {d.ArrangementName}. De stemming sluit op {When(d.VotingClosesAt)}.", null),
            EventTypes.ProposalClosed => en
                ? ($"Outcome: {title}: {OutcomeName(d.Outcome, en)}", $"Voting on '{title}' in {d.ArrangementName} closed: {OutcomeName(d.Outcome, en)}.", d.Explanation)
                : ($"Uitslag: {title}: {OutcomeName(d.Outcome, en)}", $"De stemming over '{title}' in {d.ArrangementName} is gesloten: {OutcomeName(d.Outcome, en)}.", d.Explanation),
            EventTypes.DecisionTookEffect => en
                ? ($"In effect: {title}", $"The adopted proposal '{title}' of {d.ArrangementName} has been carried out.", d.Effect)
                : ($"In werking: {title}", $"Het aangenomen voorstel '{title}' van {d.ArrangementName} is uitgevoerd.", d.Effect),
            EventTypes.DecisionEffectMeasured => en
                ? ($"After {d.Months} months: {title}", $"Complaints about {d.ServiceCode} from the members of {d.ArrangementName}: {d.Before} in the period the proposal cited, {d.After} in the period after the change took effect.", d.Effect)
                : ($"Na {d.Months} maanden: {title}", $"Meldingen over {d.ServiceCode} uit de deelnemers van {d.ArrangementName}: {d.Before} in de periode die het voorstel aanhaalde, {d.After} in de periode nadat het besluit inging.", d.Effect),
            EventTypes.IncidentReported or EventTypes.IncidentEscalated => en
                ? ($"Incident for {LevelName(d.Level, en)}: {title}", $"An incident in {d.ArrangementName} is now with {LevelName(d.Level, en)}{(e.Type == EventTypes.IncidentEscalated ? (d.Reason == "DeadlinePassed" ? ", because the level below did not decide in time" : ", raised") : "")}; decide on it or raise it.", d.Explanation)
                : ($"Incident voor {LevelName(d.Level, en)}: {title}", $"Een incident in {d.ArrangementName} ligt nu bij {LevelName(d.Level, en)}{(e.Type == EventTypes.IncidentEscalated ? (d.Reason == "DeadlinePassed" ? ", omdat het niveau eronder niet op tijd besloot" : ", opgeschaald") : "")}; besluit erover of schaal het op.", d.Explanation),
            EventTypes.IncidentDecided => en
                ? ($"Decided{(d.Resolved == true ? " and resolved" : "")}: {title}", $"{Capital(LevelName(d.Level, en))} decided on the incident '{title}' in {d.ArrangementName}{(d.Resolved == true ? "; it is resolved" : "")}.", d.Explanation)
                : ($"Besloten{(d.Resolved == true ? " en opgelost" : "")}: {title}", $"{Capital(LevelName(d.Level, en))} besloot over het incident '{title}' in {d.ArrangementName}{(d.Resolved == true ? "; het is opgelost" : "")}.", d.Explanation),
            EventTypes.ExtraWorkRequested => en
                ? ($"Extra work asked by {d.Municipality}: {title}", $"{d.Municipality} asks for extra work in {d.ArrangementName}: '{title}'. Send a quote.", null)
                : ($"Meerwerk gevraagd door {d.Municipality}: {title}", $"{d.Municipality} vraagt meerwerk in {d.ArrangementName}: '{title}'. Stuur een offerte.", null),
            EventTypes.ExtraWorkQuoted => en
                ? ($"Quote {Money(d.Amount, en)}: {title}", $"The executing organisation of {d.ArrangementName} quotes {Money(d.Amount, en)} for '{title}'. Approve or decline it; the work is invoiced at most at the approved amount.", d.Explanation)
                : ($"Offerte {Money(d.Amount, en)}: {title}", $"De uitvoerder van {d.ArrangementName} biedt '{title}' aan voor {Money(d.Amount, en)}. Keur de offerte goed of wijs haar af; er wordt hooguit het goedgekeurde bedrag gefactureerd.", d.Explanation),
            EventTypes.ExtraWorkApproved => en
                ? ($"Quote approved: {title}", $"{d.Municipality} approved the quote of {Money(d.Amount, en)} for '{title}' in {d.ArrangementName}. The work may be done and invoiced up to that amount.", null)
                : ($"Offerte goedgekeurd: {title}", $"{d.Municipality} keurde de offerte van {Money(d.Amount, en)} voor '{title}' in {d.ArrangementName} goed. Het werk mag worden uitgevoerd en tot dat bedrag gefactureerd.", null),
            EventTypes.ExtraWorkDeclined => en
                ? ($"Quote declined: {title}", $"{d.Municipality} declined the quote for '{title}' in {d.ArrangementName}.", d.Explanation)
                : ($"Offerte afgewezen: {title}", $"{d.Municipality} wees de offerte voor '{title}' in {d.ArrangementName} af.", d.Explanation),
            EventTypes.ExtraWorkInvoiced => en
                ? ($"Invoiced {Money(d.Amount, en)}: {title}", $"The extra work '{title}' in {d.ArrangementName} is done and invoiced: {Money(d.Amount, en)}.", d.Explanation)
                : ($"Gefactureerd {Money(d.Amount, en)}: {title}", $"Het meerwerk '{title}' in {d.ArrangementName} is uitgevoerd en gefactureerd: {Money(d.Amount, en)}.", d.Explanation),
            EventTypes.PerformanceDeviation => en
                ? ($"Deviation {d.Period}: {title}", $"The figure of '{title}' in {d.ArrangementName} for {d.Period} is {Figure(d.Amount, en)} {d.Unit}, against a target of {d.Kind} {Figure(d.Target, en)} {d.Unit}.", d.Explanation)
                : ($"Afwijking {d.Period}: {title}", $"Het cijfer van '{title}' in {d.ArrangementName} over {d.Period} is {Figure(d.Amount, en)} {d.Unit}, tegen een norm van {(d.Kind == "at least" ? "minstens" : "hoogstens")} {Figure(d.Target, en)} {d.Unit}.", d.Explanation),
            EventTypes.TariffPublished => en
                ? ($"Tariff {d.ServiceCode}: {Money(d.Amount, en)} {d.Unit} from {d.Date:yyyy-MM-dd}", $"{d.ArrangementName} published the tariff for {d.ServiceCode}: {Money(d.Amount, en)} {d.Unit}, valid from {d.Date:yyyy-MM-dd}.", null)
                : ($"Tarief {d.ServiceCode}: {Money(d.Amount, en)} {d.Unit} vanaf {d.Date:dd-MM-yyyy}", $"{d.ArrangementName} publiceerde het tarief voor {d.ServiceCode}: {Money(d.Amount, en)} {d.Unit}, geldig vanaf {d.Date:dd-MM-yyyy}.", null),
            EventTypes.MemberJoined => en
                ? ($"{d.Municipality} joined", $"{d.Municipality} became a member of {d.ArrangementName}.", null)
                : ($"{d.Municipality} neemt deel", $"{d.Municipality} is deelnemer geworden van {d.ArrangementName}.", null),
            EventTypes.MemberLeaving => en
                ? ($"{d.Municipality} leaves after {d.Date:yyyy-MM-dd}", $"{d.Municipality} is a member of {d.ArrangementName} until {d.Date:yyyy-MM-dd}.", null)
                : ($"{d.Municipality} treedt uit na {d.Date:dd-MM-yyyy}", $"{d.Municipality} is deelnemer van {d.ArrangementName} tot en met {d.Date:dd-MM-yyyy}.", null),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Type, "No mail for this event type."),
        };
    }

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private static string LevelName(string? level, bool en) => level switch
    {
        nameof(Incidents.EscalationLevel.Operations) => en ? "operations" : "de uitvoering",
        nameof(Incidents.EscalationLevel.ContractManagers) => en ? "the contract managers" : "de contractmanagers",
        _ => en ? "the aldermen's committee" : "het wethoudersoverleg",
    };

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Figure(decimal? value, bool en) => (value ?? 0).ToString("0.####", en ? CultureInfo.InvariantCulture : Dutch);

    private static string Money(decimal? amount, bool en) =>
        en ? string.Create(CultureInfo.InvariantCulture, $"EUR {amount:0.00}") : string.Create(Dutch, $"€ {amount:0.00}");

    /// <summary>
    /// One mail with every event of one kind since the last digest, oldest first: a line per event with its page, in the
    /// person's language, and the same unsubscribe link as a single mail of that kind.
    /// </summary>
    public static ComposedMail Digest(IReadOnlyList<PlatformEvent> events, NotificationKind kind, string language, Uri webApp, Uri unsubscribe)
    {
        var en = language == "en";
        var what = KindWords(kind, en);
        var subject = en ? $"Daily summary: {events.Count} × {what}" : $"Dagoverzicht: {events.Count} × {what}";
        var lead = en ? $"Since the last summary ({events.Count}):" : $"Sinds het vorige overzicht ({events.Count}):";
        var lines = events.Select(e => (Line: Compose(e, language, PageOf(e, webApp, kind), unsubscribe, kind).Subject, Page: PageOf(e, webApp, kind))).ToList();
        var stop = en ? "You receive this daily summary because of your notification settings. Stop these mails:" : "U ontvangt dit dagoverzicht door uw meldingsinstellingen. Deze mails niet meer ontvangen:";
        var text = new StringBuilder().AppendLine(lead).AppendLine();
        foreach (var (line, page) in lines) text.AppendLine($"- {line}: {page}");
        text.AppendLine().AppendLine($"{stop} {unsubscribe}");
        var html = $"""
            <!DOCTYPE html>
            <html lang="{(en ? "en" : "nl")}"><head><meta charset="utf-8"><title>{H(subject)}</title></head>
            <body>
            <p>{H(lead)}</p>
            <ul>
            {string.Join(Environment.NewLine, lines.Select(l => $"<li><a href=\"{H(l.Page.ToString())}\">{H(l.Line)}</a></li>"))}
            </ul>
            <p><small>{H(stop)} <a href="{H(unsubscribe.ToString())}">{(en ? "unsubscribe" : "afmelden")}</a></small></p>
            </body></html>
            """;
        return new(subject, text.ToString(), html);
    }

    private static string KindWords(NotificationKind kind, bool en) => kind switch
    {
        NotificationKind.ComplaintUpdates => en ? "changes to your complaints" : "wijzigingen in uw meldingen",
        NotificationKind.NewComplaints => en ? "new complaints" : "nieuwe meldingen",
        NotificationKind.OverdueComplaints => en ? "overdue complaints" : "meldingen over de termijn",
        NotificationKind.ProposalVotes => en ? "votes on proposals" : "stemmingen over voorstellen",
        NotificationKind.OpinionPeriods => en ? "opinion periods" : "zienswijzen",
        NotificationKind.OverdueSummary => en ? "weekly overdue summaries" : "weekoverzichten van meldingen over de termijn",
        NotificationKind.DecisionResults => en ? "results of decisions" : "resultaten van besluiten",
        NotificationKind.Incidents => en ? "incidents" : "incidenten",
        NotificationKind.ExtraWork => en ? "extra work" : "meerwerk",
        NotificationKind.Deviations => en ? "deviations from performance targets" : "afwijkingen van prestatieafspraken",
        NotificationKind.FollowedReports => en ? "reports you follow" : "meldingen die u volgt",
        _ => NotificationRules.NameOf(kind),
    };

    public static string OutcomeName(string? outcome, bool english) => outcome switch
    {
        nameof(ProposalOutcome.Adopted) => english ? "adopted" : "aangenomen",
        nameof(ProposalOutcome.Rejected) => english ? "rejected" : "verworpen",
        nameof(ProposalOutcome.NoQuorum) => english ? "no quorum" : "geen quorum",
        _ => outcome ?? "",
    };

    private static string H(string value) => WebUtility.HtmlEncode(value);

    public static string StatusName(string status, bool english) => Enum.TryParse<ComplaintStatus>(status, out var s)
        ? s switch
        {
            ComplaintStatus.Submitted => english ? "submitted" : "ingediend",
            ComplaintStatus.Acknowledged => english ? "acknowledged" : "in behandeling genomen",
            ComplaintStatus.InProgress => english ? "being worked on" : "wordt aan gewerkt",
            ComplaintStatus.Resolved => english ? "resolved" : "opgelost",
            ComplaintStatus.Closed => english ? "closed" : "gesloten",
            ComplaintStatus.Rejected => english ? "rejected" : "afgewezen",
            ComplaintStatus.Duplicate => english ? "a duplicate" : "dubbel",
            ComplaintStatus.Reopened => english ? "reopened" : "heropend",
            _ => status,
        }
        : status;
}

/// <summary>
/// One-click unsubscribe links (RFC 8058): the person and the kind, signed with the platform's link key, so a link
/// works without signing in and cannot be changed to switch off someone else's mail.
/// </summary>
public static class UnsubscribeLinks
{
    public static string Sign(byte[] key, string person, NotificationKind kind)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{person.ToLowerInvariant()}\n{NotificationRules.NameOf(kind)}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool Verify(byte[] key, string? person, NotificationKind kind, string? token) =>
        person is { Length: > 0 and <= 320 } && token is { Length: > 0 and <= 64 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, person, kind)), Encoding.ASCII.GetBytes(token));

    /// <summary>The page that asks before it unsubscribes (the link in the mail's text).</summary>
    public static Uri Link(Uri webApp, byte[] key, string person, NotificationKind kind) => new(webApp, $"unsubscribe?{Query(key, person, kind)}");

    /// <summary>The address a mail program posts to without asking (the <c>List-Unsubscribe</c> header, RFC 8058).</summary>
    public static Uri OneClick(Uri webApp, byte[] key, string person, NotificationKind kind) => new(webApp, $"unsubscribe/one-click?{Query(key, person, kind)}");

    private static string Query(byte[] key, string person, NotificationKind kind) =>
        $"p={Uri.EscapeDataString(person.ToLowerInvariant())}&k={NotificationRules.NameOf(kind)}&t={Sign(key, person, kind)}";
}
