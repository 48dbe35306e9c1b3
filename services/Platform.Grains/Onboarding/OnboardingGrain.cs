using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Grains.Catalogs;
using Platform.Grains.Common;
using Platform.Grains.Municipalities;

namespace Platform.Grains.Onboarding;

[GenerateSerializer]
public sealed class OnboardingState
{
    [Id(0)] public ApplyForOnboarding? Application { get; set; }
    [Id(1)] public ApplicationStatus Status { get; set; }
    [Id(2)] public DateTimeOffset AppliedAt { get; set; }
    [Id(3)] public string? Reason { get; set; }
    [Id(4)] public bool InvitationSent { get; set; }
    [Id(5)] public List<HistoryEntry> History { get; set; } = [];
    [Id(6)] public List<PendingEffect> Pending { get; set; } = [];
}

public sealed class OnboardingGrain(
    [PersistentState("onboarding", StorageNames.Grains)] IPersistentState<OnboardingState> state,
    TimeProvider time,
    ILogger<OnboardingGrain> logger) : Grain, IOnboardingGrain
{
    public const string Catalog = "onboarding-applications";
    public const int MaxReasonLength = 1_000;

    private string Code => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => DispatchAsync();

    public async Task<CommandResult> ApplyAsync(ApplyForOnboarding command)
    {
        // Anyone may apply, signed in or not: the operator's approval is the check.
        var s = state.State;
        if (state.RecordExists && s.Status != ApplicationStatus.Rejected)
        {
            return CommandResult.Fail("code", ViolationCodes.Duplicate,
                s.Status == ApplicationStatus.Pending ? $"An application for {Code} is already waiting for approval." : $"{Code} has been onboarded already.");
        }
        if (await GrainFactory.GetGrain<IMunicipalityGrain>(Code).GetAsync() is not null)
        {
            return CommandResult.Fail("code", ViolationCodes.AlreadyExists, $"Municipality {Code} is already onboarded.");
        }
        var errors = OnboardingRules.ValidateApplication(Code, command.Name, command.Inhabitants, command.InhabitantsReferenceDate,
            command.ContactName, command.ContactEmail, time.TodayInAmsterdam());
        if (errors.Count > 0) return CommandResult.Fail(errors);

        s.Application = command with { Name = command.Name!.Trim(), ContactName = command.ContactName!.Trim(), ContactEmail = command.ContactEmail!.Trim() };
        s.Status = ApplicationStatus.Pending;
        s.Reason = null;
        s.InvitationSent = false;
        s.AppliedAt = time.GetUtcNow();
        s.History.Add(new(s.AppliedAt, CallerContext.Actor, "applied", $"{s.Application.Name} ({Code}); contact {s.Application.ContactName}"));
        s.Pending.Add(PendingEffect.ListIn(Catalog, Code));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Code);
    }

    public async Task<CommandResult> ApproveAsync()
    {
        var decision = ArrangementPolicy.Onboard(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var s = state.State;
        if (!state.RecordExists) return NotFound();
        if (s.Status == ApplicationStatus.Approved) return CommandResult.Ok(Code); // approving twice changes nothing
        if (s.Status == ApplicationStatus.Rejected)
        {
            return CommandResult.Fail("code", ViolationCodes.OutOfRange, $"The application for {Code} was rejected; the municipality can apply again.");
        }
        var a = s.Application!;
        // The tenant is created with the operator as caller; the application is approved once it exists.
        var onboarded = await GrainFactory.GetGrain<IMunicipalityGrain>(Code).OnboardAsync(new(a.Name, a.Inhabitants, a.InhabitantsReferenceDate));
        if (!onboarded.Succeeded && onboarded.Errors[0].Code != ViolationCodes.AlreadyExists) return onboarded;
        s.Status = ApplicationStatus.Approved;
        s.History.Add(new(time.GetUtcNow(), CallerContext.Actor, "approved", $"{a.Name} ({Code}) onboarded"));
        await state.WriteStateAsync();
        return CommandResult.Ok(Code);
    }

    public async Task<CommandResult> RejectAsync(string? reason)
    {
        var decision = ArrangementPolicy.Onboard(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (!state.RecordExists) return NotFound();
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "reason", reason, MaxReasonLength);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        if (state.State.Status != ApplicationStatus.Pending)
        {
            return CommandResult.Fail("code", ViolationCodes.OutOfRange, $"The application for {Code} is {state.State.Status.ToString().ToLowerInvariant()}, not pending.");
        }
        state.State.Status = ApplicationStatus.Rejected;
        state.State.Reason = reason!.Trim();
        state.State.History.Add(new(time.GetUtcNow(), CallerContext.Actor, "rejected", state.State.Reason));
        await state.WriteStateAsync();
        return CommandResult.Ok(Code);
    }

    public async Task RecordInvitationAsync(bool sent, string detail)
    {
        if (!state.RecordExists) return;
        state.State.InvitationSent |= sent;
        state.State.History.Add(new(time.GetUtcNow(), CallerContext.Actor, sent ? "invitation-sent" : "invitation-failed", detail));
        await state.WriteStateAsync();
    }

    public Task<OnboardingApplication?> GetAsync()
    {
        if (!state.RecordExists || state.State.Application is not { } a) return Task.FromResult<OnboardingApplication?>(null);
        var s = state.State;
        return Task.FromResult<OnboardingApplication?>(new(Code, a.Name!, a.Inhabitants, a.InhabitantsReferenceDate!.Value, a.ContactName!, a.ContactEmail!,
            s.Status, s.AppliedAt, s.Reason, s.InvitationSent, [.. s.History]));
    }

    private CommandResult NotFound() => CommandResult.Fail("code", ViolationCodes.NotFound, $"There is no application for {Code}.");

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
