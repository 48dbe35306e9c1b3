using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.WebAdmin.Gateway;

/// <summary>
/// GraphQL documents kept in their own files (<c>Queries/*.graphql</c>, embedded in the assembly), read once. The gateway's
/// tests validate every one of them against the schema (WebAppQueryTests), so a field the schema does not have fails
/// there and not in a browser.
/// </summary>
public static class Queries
{
    private static readonly ConcurrentDictionary<string, string> Documents = new(StringComparer.Ordinal);

    /// <summary>The document <c>Queries/{name}.graphql</c>.</summary>
    public static string Named(string name) => Documents.GetOrAdd(name, n =>
    {
        using var stream = typeof(Queries).Assembly.GetManifestResourceStream($"Platform.WebAdmin.Queries.{n}.graphql")
            ?? throw new InvalidOperationException($"No query Queries/{n}.graphql in the web app.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>
    /// The fragments of <c>Queries/{name}.graphql</c> (everything from its first <c>fragment</c> on), for a mutation that
    /// answers with the same selection as the query, so both read into one record.
    /// </summary>
    public static string Fragments(string name)
    {
        var document = Named(name);
        var start = document.IndexOf("\nfragment ", StringComparison.Ordinal);
        return start < 0 ? throw new InvalidOperationException($"Queries/{name}.graphql has no fragment.") : document[(start + 1)..];
    }

    /// <summary>How answers are read into records: the gateway's camelCase names, its enum values (IN_PROGRESS) as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };
}

/// <summary>The answer to Queries/PublicReports.graphql.</summary>
public sealed record PublicReportsAnswer(PublicReportsAnswer.MunicipalityName? Municipality, IReadOnlyList<PublicReportsAnswer.Report> PublicReports)
{
    public sealed record MunicipalityName(string Code, string Name);

    public sealed record Report(string Key, string ServiceCode, string? ServiceName, string? ArrangementName, string Status, bool Open,
        DateTimeOffset FiledAt, DateTimeOffset UpdatedAt, double? Latitude, double? Longitude);
}

/// <summary>The answer to Queries/NearbyReports.graphql.</summary>
public sealed record NearbyReportsAnswer(IReadOnlyList<NearbyReportsAnswer.Report> PublicReports)
{
    public sealed record Report(string Key, string? ServiceName, string Status, DateTimeOffset FiledAt, double? DistanceMetres, bool ViewerFiled);
}

/// <summary>The answer to Queries/FilingChoices.graphql.</summary>
public sealed record FilingChoicesAnswer(FilingChoicesAnswer.Details? Municipality)
{
    public sealed record Details(string Name, IReadOnlyList<Arrangement> Arrangements);

    public sealed record Arrangement(string Key, string Name, IReadOnlyList<Service> Services);

    public sealed record Service(string Code, string Name);
}

/// <summary>The answer to Queries/ExecutingOrganisations.graphql.</summary>
public sealed record ExecutingOrganisationsAnswer(ExecutingOrganisationsAnswer.Connection Organisations)
{
    public sealed record Connection(IReadOnlyList<Organisation> Nodes);

    public sealed record Organisation(string Key, string Name);
}

/// <summary>The answer to Queries/ArrangementIncidents.graphql.</summary>
public sealed record ArrangementIncidentsAnswer(ArrangementIncidentsAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan, IReadOnlyList<Incident> Incidents);

    public sealed record Permissions(bool ReportIncidents);

    public sealed record Incident(string Key, string Title, string Status, string Level, bool Political, DateTimeOffset ReportedAt, IReadOnlyList<Step> Steps);

    public sealed record Step(DateTimeOffset? DecideBy);
}

/// <summary>The answer to Queries/FollowedReports.graphql.</summary>
public sealed record FollowedReportsAnswer(IReadOnlyList<FollowedReportsAnswer.Report> FollowedReports)
{
    public sealed record Report(string Key, string? ServiceName, string Status, DateTimeOffset FiledAt);
}

/// <summary>The answer to Queries/TariffHistory.graphql.</summary>
public sealed record TariffHistoryAnswer(TariffHistoryAnswer.ArrangementTariffs? Arrangement)
{
    public sealed record ArrangementTariffs(string Key, string Name, IReadOnlyList<Service> Services, IReadOnlyList<Version> TariffHistory);

    public sealed record Service(string Code, string Name);

    public sealed record Version(decimal Amount, string Unit, DateOnly ValidFrom, DateOnly? ValidTo, string DecidedBy, Proposal? DecidedByProposal);

    public sealed record Proposal(string Key, string Title);
}

/// <summary>The answer to Queries/Complaints.graphql.</summary>
public sealed record ComplaintsAnswer(ComplaintsAnswer.Connection Complaints)
{
    public sealed record Connection(int TotalCount, IReadOnlyList<Complaint> Nodes);

    public sealed record Complaint(string Key, string Status, string Description, string ServiceCode, string Municipality, DateTimeOffset FiledAt,
        DateOnly ResolveBy, bool AcknowledgeOverdue, bool ResolveOverdue);
}

/// <summary>The answer to Queries/Complaint.graphql; its fragment is also what confirming a complaint by its link answers.</summary>
public sealed record ComplaintAnswer(ComplaintAnswer.Details? Complaint)
{
    public sealed record Details(string Key, string Status, string Description, string ServiceCode, string Municipality, DateOnly AcknowledgeBy,
        DateOnly ResolveBy, bool AcknowledgeOverdue, bool ResolveOverdue, string? Reason, string? Referral, Location Location, Arrangement? Arrangement,
        IReadOnlyList<string> AllowedActions, IReadOnlyList<Photo> Photos, IReadOnlyList<HistoryEntry> History);

    public sealed record Location(string? Address, double? Latitude, double? Longitude);

    public sealed record Arrangement(string Key, string Name, Organisation? ExecutingOrganisation);

    public sealed record Organisation(string Name);

    public sealed record Photo(string? Url);
}

/// <summary>The answer to Queries/Proposal.graphql.</summary>
public sealed record ProposalAnswer(ProposalAnswer.Details? Proposal)
{
    public sealed record Details(string Key, string Title, string Kind, string Motivation, string? Text, string Phase, string ProposerMunicipality,
        DateTimeOffset? OpinionPeriodEndsAt, DateTimeOffset VotingOpensAt, DateTimeOffset VotingClosesAt, DateOnly? EffectiveDate, string? Outcome,
        Arrangement? Arrangement, DecisionRule Rule, TariffChange? TariffChange, ServiceLevelChange? ServiceLevelChange, Evidence? Evidence,
        PriceReview? PriceReview, IReadOnlyList<EffectMeasurement> EffectMeasurements, ProposalTally Tally, IReadOnlyList<Ballot> Ballots,
        IReadOnlyList<Vote> Votes, OutcomeChange? WhatWouldChangeOutcome, int SupportCount, bool SupportedByMe, IReadOnlyList<Opinion> Opinions,
        IReadOnlyList<Comment> Comments, Permissions ViewerCan, IReadOnlyList<HistoryEntry> History);

    public sealed record Arrangement(string Key, string Name, IReadOnlyList<Member> Members);

    public sealed record Member(Municipality Municipality);

    public sealed record Municipality(string Code, string Name);

    public sealed record TariffChange(string ServiceCode, decimal Amount, string Unit);

    public sealed record ServiceLevelChange(string ServiceCode, int DaysToAcknowledge, int DaysToResolve, string Counting);

    public sealed record Evidence(string ServiceCode, DateOnly From, DateOnly To, int ComplaintCount);

    public sealed record PriceReview(int Number, string Reviewer, DateOnly ReviewedOn, string? ReportUrl, Finding Finding);

    public sealed record Finding(string ServiceCode, decimal? CurrentAmount, decimal AdvisedAmount);

    public sealed record EffectMeasurement(int Months, string ServiceCode, DateOnly BeforeFrom, DateOnly BeforeTo, DateOnly AfterFrom, DateOnly AfterTo,
        int BeforeTotal, int AfterTotal, IReadOnlyList<MemberEffect> Members);

    public sealed record MemberEffect(string Municipality, int Before, int After, decimal BeforeRate, decimal AfterRate);

    /// <summary>The tally with what the page says about it: who voted, the quorum, the outcome if it closed now.</summary>
    public sealed record ProposalTally(long Yes, long No, long Abstain, long NotVoted, long Voted, long TotalWeight, bool QuorumReached, string Outcome)
    {
        public Tally ForBar() => new(Yes, No, Abstain, NotVoted, TotalWeight);
    }

    public sealed record Ballot(string MunicipalityCode, long Weight, string? Choice);

    public sealed record Vote(string MunicipalityCode, string Choice);

    public sealed record OutcomeChange(string To, IReadOnlyList<VoteSwitch> Switches);

    public sealed record VoteSwitch(string MunicipalityCode, long Weight, string? From, string To);

    public sealed record Opinion(string MunicipalityCode, string Text, DateTimeOffset SubmittedAt);

    public sealed record Comment(int Number, string? Text, string AuthorRole, string? AuthorOrganisation, DateTimeOffset PostedAt, bool Hidden, string? HiddenReason);

    public sealed record Permissions(bool Vote, bool SubmitOpinion, bool Support, bool Comment, bool HideComments);
}

/// <summary>The answer to Queries/NotificationSettings.graphql.</summary>
public sealed record NotificationSettingsAnswer(NotificationSettingsAnswer.Settings? NotificationSettings)
{
    public sealed record Settings(string Language, IReadOnlyList<Preference> Preferences);

    public sealed record Preference(string Kind, string Delivery);
}

/// <summary>The answer to Queries/Console.graphql (Organisation and Municipality are left out when not asked).</summary>
public sealed record ConsoleAnswer(ConsoleAnswer.ViewerPart Viewer, ConsoleAnswer.OrganisationPart? Organisation, ConsoleAnswer.MunicipalityPart? Municipality)
{
    public sealed record ViewerPart(IReadOnlyList<Arrangement> Arrangements);

    public sealed record Arrangement(string Key, string Name, Count Proposals);

    public sealed record Count(int TotalCount);

    public sealed record OrganisationPart(OrganisationPermissions ViewerCan);

    public sealed record OrganisationPermissions(bool ManageWebhooks);

    public sealed record MunicipalityPart(string PortalTheme, IReadOnlyList<string> PortalThemeChoices, Colours? PortalColours, Logo? PortalLogo,
        MunicipalityPermissions ViewerCan);

    public sealed record Colours(string Brand, string BrandText, string Accent);

    public sealed record Logo(string Url);

    public sealed record MunicipalityPermissions(bool SetPortalTheme);
}

/// <summary>The answer to Queries/ComplaintFigures.graphql.</summary>
public sealed record ComplaintFiguresAnswer(ComplaintFiguresAnswer.Figures? ComplaintFigures)
{
    public sealed record Figures(int Total, int Open, int Overdue, double? ResolvedOnTimePercent, double? MedianDaysToResolve);
}

/// <summary>The answer to Queries/Incident.graphql.</summary>
public sealed record IncidentAnswer(IncidentAnswer.Details? Incident)
{
    public sealed record Details(string Key, string ArrangementKey, ArrangementName? Arrangement, string Title, string Description, bool Political,
        string Status, string Level, string ReportedBy, DateTimeOffset ReportedAt, IReadOnlyList<Step> Steps, Permissions ViewerCan);

    public sealed record ArrangementName(string Name);

    public sealed record Step(string Level, DateTimeOffset EnteredAt, string Reason, string By, string? Note, DateTimeOffset? DecideBy, string? Decision,
        string? DecidedBy, DateTimeOffset? DecidedAt);

    public sealed record Permissions(bool Decide, bool Raise);
}

/// <summary>A proposal's tally in vote weight (TallyBar).</summary>
public sealed record Tally(long Yes, long No, long Abstain, long NotVoted, long TotalWeight);

/// <summary>The answer to Queries/Arrangement.graphql.</summary>
public sealed record ArrangementAnswer(ArrangementAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan, Organisation ExecutingOrganisation, IReadOnlyList<Member> Members,
        IReadOnlyList<Service> Services, IReadOnlyList<Price> Tariffs, IReadOnlyList<Version> TariffHistory, ProposalConnection Proposals);

    public sealed record Permissions(bool SeeComplaintFigures);

    public sealed record Organisation(string Name);

    public sealed record Member(decimal Weight, long Inhabitants, DateOnly? LastDay, Municipality Municipality);

    public sealed record Municipality(string Code, string Name);

    public sealed record Service(string Code, string Name, ServiceLevel? ServiceLevel);

    public sealed record ServiceLevel(int DaysToAcknowledge, int DaysToResolve, string Counting);

    public sealed record ServiceCode(string Code);

    public sealed record Price(ServiceCode Service, decimal Amount, string Unit);

    public sealed record Version(ServiceCode Service, decimal Amount, DateOnly ValidFrom, DateOnly? ValidTo);

    public sealed record ProposalConnection(IReadOnlyList<Proposal> Nodes);

    public sealed record Proposal(string Key, string Title, string Kind, string Phase, string? Outcome, DateTimeOffset VotingClosesAt, Tally Tally);
}

/// <summary>The answer to Queries/Municipalities.graphql.</summary>
public sealed record MunicipalitiesAnswer(MunicipalitiesAnswer.Connection Municipalities)
{
    public sealed record Connection(IReadOnlyList<Municipality> Nodes);

