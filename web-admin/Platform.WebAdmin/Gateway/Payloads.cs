namespace Platform.WebAdmin.Gateway;

// What the web app reads from mutations' payloads (MutationResult.Read), beside their userErrors. Each names the fields its
// mutation selects; WebAppQueryTests validates every mutation document against the schema.

/// <summary>Something made, by its key (a consultation, extra work, an incident, a complaint, a proposal, an arrangement).</summary>
public sealed record Made(string Key);

public sealed record ConsultationScheduled(Made? Consultation);

public sealed record ExtraWorkRequested(Made? ExtraWork);

public sealed record IncidentReported(Made? Incident);

public sealed record ArrangementCreated(Made? Arrangement);

public sealed record ProposalMade(Made? Proposal);

/// <summary>A complaint filed; anonymously filed ones wait for the link mailed to the reporter.</summary>
public sealed record ComplaintFiled(Made? Complaint, bool? ConfirmationMailed);

public sealed record PlanSaved(PlanSaved.PlanNumber? Plan)
{
    public sealed record PlanNumber(int Number);
}

public sealed record PlanProposed(PlanProposed.PlanProposal? Plan)
{
    public sealed record PlanProposal(string? ProposalKey);
}

/// <summary>A secret shown once: a partner client's (new or rotated) or a webhook's signing secret.</summary>
public sealed record SecretIssued(string? Secret, SecretIssued.PartnerClient? Client)
{
    public sealed record PartnerClient(string ClientId);
}

public sealed record Open311KeyCreated(string? ApiKey);

public sealed record AccountClosed(int AnonymisedComplaints);

public sealed record ComplaintConfirmed(ComplaintAnswer.Details? Complaint);
