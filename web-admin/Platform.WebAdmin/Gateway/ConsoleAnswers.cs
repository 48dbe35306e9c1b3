namespace Platform.WebAdmin.Gateway;

// The answers of the console's staff pages, one record per query file (Queries/*.graphql). WebAppAnswerTests reads a real
// answer of each into its record and fails on a field one names and the other does not.

/// <summary>A proposal's ballot: the member and its choice, null while it has not voted.</summary>
public sealed record BallotChoice(string MunicipalityCode, string? Choice);

/// <summary>An opinion's author.</summary>
public sealed record OpinionAuthor(string MunicipalityCode);

/// <summary>What the viewer may do on an open proposal, as far as the console's lists need it.</summary>
public sealed record ProposalTurn(bool Vote, bool SubmitOpinion);

/// <summary>An open proposal with what the console needs to tell whether it waits on the viewer's municipality.</summary>
public interface IAwaitsMember
{
    ProposalTurn ViewerCan { get; }
    IReadOnlyList<BallotChoice> Ballots { get; }
    IReadOnlyList<OpinionAuthor> Opinions { get; }
}

public static class AwaitsMember
{
    /// <summary>The viewer may vote for <paramref name="member"/>, which has not voted yet.</summary>
    public static bool AwaitsVote(this IAwaitsMember p, string? member) =>
        p.ViewerCan.Vote && p.Ballots.Any(b => b.MunicipalityCode == member && b.Choice is null);

    /// <summary>The viewer may give <paramref name="member"/>'s opinion, which it has not given yet.</summary>
    public static bool AwaitsOpinion(this IAwaitsMember p, string? member) =>
        p.ViewerCan.SubmitOpinion && p.Opinions.All(o => o.MunicipalityCode != member);
}

/// <summary>The answer to Queries/Awaiting.graphql (Complaints is left out when not asked).</summary>
public sealed record AwaitingAnswer(AwaitingAnswer.ViewerPart Viewer, AwaitingAnswer.ComplaintConnection? Complaints)
{
    public sealed record ViewerPart(IReadOnlyList<Arrangement> Arrangements);

    public sealed record Arrangement(string Name, IReadOnlyList<ActionItemRef> ActionItems, IReadOnlyList<ExtraWork> ExtraWork,
        IReadOnlyList<Incident> Incidents, ProposalConnection Proposals);

    public sealed record ActionItemRef(string ConsultationKey, ActionItem Item);

    public sealed record ActionItem(string Text, DateOnly Due, bool Overdue);

    public sealed record ExtraWork(string Key, string Title, string Status, ExtraWorkTurn ViewerCan);

    public sealed record ExtraWorkTurn(bool Quote, bool Approve, bool Invoice);

    public sealed record Incident(string Key, string Title, string Level, IReadOnlyList<Step> Steps, IncidentTurn ViewerCan);

    public sealed record Step(DateTimeOffset? DecideBy);

    public sealed record IncidentTurn(bool Decide);

    public sealed record ProposalConnection(IReadOnlyList<Proposal> Nodes);

    public sealed record Proposal(string Key, string Title, DateTimeOffset VotingOpensAt, DateTimeOffset VotingClosesAt, ProposalTurn ViewerCan,
        IReadOnlyList<BallotChoice> Ballots, IReadOnlyList<OpinionAuthor> Opinions) : IAwaitsMember;

    public sealed record ComplaintConnection(IReadOnlyList<Complaint> Nodes);

    public sealed record Complaint(string Key, string Status, string Description, DateOnly ResolveBy, bool ResolveOverdue, IReadOnlyList<string> AllowedActions);
}

/// <summary>The answer to Queries/DashboardDecisions.graphql.</summary>
public sealed record DashboardDecisionsAnswer(DashboardDecisionsAnswer.ViewerPart Viewer)
{
    public sealed record ViewerPart(IReadOnlyList<Arrangement> Arrangements);

    public sealed record Arrangement(string Key, IReadOnlyList<Decision> Decisions);

    public sealed record Decision(string ProposalKey, string Title, Proposal? Proposal);

    public sealed record Proposal(EvidenceService? Evidence, DateOnly? NextEffectMeasurementOn, IReadOnlyList<Measurement> EffectMeasurements);

    public sealed record EvidenceService(string ServiceCode);

    public sealed record Measurement(int Months, int BeforeTotal, int AfterTotal, MemberFigures? Member);

    public sealed record MemberFigures(int Before, int After);
}

/// <summary>The answer to Queries/Dashboard.graphql.</summary>
public sealed record DashboardAnswer(DashboardAnswer.ViewerPart Viewer)
{
    public sealed record ViewerPart(IReadOnlyList<Arrangement> Arrangements);

