using Platform.Domain.Complaints;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class ComplaintWorkflowTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-28T10:00:00Z");

    private static (ComplaintStatus Next, RuleViolation? Error) Decide(ComplaintStatus from, ComplaintAction action, ComplaintRole role,
        DateTimeOffset? settledAt = null, string? reason = null, string? duplicateOf = null, string? note = null) =>
        ComplaintWorkflow.Decide(from, new TransitionRequest(action, role, note, reason, null, duplicateOf), settledAt, Now, WorkflowSettings.Default, "c-1");

    [Theory]
    [InlineData(ComplaintStatus.Submitted, ComplaintAction.Acknowledge, ComplaintRole.ExecutorStaff, ComplaintStatus.Acknowledged)]
    [InlineData(ComplaintStatus.Acknowledged, ComplaintAction.StartWork, ComplaintRole.ExecutorStaff, ComplaintStatus.InProgress)]
    [InlineData(ComplaintStatus.InProgress, ComplaintAction.Resolve, ComplaintRole.ExecutorStaff, ComplaintStatus.Resolved)]
    [InlineData(ComplaintStatus.Resolved, ComplaintAction.Confirm, ComplaintRole.Author, ComplaintStatus.Closed)]
    [InlineData(ComplaintStatus.Resolved, ComplaintAction.Reopen, ComplaintRole.Author, ComplaintStatus.Reopened)]
    [InlineData(ComplaintStatus.Closed, ComplaintAction.Reopen, ComplaintRole.Author, ComplaintStatus.Reopened)]
    [InlineData(ComplaintStatus.Reopened, ComplaintAction.Acknowledge, ComplaintRole.ExecutorStaff, ComplaintStatus.Acknowledged)]
    public void The_happy_path_moves_as_the_workflow_says(ComplaintStatus from, ComplaintAction action, ComplaintRole role, ComplaintStatus to)
    {
        var (next, error) = Decide(from, action, role, settledAt: Now.AddDays(-1));

        Assert.Null(error);
        Assert.Equal(to, next);
    }

    [Fact]
    public void Resolved_is_not_closed_until_the_citizen_confirms()
    {
        var (next, error) = Decide(ComplaintStatus.Resolved, ComplaintAction.Confirm, ComplaintRole.ExecutorStaff);

        Assert.Equal(ComplaintStatus.Resolved, next);
        Assert.Equal(ViolationCodes.Forbidden, error!.Code);
    }

    [Fact]
    public void An_illegal_transition_is_refused_and_says_what_is_possible()
    {
        var (next, error) = Decide(ComplaintStatus.Closed, ComplaintAction.Resolve, ComplaintRole.ExecutorStaff);

        Assert.Equal(ComplaintStatus.Closed, next);
        Assert.Equal(ViolationCodes.IllegalTransition, error!.Code);
        Assert.Contains("closed cannot be resolved", error.Message);
    }

    [Fact]
    public void Someone_not_involved_can_take_no_step()
    {
        foreach (var action in Enum.GetValues<ComplaintAction>())
        {
            Assert.Equal(ViolationCodes.Forbidden, Decide(ComplaintStatus.Submitted, action, ComplaintRole.Other).Error!.Code);
        }
    }

    [Fact]
    public void Reopening_after_the_reopen_period_is_refused()
    {
        var (_, error) = Decide(ComplaintStatus.Closed, ComplaintAction.Reopen, ComplaintRole.Author, settledAt: Now.AddDays(-31));

        Assert.Equal(ViolationCodes.Expired, error!.Code);
    }

    [Fact]
    public void Automatic_closing_waits_the_set_number_of_days()
    {
        Assert.Equal(ViolationCodes.IllegalTransition, Decide(ComplaintStatus.Resolved, ComplaintAction.AutoClose, ComplaintRole.System, settledAt: Now.AddDays(-13)).Error!.Code);
        Assert.Equal(ComplaintStatus.Closed, Decide(ComplaintStatus.Resolved, ComplaintAction.AutoClose, ComplaintRole.System, settledAt: Now.AddDays(-14)).Next);
    }

    [Fact]
    public void A_rejection_needs_a_reason()
    {
        Assert.Equal("reason", Decide(ComplaintStatus.Submitted, ComplaintAction.Reject, ComplaintRole.MunicipalityStaff).Error!.Field);
        Assert.Equal(ComplaintStatus.Rejected, Decide(ComplaintStatus.Submitted, ComplaintAction.Reject, ComplaintRole.MunicipalityStaff, reason: "Provincial road: Provincie Noord-Holland").Next);
    }

    [Theory]
    [InlineData(null, ViolationCodes.Required)]
    [InlineData("c-1", ViolationCodes.OutOfRange)]
    public void A_duplicate_links_to_another_complaint(string? original, string code)
    {
        Assert.Equal(code, Decide(ComplaintStatus.Submitted, ComplaintAction.MarkDuplicate, ComplaintRole.ExecutorStaff, duplicateOf: original).Error!.Code);
        Assert.Equal(ComplaintStatus.Duplicate, Decide(ComplaintStatus.Submitted, ComplaintAction.MarkDuplicate, ComplaintRole.ExecutorStaff, duplicateOf: "c-0").Next);
    }

    [Fact]
    public void A_note_longer_than_allowed_is_refused()
    {
        var (_, error) = Decide(ComplaintStatus.Submitted, ComplaintAction.Acknowledge, ComplaintRole.ExecutorStaff, note: new string('x', ComplaintWorkflow.MaxNoteLength + 1));

        Assert.Equal(ViolationCodes.TooLong, error!.Code);
    }

    [Fact]
    public void The_allowed_actions_match_what_Decide_accepts()
    {
        foreach (var status in Enum.GetValues<ComplaintStatus>())
        foreach (var role in Enum.GetValues<ComplaintRole>())
        {
            var allowed = ComplaintWorkflow.Allowed(status, role);
            foreach (var action in Enum.GetValues<ComplaintAction>())
            {
                var error = Decide(status, action, role, settledAt: Now.AddDays(-20), reason: "r", duplicateOf: "c-0").Error;
                Assert.Equal(allowed.Contains(action), error is null);
            }
        }
    }
}

public sealed class PhotoRulesTests
{
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56 }, "image/webp")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, null)] // GIF
    [InlineData(new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F }, null)] // "hello", a text file named .jpg
    public void The_type_is_judged_by_the_bytes(byte[] head, string? expected)
    {
        Assert.Equal(expected, PhotoRules.Sniff(head));
    }

    [Fact]
    public void A_sixth_photo_an_oversized_one_and_a_text_file_are_refused()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 };
        var oversized = new byte[PhotoRules.MaxBytes + 1];
        jpeg.CopyTo(oversized, 0);

        Assert.Null(PhotoRules.Check(jpeg, 4));
        Assert.Contains("at most 5", PhotoRules.Check(jpeg, 5)!.Message);
        Assert.Contains("at most 10 MB", PhotoRules.Check(oversized, 0)!.Message);
        Assert.Equal(Platform.Domain.Validation.ViolationCodes.InvalidFormat, PhotoRules.Check("hello"u8, 0)!.Code);
    }
}
