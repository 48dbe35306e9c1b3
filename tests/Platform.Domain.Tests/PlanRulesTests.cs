using Platform.Domain.Access;
using Platform.Domain.Plans;
using Platform.Domain.Proposals;

namespace Platform.Domain.Tests;

public sealed class PlanRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);

    private static PlanDraftInput Draft(string text = "Hoofdroutes voor 07:00 gestrooid.", string? note = null) => new("Gladheidsplan", "winter 2026-2027", text, note);

    [Fact]
    public void A_first_save_is_version_one_and_a_changed_text_the_next_version_keeping_the_first()
    {
        var (first, refused) = PlanRules.Save(null, 3, Draft(), "executor@x", At);
        Assert.Null(refused);
        Assert.Equal((3, 1, "Hoofdroutes voor 07:00 gestrooid."), (first!.Number, first.Latest().Version, first.Latest().Text));

        var (second, _) = PlanRules.Save(first, 3, Draft("Hoofdroutes voor 06:30 gestrooid.", "Eerder, na de evaluatie"), "executor@x", At.AddDays(1));
        Assert.Equal([1, 2], second!.Versions.Select(v => v.Version));
        Assert.Equal(("Hoofdroutes voor 07:00 gestrooid.", "Hoofdroutes voor 06:30 gestrooid.", "Eerder, na de evaluatie"), (second.Versions[0].Text, second.Latest().Text, second.Latest().Note));
    }

    [Fact]
    public void Saving_the_same_text_again_adds_no_version()
    {
        var (first, _) = PlanRules.Save(null, 1, Draft(), "executor@x", At);
        var (again, refused) = PlanRules.Save(first, 1, Draft(" Hoofdroutes voor 07:00 gestrooid. ", "Alleen een notitie"), "executor@x", At.AddHours(1));
        Assert.Null(refused);
        Assert.Same(first, again);
    }

    [Fact]
    public void A_proposed_plan_is_fixed_and_a_full_one_takes_no_more_versions()
    {
        var (first, _) = PlanRules.Save(null, 1, Draft(), "executor@x", At);
        var proposed = first! with { ProposalId = "p-x-plan-1", ProposedAt = At };
        var (none, refused) = PlanRules.Save(proposed, 1, Draft("Anders"), "executor@x", At);
        Assert.Null(none);
        Assert.Equal(("number", "ILLEGAL_TRANSITION"), (refused!.Field, refused.Code));
        Assert.Contains("p-x-plan-1", refused.Message);

        var full = first with { Versions = [.. Enumerable.Range(1, PlanRules.MaxVersions).Select(v => first.Versions[0] with { Version = v })] };
        var (_, tooMany) = PlanRules.Save(full, 1, Draft("Nog een"), "executor@x", At);
        Assert.Equal("OUT_OF_RANGE", tooMany!.Code);
    }

    [Fact]
    public void Every_missing_or_too_long_field_is_named()
    {
        Assert.Empty(PlanRules.Validate(Draft()));
        var missing = PlanRules.Validate(new(" ", null, "", null));
        Assert.Equal([("title", "REQUIRED"), ("period", "REQUIRED"), ("text", "REQUIRED")], missing.Select(e => (e.Field, e.Code)));
        var tooLong = PlanRules.Validate(new(new string('t', PlanRules.MaxTitle + 1), new string('p', PlanRules.MaxPeriod + 1), new string('x', ProposalRules.MaxTextLength + 1), new string('n', PlanRules.MaxNote + 1)));
        Assert.Equal(["title", "period", "text", "note"], tooLong.Select(e => e.Field));
        Assert.All(tooLong, e => Assert.Equal("TOO_LONG", e.Code));
    }

    [Fact]
    public void The_proposal_carries_the_latest_version_and_fits_a_proposal_title()
    {
        var (first, _) = PlanRules.Save(null, 1, new(new string('t', PlanRules.MaxTitle), new string('p', PlanRules.MaxPeriod), "Tekst 1", null), "executor@x", At);
        var (second, _) = PlanRules.Save(first, 1, new(new string('t', PlanRules.MaxTitle), new string('p', PlanRules.MaxPeriod), "Tekst 2", null), "executor@x", At);
        var change = PlanRules.ToProposal(second!, "Na de winter", new DateOnly(2027, 1, 1));
        Assert.Equal((ProposalKind.PlanAdoption, "Tekst 2", "Na de winter"), (change.Kind, change.Text, change.Motivation));
        Assert.Equal(ProposalRules.MaxTitleLength, change.Title!.Length);
        Assert.Empty(ProposalRules.Validate(change, null, new HashSet<string>(), new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public void Only_the_executing_organisations_staff_draft_plans()
    {
        Assert.True(PlanRules.MayDraft(new Caller(CallerKind.User, "e@x", "exec", [Roles.ExecutorStaff], []), "exec").Allowed);
        Assert.False(PlanRules.MayDraft(new Caller(CallerKind.User, "e@y", "other", [Roles.ExecutorStaff], []), "exec").Allowed);
        Assert.False(PlanRules.MayDraft(new Caller(CallerKind.User, "m@x", "GM0405", [Roles.ContractManager], []), "exec").Allowed);
        Assert.False(PlanRules.MayDraft(Caller.Anonymous, "exec").Allowed);
    }
}