    public sealed record Arrangement(string Key, string Name, IReadOnlyList<Incident> Incidents, IReadOnlyList<ActionItemRef> ActionItems,
        Performance? Performance, Ledger? ExtraWorkLedger, ProposalConnection Proposals);

    public sealed record Incident(string Status, string Level);

    public sealed record ActionItemRef(ActionItem Item);

    public sealed record ActionItem(bool Overdue);

    public sealed record Performance(string Overall, IReadOnlyList<Goal> Goals);

    public sealed record Goal(int Deviating);

    public sealed record Ledger(int Year, IReadOnlyList<LedgerLine> Members);

    public sealed record LedgerLine(string MunicipalityCode, decimal Invoiced, decimal AwaitingApproval, decimal? InvoicedShareOfBaseline);

    public sealed record ProposalConnection(IReadOnlyList<Proposal> Nodes);

    public sealed record Proposal(ProposalTurn ViewerCan, IReadOnlyList<BallotChoice> Ballots, IReadOnlyList<OpinionAuthor> Opinions) : IAwaitsMember;
}

/// <summary>An organisation by its key and name.</summary>
public sealed record OrganisationRef(string Key, string Name);

/// <summary>A member of an arrangement, by its municipality.</summary>
public sealed record MemberRef(MunicipalityRef Municipality);

/// <summary>A municipality by its code and name.</summary>
public sealed record MunicipalityRef(string Code, string Name);

/// <summary>One of an arrangement's services by its code and name (in the language asked).</summary>
public sealed record ServiceRef(string Code, string Name);

/// <summary>An arrangement's members, for naming one by its code.</summary>
public interface IHasMembers
{
    IReadOnlyList<MemberRef> Members { get; }
}

/// <summary>An arrangement's parties: its members and its executing organisation (who may own an action item).</summary>
public interface IHasParties : IHasMembers
{
    OrganisationRef ExecutingOrganisation { get; }
}

public static class Parties
{
    /// <summary>A member's name with its code (Hoorn (GM0405)), or the code itself.</summary>
    public static string MemberName(this IHasMembers? arrangement, string code) =>
        arrangement?.Members.FirstOrDefault(m => m.Municipality.Code == code)?.Municipality.Name is { Length: > 0 } name ? $"{name} ({code})" : code;

    /// <summary>A member's name with its code, or the executing organisation's name, or the code itself.</summary>
    public static string PartyName(this IHasParties? arrangement, string code) =>
        arrangement?.ExecutingOrganisation.Key == code ? arrangement.ExecutingOrganisation.Name : arrangement.MemberName(code);
}

/// <summary>The answer to Queries/ConsultationList.graphql.</summary>
public sealed record ConsultationListAnswer(ConsultationListAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan, OrganisationRef ExecutingOrganisation, IReadOnlyList<MemberRef> Members,
        IReadOnlyList<Consultation> Consultations, IReadOnlyList<ActionItemRef> ActionItems) : IHasParties;

    public sealed record Permissions(bool ScheduleConsultations);

    public sealed record Consultation(string Key, string Title, string Level, string Status, DateTimeOffset ScheduledAt);

    public sealed record ActionItemRef(string ConsultationKey, string ConsultationTitle, ActionItem Item);

    public sealed record ActionItem(string Text, string Owner, DateOnly Due, bool Overdue);
}

/// <summary>The answer to Queries/ConsultationPage.graphql.</summary>
public sealed record ConsultationPageAnswer(ConsultationPageAnswer.Details? Consultation)
{
    public sealed record Details(string Key, string ArrangementKey, Arrangement? Arrangement, string Title, string Level, string Status,
        DateTimeOffset ScheduledAt, IReadOnlyList<string> Agenda, string? Minutes, IReadOnlyList<string> Decisions, IReadOnlyList<string> Parties,
        IReadOnlyList<ActionItem> ActionItems, IReadOnlyList<NotKept> NotKept, Permissions ViewerCan);

    public sealed record Arrangement(string Name, OrganisationRef ExecutingOrganisation, IReadOnlyList<MemberRef> Members) : IHasParties;

    public sealed record ActionItem(int Number, string Text, string Owner, DateOnly Due, bool Done, DateTimeOffset? DoneAt, string? DoneBy, bool Overdue);

    public sealed record NotKept(string ConsultationKey, string ConsultationTitle, Item Item);

    public sealed record Item(string Text, string Owner, DateOnly Due);

    public sealed record Permissions(bool RecordMinutes, IReadOnlyList<int> CompleteActionItems);
}

