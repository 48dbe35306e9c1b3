using Platform.Domain.Arrangements;
using Platform.Domain.Complaints;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Tests;

/// <summary>A complaint filed without an account: checked before the mail, filed once on confirmation, mailed once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ComplaintDraftGrainTests(ClusterFixture fixture)
{
    private static readonly FileComplaint Filing = new("draft-1", "grofvuil", "Grofvuil niet opgehaald", new(null, null, "Kerkstraat 2"), new("Ans", "ans@example.nl", null));

    private async Task ArrangementAsync()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0530").OnboardAsync(new("M GM0530", 8_000, new(2024, 1, 1)));
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>("draft-1");
        if (await arrangement.GetAsync() is null)
        {
            await arrangement.CreateAsync(new("Regeling", null, [new("grofvuil", "Grofvuil")], VoteWeightRule.OnePerMember, await fixture.ExecutorAsync("exec-draft")));
            await arrangement.AddMemberAsync(new("GM0530"));
        }
        CallerContext.Set(Platform.Domain.Access.Caller.Anonymous);
    }

    private static string NewKey() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    [Fact]
    public async Task A_draft_is_mailed_once_filed_once_on_confirmation_and_its_mail_never_logged()
    {
        await ArrangementAsync();
        var key = NewKey();
        var draft = fixture.Grains.GetGrain<IComplaintDraftGrain>(key);

        var submitted = await draft.SubmitAsync(new(Filing, "GM0530", "ans@example.nl", $"https://example.test/complaints/follow/{key}"));
        Assert.True(submitted.Succeeded);
        using (CallerContext.As(Platform.Domain.Access.Caller.System("test")))
        {
            Assert.Null(await fixture.Grains.GetGrain<IComplaintGrain>(submitted.Id!).GetAsync()); // not filed before the link is opened
        }
        var mail = Assert.Single(ClusterFixture.Mailbox.Sent, m => m.Body.Contains(key, StringComparison.Ordinal));
        Assert.Equal("ans@example.nl", mail.To);

        var first = await draft.ConfirmAsync();
        var second = await draft.ConfirmAsync();
        Assert.Equal(first.Id, second.Id);
        var followed = await draft.FollowAsync();
        Assert.Equal((ComplaintStatus.Submitted, ComplaintRole.Author, "GM0530"), (followed!.Status, followed.ViewerRole, followed.Municipality));
        Assert.Single(ClusterFixture.Mailbox.Sent, m => m.Body.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_confirmation_whose_answer_was_lost_finds_the_complaint_it_filed()
    {
        await ArrangementAsync();
        var key = NewKey();
        var draft = fixture.Grains.GetGrain<IComplaintDraftGrain>(key);
        var id = (await draft.SubmitAsync(new(Filing, "GM0530", "ans@example.nl", "https://example.test/x"))).Id!;

        // The complaint was filed, then the silo went down before the draft recorded it.
        CallerContext.Set(new Platform.Domain.Access.Caller(Platform.Domain.Access.CallerKind.User, "ans@example.nl", "GM0530", [Platform.Domain.Access.Roles.Citizen], []));
        Assert.True((await fixture.Grains.GetGrain<IComplaintGrain>(id).FileAsync(Filing)).Succeeded);
        CallerContext.Set(Platform.Domain.Access.Caller.Anonymous);

        var confirmed = await draft.ConfirmAsync();
        Assert.True(confirmed.Succeeded);
        Assert.Equal(id, confirmed.Id);
    }

    [Fact]
    public async Task A_draft_for_a_municipality_that_is_not_a_member_is_refused_and_mails_nothing()
    {
        await ArrangementAsync();
        var key = NewKey();
        // Confirmation mails only (notifications carry a Message-ID and may arrive for piet's other complaints meanwhile).
        var before = ClusterFixture.Mailbox.Sent.Count(m => m.To == "piet@example.nl" && m.MessageId is null);

        var refused = await fixture.Grains.GetGrain<IComplaintDraftGrain>(key).SubmitAsync(new(Filing, "GM0531", "piet@example.nl", "https://example.test/y"));

        Assert.Equal(("arrangementId", ViolationCodes.OutOfRange), (refused.Errors[0].Field, refused.Errors[0].Code));
        Assert.Equal(before, ClusterFixture.Mailbox.Sent.Count(m => m.To == "piet@example.nl" && m.MessageId is null));
        Assert.Equal(ViolationCodes.NotFound, (await fixture.Grains.GetGrain<IComplaintDraftGrain>(key).ConfirmAsync()).Errors[0].Code);
    }

    [Fact]
    public void An_outbox_mail_shows_in_logs_without_its_body()
    {
        var effect = Platform.Grains.Common.PendingEffect.SendMail("ans@example.nl", "Bevestig", "https://example.test/complaints/follow/SECRET");
        Assert.DoesNotContain("SECRET", effect.ToString(), StringComparison.Ordinal);
        Assert.Contains("ans@example.nl", effect.ToString(), StringComparison.Ordinal);
    }
}
