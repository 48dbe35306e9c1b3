namespace Platform.Domain.Access;

/// <summary>
/// Who may do what with an arrangement's proposals. Proposals, votes, tallies and comments are public
/// to read; acting on them belongs to the members (and, for comments, their residents and the
/// executing organisation).
/// </summary>
public static class ProposalPolicy
{
    private static readonly string[] MunicipalStaff = [Roles.MunicipalityAdmin, Roles.ContractManager, Roles.BoardMember, Roles.Alderman];

    /// <summary>
    /// The board member or contract manager of a member municipality (or the platform itself, for demo data); the
    /// executing organisation's staff propose how they will do the work: a plan, for adoption (<c>PLAN_ADOPTION</c>) only.
    /// </summary>
    public static Decision Propose(Caller caller, IReadOnlyCollection<string> memberCodes, Platform.Domain.Proposals.ProposalKind? kind = null, string? executingOrganisation = null)
    {
        if (caller.Kind == CallerKind.System) return Decision.Allow;
        if ((caller.HasRole(Roles.BoardMember) || caller.HasRole(Roles.ContractManager)) && caller.ActsForAny(memberCodes)) return Decision.Allow;
        if (MayProposePlan(caller, executingOrganisation) && kind == Platform.Domain.Proposals.ProposalKind.PlanAdoption) return Decision.Allow;
        return Decision.Deny(caller, MayProposePlan(caller, executingOrganisation)
            ? "The executing organisation proposes plans (PLAN_ADOPTION); other changes are proposed by the members."
            : "Only the board member or contract manager of a member municipality, or the executing organisation for its plans, proposes a change.");
    }

    /// <summary>The executing organisation's staff draft how the work is done and propose it for adoption.</summary>
    public static bool MayProposePlan(Caller caller, string? executingOrganisation) =>
        executingOrganisation is { Length: > 0 } && caller.IsExecutorStaff && caller.Organisation == executingOrganisation;

    /// <summary>
    /// The board member who votes for a member municipality, or that municipality's own system holding
    /// the proposals:vote scope. Staff without the board role, and non-members, do not vote.
    /// </summary>
    public static Decision Vote(Caller caller, IReadOnlyCollection<string> electorate)
    {
        if (!caller.IsAuthenticated) return Decision.Unauthenticated("Sign in first: only the board member of a member municipality votes.");
        if (!caller.ActsForAny(electorate))
        {
            return Decision.Forbidden($"Only members of the arrangement vote; {caller.Organisation ?? "your organisation"} is not one of them.");
        }
        if (caller.Kind == CallerKind.Partner)
        {
            return caller.HasScope(Scopes.ProposalsVote) ? Decision.Allow : Decision.Forbidden($"This client lacks the scope {Scopes.ProposalsVote}.");
        }
        return caller.HasRole(Roles.BoardMember)
            ? Decision.Allow
            : Decision.Forbidden($"Only the board member of {caller.Organisation} votes for it; your roles ({string.Join(", ", caller.Roles)}) do not include {Roles.BoardMember}.");
    }

    /// <summary>A member's council speaks through its admin (the clerk's office) or an alderman.</summary>
    public static Decision SubmitOpinion(Caller caller, IReadOnlyCollection<string> memberCodes)
    {
        if ((caller.HasRole(Roles.MunicipalityAdmin) || caller.HasRole(Roles.Alderman)) && caller.ActsForAny(memberCodes)) return Decision.Allow;
        return Decision.Deny(caller, "Only the admin or an alderman of a member municipality submits its council's opinion.");
    }

    /// <summary>A resident of a member municipality.</summary>
    public static Decision Support(Caller caller, IReadOnlyCollection<string> memberCodes)
    {
        if (caller.HasRole(Roles.Citizen) && caller.ActsForAny(memberCodes)) return Decision.Allow;
        return Decision.Deny(caller, "Only residents of a member municipality support a proposal.");
    }

    /// <summary>Residents and staff of a member municipality, and the executing organisation's staff.</summary>
    public static Decision Comment(Caller caller, IReadOnlyCollection<string> memberCodes, string? executingOrganisation)
    {
        if (caller.Kind == CallerKind.User && caller.ActsForAny(memberCodes)) return Decision.Allow;
        if (caller.IsExecutorStaff && executingOrganisation is not null && caller.Organisation == executingOrganisation) return Decision.Allow;
        return Decision.Deny(caller, "Only residents and staff of a member municipality, and the executing organisation, comment on a proposal.");
    }

    /// <summary>Municipal staff of a member municipality moderate comments, with a recorded reason.</summary>
    public static Decision HideComment(Caller caller, IReadOnlyCollection<string> memberCodes)
    {
        if (MunicipalStaff.Any(caller.HasRole) && caller.ActsForAny(memberCodes)) return Decision.Allow;
        return Decision.Deny(caller, "Only staff of a member municipality hide a comment.");
    }

    /// <summary>Decision rules come from the arrangement's statutes; a platform operator records them.</summary>
    /// <summary>
    /// An operator at any time; the admin or contract manager of a member while the arrangement is being set up (no
    /// proposal made yet). Afterwards the rules change only through an adopted POLICY proposal or an operator.
    /// </summary>
    public static Decision SetDecisionRule(Caller caller, IEnumerable<string> memberCodes, bool proposalsMade)
    {
        if (caller.IsOperator) return Decision.Allow;
        if (ArrangementPolicy.IsMunicipalSteward(caller) && caller.ActsForAny(memberCodes))
        {
            return proposalsMade
                ? Decision.Forbidden("Proposals have been made under the recorded rules; change them through a POLICY proposal, or ask a platform operator to record new statutes.")
                : Decision.Allow;
        }
        return Decision.Deny(caller, "Only a platform operator, or the admin or contract manager of a member while the arrangement is set up, records its decision rules.");
    }
}