/// <summary>The answer to Queries/ExtraWorkList.graphql.</summary>
public sealed record ExtraWorkListAnswer(ExtraWorkListAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan, IReadOnlyList<MemberRef> Members, IReadOnlyList<Work> ExtraWork,
        Ledger? ExtraWorkLedger) : IHasMembers;

    public sealed record Permissions(bool RequestExtraWork);

    public sealed record Work(string Key, string Title, string MunicipalityCode, string Status, decimal? Quote, decimal? ApprovedAmount,
        decimal? InvoicedAmount, DateTimeOffset RequestedAt);

    public sealed record Ledger(int Year, bool ViewerCanSetBaseline, IReadOnlyList<Line> Members);

    public sealed record Line(string MunicipalityCode, int Requests, decimal AwaitingApproval, decimal Approved, decimal Invoiced, decimal? Baseline,
        decimal? InvoicedShareOfBaseline);
}

/// <summary>The answer to Queries/ExtraWorkPage.graphql.</summary>
public sealed record ExtraWorkPageAnswer(ExtraWorkPageAnswer.Details? ExtraWork)
{
    public sealed record Details(string Key, string ArrangementKey, Arrangement? Arrangement, string Title, string Description, string MunicipalityCode,
        string Status, decimal? Quote, decimal? ApprovedAmount, decimal? InvoicedAmount, DateTimeOffset RequestedAt, IReadOnlyList<Step> Steps,
        Permissions ViewerCan);

    public sealed record Arrangement(string Name, IReadOnlyList<MemberRef> Members) : IHasMembers;

    public sealed record Step(DateTimeOffset At, string By, string Status, decimal? Amount, string? Note);

    public sealed record Permissions(bool Quote, bool Approve, bool Decline, bool Invoice);
}

/// <summary>The answer to Queries/OnboardingApplications.graphql.</summary>
public sealed record OnboardingApplicationsAnswer(OnboardingApplicationsAnswer.Connection OnboardingApplications)
{
    public sealed record Connection(IReadOnlyList<Application> Nodes);

    public sealed record Application(string Code, int Number, string Name, int Inhabitants, string ContactName, string ContactEmail, string Status,
        DateTimeOffset AppliedAt, DateTimeOffset? ExpiresAt, bool InvitationSent, string? Reason);
}

/// <summary>The answer to Queries/People.graphql.</summary>
public sealed record PeopleAnswer(PeopleAnswer.Details? Organisation)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan, IReadOnlyList<Person> People);

    public sealed record Permissions(bool ManagePeople, IReadOnlyList<string> AssignableRoles);

    public sealed record Person(string Email, string Name, string Role, string Status, DateTimeOffset Since, bool InvitationSent);
}

/// <summary>The answer to Queries/Credentials.graphql.</summary>
public sealed record CredentialsAnswer(CredentialsAnswer.Details? Organisation)
{
    public sealed record Details(string Key, string Name, string Kind, Permissions ViewerCan, IReadOnlyList<Client> PartnerClients, IReadOnlyList<Open311Key> Open311Keys);

    public sealed record Permissions(IReadOnlyList<string> GrantableScopes);

    public sealed record Client(string ClientId, string Name, IReadOnlyList<string> Scopes, string Status);

    public sealed record Open311Key(string KeyId, string Name, string Prefix, string Status);
}

/// <summary>The answer to Queries/Webhooks.graphql.</summary>
public sealed record WebhooksAnswer(WebhooksAnswer.Details? Organisation, IReadOnlyList<WebhooksAnswer.EventType> EventTypes)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan);

    public sealed record Permissions(bool ManageWebhooks);

    public sealed record EventType(string Name, string Meaning);
}

/// <summary>The answer to Queries/WebhookList.graphql.</summary>
public sealed record WebhookListAnswer(WebhookListAnswer.Details? Organisation)
{
    public sealed record Details(IReadOnlyList<Webhook> Webhooks);

    public sealed record Webhook(string Id, string Url, IReadOnlyList<string> EventTypes, DateTimeOffset CreatedAt, IReadOnlyList<Delivery> Deliveries);

    public sealed record Delivery(string Id, string EventId, string EventType, string Status, int Attempts, string? LastError, DateTimeOffset? LastAttemptAt);
}

/// <summary>The answer to Queries/ProposeChange.graphql.</summary>
public sealed record ProposeChangeAnswer(ProposeChangeAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan, IReadOnlyList<ServiceRef> Services, ReviewList PriceReviews,
        IReadOnlyList<DecisionRule> DecisionRules);

    public sealed record Permissions(bool ProposeChange, bool ProposePlan);

    public sealed record ReviewList(IReadOnlyList<Review> Reviews);

    public sealed record Review(int Number, string Reviewer, DateOnly ReviewedOn);
}