    public sealed record Municipality(string Code, string Name);
}

/// <summary>The answer to Queries/MunicipalityPortal.graphql.</summary>
public sealed record MunicipalityPortalAnswer(MunicipalityPortalAnswer.Details? Municipality)
{
    public sealed record Details(string Code, string Name, IReadOnlyList<Arrangement> Arrangements);

    public sealed record Arrangement(string Key, string Name, Organisation ExecutingOrganisation, IReadOnlyList<Tariff> Tariffs, ProposalConnection Proposals);

    public sealed record Organisation(string Name);

    public sealed record Tariff(Service Service, decimal Amount, string Unit, DateOnly ValidFrom, string DecidedBy);

    public sealed record Service(string Code, string Name);

    public sealed record ProposalConnection(IReadOnlyList<Proposal> Nodes);

    public sealed record Proposal(string Key, string Title, string Phase);
}

/// <summary>One entry of an aggregate's log (HistoryTable).</summary>
public sealed record HistoryEntry(DateTimeOffset At, string Actor, string Action, string? Detail);

/// <summary>A share such as 2/3.</summary>
public sealed record Fraction(int Numerator, int Denominator);

/// <summary>How a kind of proposal is decided (PortalPage.RuleText).</summary>
public sealed record DecisionRule(string Kind, string Weights, string Threshold, Fraction Required, Fraction Quorum, string Abstentions);

/// <summary>The answer to Queries/Decisions.graphql.</summary>
public sealed record DecisionsAnswer(DecisionsAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, IReadOnlyList<Decision> Decisions, ProposalConnection Proposals,
        IReadOnlyList<DecisionRule> DecisionRules, IReadOnlyList<HistoryEntry> History);

    public sealed record Decision(string ProposalKey, string Kind, string Title, DateTimeOffset DecidedAt, DateOnly? EffectiveDate, string Effect);

    public sealed record ProposalConnection(IReadOnlyList<Proposal> Nodes);

    public sealed record Proposal(string Key, string Title, string Kind, string? Outcome, DateTimeOffset VotingClosesAt);
}

/// <summary>The answer to Queries/PortalLook.graphql.</summary>
public sealed record PortalLookAnswer(PortalLookAnswer.Details? Municipality)
{
    public sealed record Details(string Name, string PortalTheme, Colours? PortalColours, Logo? PortalLogo);

    public sealed record Colours(string Brand, string BrandText, string Accent);

    public sealed record Logo(string Url);
}
