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
public sealed class ApplicationRecord
{
    [Id(0)] public int Number { get; set; }
    [Id(1)] public ApplyForOnboarding Application { get; set; } = null!;
    [Id(2)] public ApplicationStatus Status { get; set; }
    [Id(3)] public DateTimeOffset AppliedAt { get; set; }
    [Id(4)] public string? Reason { get; set; }
    [Id(5)] public bool InvitationSent { get; set; }
    [Id(6)] public List<HistoryEntry> History { get; set; } = [];
}

[GenerateSerializer]
public sealed class OnboardingState
{
    // Ids 0-5: the single application of earlier versions, moved into Applications on activation.
    [Id(0)] public ApplyForOnboarding? Application { get; set; }
    [Id(1)] public ApplicationStatus Status { get; set; }
    [Id(2)] public DateTimeOffset AppliedAt { get; set; }
    [Id(3)] public string? Reason { get; set; }
    [Id(4)] public bool InvitationSent { get; set; }
    [Id(5)] public List<HistoryEntry> History { get; set; } = [];
    [Id(6)] public List<PendingEffect> Pending { get; set; } = [];
    [Id(7)] public List<ApplicationRecord> Applications { get; set; } = [];
}

public sealed class OnboardingGrain(
    [PersistentState("onboarding", StorageNames.Grains)] IPersistentState<OnboardingState> state,
    TimeProvider time,
    ILogger<OnboardingGrain> logger) : Grain, IOnboardingGrain
{
    public const string Catalog = "onboarding-applications";
    public const int MaxReasonLength = 1_000;

    /// <summary>An application nobody decided on lapses after this long; the municipality may apply again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>Undecided applications kept for one code at a time (bounds what anonymous callers can store).</summary>
    public const int MaxPending = 50;

    private string Code => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        if (s.Application is { } single && s.Applications.Count == 0)
        {
            s.Applications.Add(new ApplicationRecord
            {
                Number = 1, Application = single, Status = s.Status, AppliedAt = s.AppliedAt, Reason = s.Reason, InvitationSent = s.InvitationSent, History = s.History,
            });
            s.Application = null;
            s.History = [];
        }
        return DispatchAsync();
    }

    public async Task<CommandResult> ApplyAsync(ApplyForOnboarding command)
    {
        // Anyone may apply, signed in or not: the operator's approval is the check.
        var s = state.State;
        var now = time.GetUtcNow();
        if (s.Applications.Any(a => a.Status == ApplicationStatus.Approved)
            || await GrainFactory.GetGrain<IMunicipalityGrain>(Code).GetAsync() is not null)
        {
            return CommandResult.Fail("code", ViolationCodes.AlreadyExists, $"Municipality {Code} is already onboarded.");
        }
        var errors = OnboardingRules.ValidateApplication(Code, command.Name, command.Inhabitants, command.InhabitantsReferenceDate,
            command.ContactName, command.ContactEmail, time.TodayInAmsterdam());
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var contact = command.ContactEmail!.Trim();
        var pending = s.Applications.Where(a => StatusAt(a, now) == ApplicationStatus.Pending).ToList();
        if (pending.Any(a => string.Equals(a.Application.ContactEmail, contact, StringComparison.OrdinalIgnoreCase)))
        {
            return CommandResult.Fail("contactEmail", ViolationCodes.Duplicate, $"An application for {Code} from {contact} is already waiting for approval.");
        }
        if (pending.Count >= MaxPending)
        {
            return CommandResult.Fail("code", ViolationCodes.OutOfRange,
                $"{pending.Count} applications for {Code} are waiting already; the platform operator decides on them first. Contact the operator directly.");
        }

        var record = new ApplicationRecord
        {
            Number = s.Applications.Count == 0 ? 1 : s.Applications.Max(a => a.Number) + 1,
            Application = command with { Name = command.Name!.Trim(), ContactName = command.ContactName!.Trim(), ContactEmail = contact },
            Status = ApplicationStatus.Pending,
            AppliedAt = now,
        };
        record.History.Add(new(now, CallerContext.Actor, "applied", $"{record.Application.Name} ({Code}); contact {record.Application.ContactName}"));
        s.Applications.Add(record);
        s.Pending.Add(PendingEffect.ListIn(Catalog, Code));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok($"{Code}/{record.Number}");
    }

    public async Task<CommandResult> ApproveAsync(int? number)
    {
        var decision = ArrangementPolicy.Onboard(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var now = time.GetUtcNow();
        if (state.State.Applications.FirstOrDefault(a => a.Status == ApplicationStatus.Approved) is { } approved)
        {
            // Approving twice changes nothing; another application cannot be approved after one was.
            return number is null || number == approved.Number
                ? CommandResult.Ok($"{Code}/{approved.Number}")
                : CommandResult.Fail("application", ViolationCodes.OutOfRange, $"Application {approved.Number} for {Code} was approved already.");
        }
        var (record, problem) = Find(number, now);
        if (problem is not null) return problem;
        var status = StatusAt(record!, now);
        if (status != ApplicationStatus.Pending)
        {
            return CommandResult.Fail("application", ViolationCodes.OutOfRange,
                $"Application {record!.Number} for {Code} is {status.ToString().ToLowerInvariant()}; the municipality can apply again.");
        }
        var a = record!.Application;
        // The tenant is created with the operator as caller; the application is approved once it exists.
        var onboarded = await GrainFactory.GetGrain<IMunicipalityGrain>(Code).OnboardAsync(new(a.Name, a.Inhabitants, a.InhabitantsReferenceDate));
        if (!onboarded.Succeeded && onboarded.Errors[0].Code != ViolationCodes.AlreadyExists) return onboarded;
        record.Status = ApplicationStatus.Approved;
        record.History.Add(new(now, CallerContext.Actor, "approved", $"{a.Name} ({Code}) onboarded"));
        foreach (var other in state.State.Applications.Where(o => o != record && StatusAt(o, now) == ApplicationStatus.Pending))
        {
            other.Status = ApplicationStatus.Superseded;
            other.Reason = $"Application {record.Number} for {Code} was approved.";
            other.History.Add(new(now, CallerContext.Actor, "superseded", other.Reason));
        }
        await state.WriteStateAsync();
        return CommandResult.Ok($"{Code}/{record.Number}");
    }

    public async Task<CommandResult> RejectAsync(int? number, string? reason)
    {
        var decision = ArrangementPolicy.Onboard(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var now = time.GetUtcNow();
        var (record, problem) = Find(number, now);
        if (problem is not null) return problem;
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "reason", reason, MaxReasonLength);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var status = StatusAt(record!, now);
        if (status != ApplicationStatus.Pending)
        {
            return CommandResult.Fail("application", ViolationCodes.OutOfRange, $"Application {record!.Number} for {Code} is {status.ToString().ToLowerInvariant()}, not pending.");
        }
        record!.Status = ApplicationStatus.Rejected;
        record.Reason = reason!.Trim();
        record.History.Add(new(now, CallerContext.Actor, "rejected", record.Reason));
        await state.WriteStateAsync();
        return CommandResult.Ok($"{Code}/{record.Number}");
    }

    public async Task RecordInvitationAsync(int number, bool sent, string detail)
    {
        if (state.State.Applications.FirstOrDefault(a => a.Number == number) is not { } record) return;
        record.InvitationSent |= sent;
        record.History.Add(new(time.GetUtcNow(), CallerContext.Actor, sent ? "invitation-sent" : "invitation-failed", detail));
        await state.WriteStateAsync();
    }

    public Task<OnboardingApplication?> GetAsync(int? number = null)
    {
        var all = state.State.Applications;
        var record = number is { } n
            ? all.FirstOrDefault(a => a.Number == n)
            : all.FirstOrDefault(a => a.Status == ApplicationStatus.Approved) ?? all.LastOrDefault();
        return Task.FromResult(record is null ? null : Snapshot(record));
    }

    public Task<IReadOnlyList<OnboardingApplication>> ListAsync() =>
        Task.FromResult<IReadOnlyList<OnboardingApplication>>([.. state.State.Applications.Select(Snapshot)]);

    private OnboardingApplication Snapshot(ApplicationRecord r)
    {
        var a = r.Application;
        var status = StatusAt(r, time.GetUtcNow());
        return new(Code, a.Name!, a.Inhabitants, a.InhabitantsReferenceDate!.Value, a.ContactName!, a.ContactEmail!, status, r.AppliedAt,
            status == ApplicationStatus.Expired ? $"Not decided within {Lifetime.TotalDays:0} days; apply again if it still stands." : r.Reason,
            r.InvitationSent, [.. r.History], r.Number, r.Status == ApplicationStatus.Pending ? r.AppliedAt + Lifetime : null);
    }

    /// <summary>An undecided application reads as expired once its lifetime has passed; nothing needs to run for that.</summary>
    private static ApplicationStatus StatusAt(ApplicationRecord record, DateTimeOffset now) =>
        record.Status == ApplicationStatus.Pending && now > record.AppliedAt + Lifetime ? ApplicationStatus.Expired : record.Status;

    private (ApplicationRecord?, CommandResult?) Find(int? number, DateTimeOffset now)
    {
        var all = state.State.Applications;
        if (number is { } n)
        {
            return all.FirstOrDefault(a => a.Number == n) is { } named
                ? (named, null)
                : (null, CommandResult.Fail("application", ViolationCodes.NotFound, $"There is no application {n} for {Code}."));
        }
        var pending = all.Where(a => StatusAt(a, now) == ApplicationStatus.Pending).ToList();
        return pending.Count switch
        {
            1 => (pending[0], null),
            0 when all.Count > 0 => (all[^1], null),
            0 => (null, CommandResult.Fail("code", ViolationCodes.NotFound, $"There is no application for {Code}.")),
            _ => (null, CommandResult.Fail("application", ViolationCodes.Required,
                $"{pending.Count} applications for {Code} are waiting (numbers {string.Join(", ", pending.Select(p => p.Number))}); name the one you decide on.")),
        };
    }

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);
}