/// <summary>The answer to Queries/ManageArrangement.graphql.</summary>
public sealed record ManageArrangementAnswer(ManageArrangementAnswer.Details? Arrangement, ManageArrangementAnswer.MunicipalityConnection Municipalities)
{
    public sealed record Details(string Key, string Name, Organisation ExecutingOrganisation, Permissions ViewerCan, IReadOnlyList<Member> Members,
        IReadOnlyList<Service> Services, IReadOnlyList<Rule> DecisionRules, IReadOnlyList<HistoryEntry> History);

    public sealed record Organisation(string Name);

    public sealed record Permissions(bool AddMember, bool PublishTariffs, bool ProposeChange, bool ProposePlan, bool SetDecisionRules, bool EndMemberships);

    public sealed record Member(MunicipalityRef Municipality, long Inhabitants, DateOnly InhabitantsReferenceDate, int Weight, DateOnly? LastDay);

    public sealed record Service(string Code, string Name, ServiceLevel? ServiceLevel);

    public sealed record ServiceLevel(int DaysToAcknowledge, int DaysToResolve, string Counting);

    /// <summary>A decision rule with its periods for opinions and votes.</summary>
    public sealed record Rule(string Kind, string Weights, string Threshold, Fraction Required, Fraction Quorum, string Abstentions, int OpinionDays, int VotingDays)
    {
        public DecisionRule AsRule() => new(Kind, Weights, Threshold, Required, Quorum, Abstentions);
    }

    public sealed record MunicipalityConnection(IReadOnlyList<MunicipalityRef> Nodes);
}

/// <summary>The answer to Queries/Plans.graphql.</summary>
public sealed record PlansAnswer(PlansAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, IReadOnlyList<ServiceRef> Services, PlanBook? Plans);

    public sealed record PlanBook(bool ViewerCanDraft, IReadOnlyList<Plan> Items);

    public sealed record Plan(int Number, string Title, string Period, string Text, string Status, string? ProposalKey, ProposalTitle? Proposal,
        bool ViewerCanEdit, IReadOnlyList<PlanVersion> Versions);

    public sealed record ProposalTitle(string Title);

    public sealed record PlanVersion(int Version, string? Note, string SavedBy, DateTimeOffset SavedAt);
}

/// <summary>The answer to Queries/PriceReviews.graphql.</summary>
public sealed record PriceReviewsAnswer(PriceReviewsAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, Permissions ViewerCan, IReadOnlyList<ServiceRef> Services, Ledger PriceReviews);

    public sealed record Permissions(bool ProposeChange);

    public sealed record Ledger(int? IntervalYears, DateOnly? NextDue, bool Overdue, bool ViewerCanManage, IReadOnlyList<Review> Reviews);

    public sealed record Review(int Number, string Reviewer, DateOnly ReviewedOn, string Summary, string? ReportUrl, IReadOnlyList<Finding> Findings);

    public sealed record Finding(string ServiceCode, decimal? CurrentAmount, decimal AdvisedAmount, string? Note);
}

/// <summary>The answer to Queries/Performance.graphql.</summary>
public sealed record PerformanceAnswer(PerformanceAnswer.Details? Arrangement)
{
    public sealed record Details(string Key, string Name, IReadOnlyList<MemberRef> Members, IReadOnlyList<ServiceRef> Services, Agreement? Performance) : IHasMembers;

    public sealed record Agreement(string Status, string Overall, string? DefinitiveBy, Permissions ViewerCan, IReadOnlyList<GoalRow> Goals,
        IReadOnlyList<Deviation> Deviations, IReadOnlyList<Indicator> Indicators, IReadOnlyList<MemberFigures> Members);

    public sealed record Permissions(bool DefineIndicators, bool Report, bool MakeDefinitive);

    public sealed record GoalRow(string Goal, string State, int Indicators, int OnTarget, int Deviating, int WithoutFigures);

    public sealed record Deviation(DeviatingIndicator Indicator, DeviatingFigure Figure);

    public sealed record DeviatingIndicator(string Key, string Name, string Unit, string Direction);

    public sealed record DeviatingFigure(string Period, decimal Value, decimal Target);

    public sealed record Indicator(string Key, string Goal, string Name, string Unit, decimal Target, string Direction, string Period, string Source,
        string? ServiceCode, DateOnly AppliesFrom, IReadOnlyList<Figure> Figures);

    public sealed record Figure(string Period, decimal Value, decimal Target, bool Deviation, string ReportedBy, DateTimeOffset ReportedAt, string? Note);

    public sealed record MemberFigures(string MunicipalityCode, IReadOnlyList<MemberFigure> Figures);

    public sealed record MemberFigure(IndicatorName Indicator, string Period, decimal Value, int Complaints, bool Deviation);

    public sealed record IndicatorName(string Name, string Unit, string Source);
}
