using Platform.Grains.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.ReadModel;
using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Complaints;
using Platform.Domain.Events;
using Platform.Grains.Notifications;
using Platform.Domain.ServiceLevels;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;

namespace Platform.Grains.Complaints;

[GenerateSerializer]
public sealed class ComplaintState
{
    [Id(0)] public string ArrangementId { get; set; } = "";
    [Id(1)] public string ServiceCode { get; set; } = "";
    [Id(2)] public string Description { get; set; } = "";
    [Id(3)] public Location Location { get; set; } = new(null, null, null);
    [Id(4)] public string AuthorSubject { get; set; } = "";
    [Id(5)] public string Municipality { get; set; } = "";
    [Id(6)] public string? ExecutingOrganisation { get; set; }
    [Id(7)] public ComplaintStatus Status { get; set; }
    [Id(8)] public DateTimeOffset FiledAt { get; set; }
    [Id(9)] public DateOnly AcknowledgeBy { get; set; }
    [Id(10)] public DateOnly ResolveBy { get; set; }
    [Id(11)] public DateTimeOffset? AcknowledgedAt { get; set; }
    [Id(12)] public DateTimeOffset? ResolvedAt { get; set; }
    [Id(13)] public DateTimeOffset? SettledAt { get; set; }
    [Id(14)] public string? Reason { get; set; }
    [Id(15)] public string? Referral { get; set; }
    [Id(16)] public string? DuplicateOf { get; set; }
    [Id(17)] public List<HistoryEntry> History { get; set; } = [];
    [Id(18)] public List<Photo> Photos { get; set; } = [];
    [Id(19)] public DateTimeOffset? AcknowledgeOverdueSince { get; set; }
    [Id(20)] public DateTimeOffset? ResolveOverdueSince { get; set; }
    /// <summary>Raised at every write; the read model keeps the highest it has seen.</summary>
    [Id(21)] public long Version { get; set; }
    /// <summary>Who reported it, when a partner system files for someone it cannot sign in (Open311); shown to those who may see the complaint.</summary>
    [Id(22)] public Reporter? Reporter { get; set; }
    /// <summary>Events of the last writes not yet known to be in the event log (the outbox); stored with the state that caused them.</summary>
    [Id(23)] public List<PlatformEvent> Outbox { get; set; } = [];
    /// <summary>The service's name when it was filed, for the words of notifications.</summary>
    [Id(24)] public string? ServiceName { get; set; }
    /// <summary>The addresses of the people who follow it, though they did not file it (lower case, each once).</summary>
    [Id(25)] public List<string> Followers { get; set; } = [];
    /// <summary>
    /// Whether the service-level sweep keeps this complaint's clock (the next check is in its list row). False for a
    /// complaint filed before the sweep, which has a reminder of its own: its next write removes that reminder.
    /// </summary>
    [Id(26)] public bool CheckedBySweep { get; set; }
}

public sealed class ComplaintGrain(
    [PersistentState("complaint", StorageNames.Grains)] IPersistentState<ComplaintState> state,
    TimeProvider time,
    IDbContextFactory<ComplaintListStore> lists,
    ILogger<ComplaintGrain> logger) : Grain, IComplaintGrain, IRemindable
{
    public const string ServiceLevelReminder = "service-level";
    public const string ServiceLevelActor = "system:service-level";
    public const int MaxDescriptionLength = 4_000;
    public const int MaxAddressLength = 300;
    public const int MaxReporterFieldLength = 200;

    private string Id => this.GetPrimaryKeyString();

    /// <summary>Repairs the list row after a crash between the state write and the row write.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken) => state.RecordExists ? ProjectAsync() : Task.CompletedTask;

    /// <summary>
    /// State first (the source of truth, with its events), then the list row and the events, which carries the next
    /// moment of the service-level clock for the sweep; a failed write of either is repaired later. A complaint filed
    /// before the sweep moves to it with this write, and its own reminder is removed while the row is written.
    /// </summary>
    private async Task SaveAsync()
    {
        var hadOwnReminder = !state.State.CheckedBySweep;
        state.State.CheckedBySweep = true;
        state.State.Outbox.RemoveAll(e => published.Contains(e.Id));
        state.State.Version++;
        await state.WriteStateAsync();
        await Task.WhenAll(ProjectAsync(), hadOwnReminder ? ForgetOwnReminderLaterIfNeededAsync() : Task.CompletedTask);
    }

    /// <summary>The change is stored already: a reminder that cannot be removed now removes itself at its next tick.</summary>
    private async Task ForgetOwnReminderLaterIfNeededAsync()
    {
        try
        {
            await ForgetOwnReminderAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Complaint {Id}: its reminder from before the service-level sweep stays until its next tick", Id);
        }
    }

    /// <summary>Ids of outbox events the log holds; they leave the outbox with the next write (no extra write for that).</summary>
    private readonly HashSet<string> published = new(StringComparer.Ordinal);

    /// <summary>Records an event of the write about to happen; its id (complaint, version, place) is the same on every retry.</summary>
    private void Emit(string type, string? from, DateOnly? due = null, string? note = null)
    {
        var s = state.State;
        var id = $"complaint:{Id}:{s.Version + 1}:{s.Outbox.Count(e => e.Id.StartsWith($"complaint:{Id}:{s.Version + 1}:", StringComparison.Ordinal))}";
        var data = new ComplaintEventData(Id, s.ArrangementId, s.ServiceCode, s.ServiceName ?? s.ServiceCode, from, s.Status.ToString(), note, due);
        var person = NotificationRules.IsMailAddress(s.AuthorSubject) ? s.AuthorSubject.ToLowerInvariant() : s.Reporter?.Email?.ToLowerInvariant();
        s.Outbox.Add(new(id, type, time.GetUtcNow(), Id, s.ArrangementId, s.Municipality, s.ExecutingOrganisation, person,
            System.Text.Json.JsonSerializer.Serialize(data, EventJson.Options)));
    }

    private async Task ProjectAsync()
    {
        var s = state.State;
        try
        {
            await using var store = await lists.CreateDbContextAsync();
            var unpublished = s.Outbox.Where(e => !published.Contains(e.Id)).ToList();
            GeoPoint? publicPlace = s.Location is { Latitude: { } la, Longitude: { } lo } ? PublicReports.Round(la, lo) : null;
            // The row and the events in one transaction: one database write per change.
            await store.UpsertAsync(new ComplaintRow
            {
                Id = Id, Version = s.Version, ArrangementId = s.ArrangementId, Municipality = s.Municipality,
                ExecutingOrganisation = s.ExecutingOrganisation, AuthorSubject = s.AuthorSubject.ToLowerInvariant(), ServiceCode = s.ServiceCode,
                Status = s.Status.ToString(), Description = s.Description, FiledAt = s.FiledAt.ToUnixTimeMilliseconds(),
                ResolvedAt = s.ResolvedAt?.ToUnixTimeMilliseconds(), ResolveBy = s.ResolveBy,
                Overdue = s.AcknowledgeOverdueSince is not null || s.ResolveOverdueSince is not null,
                UpdatedAt = (s.History.Count > 0 ? s.History[^1].At : s.FiledAt).ToUnixTimeMilliseconds(),
                PublicLatitude = publicPlace?.Latitude, PublicLongitude = publicPlace?.Longitude,
                NextCheckAt = NextCheck(s)?.ToUnixTimeMilliseconds(),
            }, [.. unpublished.Select(EventJson.Row)]);
            if (unpublished.Count > 0)
            {
                published.UnionWith(unpublished.Select(e => e.Id));
                GrainFactory.GetGrain<INotificationGrain>(NotificationGrain.Key).PokeAsync().Ignore();
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            logger.LogWarning(ex, "Complaint {Id} version {Version} not yet in the list; repaired on the next write or activation", Id, s.Version);
        }
    }

    public async Task<bool> RewriteListRowAsync()
    {
        if (!state.RecordExists)
        {
            DeactivateOnIdle();
            return false;
        }
        await ProjectAsync();
        return true;
    }

    public async Task<CommandResult> CheckFilingAsync(FileComplaint command)
    {
        var (problem, _, _) = await CheckAsync(command);
        return problem ?? CommandResult.Ok(Id);
    }

    /// <summary>Everything a filing must pass, in order: the caller, the text, the arrangement, membership today, the service.</summary>
    private async Task<(CommandResult? Problem, ArrangementSnapshot? Arrangement, ServiceDefinition? Service)> CheckAsync(FileComplaint command)
    {
        var caller = CallerContext.Current;
        var decision = ComplaintPolicy.File(caller);
        if (!decision.Allowed) return (CommandResult.Refused(decision), null, null);
        if (state.RecordExists) return (CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"Complaint {Id} exists already."), null, null);

        var errors = ValidateText(command);
        if (errors.Count > 0) return (CommandResult.Fail(errors), null, null);
        var arrangement = command.ArrangementId is { Length: > 0 and <= 100 } key
            ? await GrainFactory.GetGrain<IArrangementGrain>(key).GetAsync()
            : null;
        if (arrangement is null)
        {
            return (ArrangementParties.Missing(command.ArrangementId), null, null);
        }
        if (arrangement.MembersOn(AmsterdamCalendar.DateOf(time.GetUtcNow())).All(m => m.MunicipalityCode != caller.Organisation))
        {
            return (CommandResult.Fail("arrangementId", ViolationCodes.OutOfRange,
                $"'{arrangement.Name}' does not serve your municipality ({caller.Organisation}); file the complaint with an arrangement your municipality is a member of."), null, null);
        }
        var service = arrangement.Services.FirstOrDefault(s => s.Code == command.ServiceCode);
        if (service is null)
        {
            return (CommandResult.Fail("serviceCode", ViolationCodes.UnknownService,
                $"'{arrangement.Name}' has no service '{command.ServiceCode}'; its services are {string.Join(", ", arrangement.Services.Select(s => s.Code))}."), null, null);
        }
        return (null, arrangement, service);
    }

    public async Task<CommandResult> FileAsync(FileComplaint command)
    {
        // A retry of the filing that made this complaint: its id was reserved for that request's idempotency key, and
        // the first attempt got as far as storing it before its answer was lost (a crash). The same author filing the
        // same text under the same reserved id is that request, so it gets the first answer, not a refusal.
        if (state.RecordExists && state.State.AuthorSubject == CallerContext.Current.Subject
            && state.State.ArrangementId == command.ArrangementId && state.State.Description == command.Description?.Trim())
        {
            return CommandResult.Ok(Id);
        }
        var (problem, arrangement, service) = await CheckAsync(command);
        if (problem is not null) return problem;
        var caller = CallerContext.Current;

        var now = time.GetUtcNow();
        var s = state.State;
        s.ArrangementId = arrangement!.Id;
        s.ServiceCode = service!.Code;
        s.Description = command.Description!.Trim();
        s.Location = command.Location! with { Address = command.Location!.Address?.Trim() };
        s.AuthorSubject = caller.Subject;
        s.Reporter = command.Reporter is { } r ? new Reporter(Trimmed(r.Name), Trimmed(r.Email), Trimmed(r.Phone)) : null;
        s.Municipality = caller.Organisation!;
        s.ExecutingOrganisation = arrangement.ExecutingOrganisationId;
        s.Status = ComplaintStatus.Submitted;
        s.FiledAt = now;
        s.AcknowledgeBy = service.ServiceLevel.Due(now, service.ServiceLevel.DaysToAcknowledge);
        s.ResolveBy = service.ServiceLevel.Due(now, service.ServiceLevel.DaysToResolve);
        s.ServiceName = service.Name;
        s.CheckedBySweep = true;
        s.History.Add(new(now, caller.Actor, "filed", $"{service.Name}; to {arrangement.ExecutingOrganisation}; acknowledge by {s.AcknowledgeBy:yyyy-MM-dd}, resolve by {s.ResolveBy:yyyy-MM-dd}"));
        Emit(EventTypes.ComplaintFiled, null, s.AcknowledgeBy);
        await SaveAsync();
        return CommandResult.Ok(Id);
    }

    public const string FormerResident = "resident (account closed)";

    public async Task<CommandResult> AnonymiseAuthorAsync()
    {
        if (!state.RecordExists) return NotFound();
        var s = state.State;
        var caller = CallerContext.Current;
        if (ComplaintPolicy.RoleOf(caller, s.AuthorSubject, s.Municipality, s.ExecutingOrganisation) != ComplaintRole.Author) return NotFound();
        var author = s.AuthorSubject;
        s.AuthorSubject = $"closed:{Guid.NewGuid():N}";
        s.Reporter = null;
        s.History = [.. s.History.Select(h => string.Equals(h.Actor, author, StringComparison.OrdinalIgnoreCase) ? h with { Actor = FormerResident } : h)];
        s.History.Add(new(time.GetUtcNow(), FormerResident, "author-anonymised", "The author closed their account; the complaint stays without their details."));
        await SaveAsync();
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> TransitionAsync(ComplaintTransition command)
    {
        if (!state.RecordExists) return NotFound();
        var caller = CallerContext.Current;
        var s = state.State;
        var scope = command.Action is ComplaintAction.Acknowledge or ComplaintAction.StartWork or ComplaintAction.Resolve or ComplaintAction.Reject or ComplaintAction.MarkDuplicate
            ? Scopes.ComplaintsWrite : Scopes.ComplaintsRead;
        var role = ComplaintPolicy.RoleOf(caller, s.AuthorSubject, s.Municipality, s.ExecutingOrganisation, scope);
        if (!ComplaintPolicy.CanSee(role)) return NotFound(); // no hint that it exists
        var now = time.GetUtcNow();
        var (next, error) = ComplaintWorkflow.Decide(s.Status, new(command.Action, role, command.Note, command.Reason, command.Referral, command.DuplicateOf),
            s.SettledAt, now, WorkflowSettings.Default, Id);
        if (error is not null)
        {
            return error.Code == ViolationCodes.Forbidden ? CommandResult.Refused(Decision.Forbidden(error.Message)) : CommandResult.Fail([error]);
        }
        if (command.Action == ComplaintAction.MarkDuplicate)
        {
            var original = await GrainFactory.GetGrain<IComplaintGrain>(command.DuplicateOf!).GetAsync();
            if (original is null || original.ArrangementId != s.ArrangementId)
            {
                return CommandResult.Fail("duplicateOf", ViolationCodes.NotFound, $"No complaint '{command.DuplicateOf}' about this arrangement is visible to you.");
            }
        }

        var from = s.Status;
        s.Status = next;
        switch (command.Action)
        {
            case ComplaintAction.Acknowledge or ComplaintAction.StartWork:
                s.AcknowledgedAt ??= now;
                break;
            case ComplaintAction.Resolve:
                s.AcknowledgedAt ??= now;
                s.ResolvedAt = now;
                s.SettledAt = now;
                break;
            case ComplaintAction.Confirm or ComplaintAction.AutoClose:
                s.SettledAt = now;
                break;
            case ComplaintAction.Reject:
                s.Reason = command.Reason!.Trim();
                s.Referral = command.Referral?.Trim();
                break;
            case ComplaintAction.MarkDuplicate:
                s.DuplicateOf = command.DuplicateOf;
                break;
        }
        var detail = string.Join("; ", new[] { $"{from} → {next}", command.Note, command.Reason, command.Referral is null ? null : $"referred to {command.Referral}", command.DuplicateOf is null ? null : $"duplicate of {command.DuplicateOf}" }
            .Where(x => !string.IsNullOrWhiteSpace(x)));
        s.History.Add(new(now, caller.Actor, command.Action.ToString(), detail));
        Emit(EventTypes.ComplaintStatusChanged, from.ToString(), note: Trimmed(command.Reason) ?? Trimmed(command.Note));
        await SaveAsync();
        return CommandResult.Ok(Id);
    }

    /// <summary>
    /// The tick of a reminder of the complaint's own, from before the service-level sweep (or of the hourly one before
    /// that): the check runs, which moves the complaint to the sweep and removes the reminder as it stores that. A
    /// reminder left over (its complaint moved already but the removal failed, or no complaint was ever stored) is
    /// removed here.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ServiceLevelReminder) return;
        var leftOver = !state.RecordExists || state.State.CheckedBySweep;
        await CheckServiceLevelAsync();
        if (leftOver) await ForgetOwnReminderAsync();
    }

    public async Task CheckServiceLevelAsync()
    {
        if (!state.RecordExists) return;
        var s = state.State;
        var now = time.GetUtcNow();
        var changed = false;
        if (s.AcknowledgedAt is null && s.AcknowledgeOverdueSince is null && IsOpen(s.Status) && ServiceLevelClock.IsOverdue(s.AcknowledgeBy, now))
        {
            s.AcknowledgeOverdueSince = now;
            s.History.Add(new(now, ServiceLevelActor, "overdue", $"not acknowledged by {s.AcknowledgeBy:yyyy-MM-dd}"));
            Emit(EventTypes.ComplaintOverdue, null, s.AcknowledgeBy, "acknowledge");
            changed = true;
        }
        if (s.ResolvedAt is null && s.ResolveOverdueSince is null && IsOpen(s.Status) && ServiceLevelClock.IsOverdue(s.ResolveBy, now))
        {
            s.ResolveOverdueSince = now;
            s.History.Add(new(now, ServiceLevelActor, "overdue", $"not resolved by {s.ResolveBy:yyyy-MM-dd}"));
            Emit(EventTypes.ComplaintOverdue, null, s.ResolveBy, "resolve");
            changed = true;
        }
        if (s.Status == ComplaintStatus.Resolved)
        {
            var (next, error) = ComplaintWorkflow.Decide(s.Status, new(ComplaintAction.AutoClose, ComplaintRole.System), s.SettledAt, now, WorkflowSettings.Default, Id);
            if (error is null)
            {
                s.Status = next;
                s.SettledAt = now;
                s.History.Add(new(now, ServiceLevelActor, ComplaintAction.AutoClose.ToString(),
                    $"closed {WorkflowSettings.Default.AutoCloseAfterDays} days after it was resolved without the citizen's confirmation"));
                Emit(EventTypes.ComplaintStatusChanged, ComplaintStatus.Resolved.ToString());
                changed = true;
            }
        }
        // A complaint filed before the sweep is stored once to move to it, with its next check in its list row.
        if (changed || !s.CheckedBySweep) await SaveAsync();
    }

    private static bool IsOpen(ComplaintStatus status) => ComplaintWorkflow.Open.Contains(status);

    private static DateTimeOffset? NextCheck(ComplaintState s) =>
        ComplaintClock.NextCheck(new(s.Status, s.AcknowledgeBy, s.AcknowledgedAt, s.AcknowledgeOverdueSince, s.ResolveBy, s.ResolvedAt, s.ResolveOverdueSince, s.SettledAt),
            WorkflowSettings.Default);

    /// <summary>Removes the complaint's own reminder, from before the service-level sweep, if it has one.</summary>
    private async Task ForgetOwnReminderAsync()
    {
        if (await this.GetReminder(ServiceLevelReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task<CommandResult> FollowReportAsync(bool follow)
    {
        var caller = CallerContext.Current;
        var s = state.State;
        if (!state.RecordExists) return CommandResult.Fail([PublicReports.NotFollowable(Id)]);
        var person = caller.Subject.ToLowerInvariant();
        var follows = caller.Kind == CallerKind.User && s.Followers.Contains(person, StringComparer.Ordinal);
        var problem = follow
            ? PublicReports.FollowProblem(caller, Id, s.AuthorSubject, s.Municipality, s.Status, s.Followers.Count)
            : PublicReports.UnfollowProblem(caller, Id, s.Municipality, s.Status, follows);
        if (problem is not null) return problem.Code == ViolationCodes.Forbidden ? CommandResult.Refused(Decision.Forbidden(problem.Message)) : CommandResult.Fail([problem]);
        if (follows == follow) return CommandResult.Ok(Id);
        var settings = GrainFactory.GetGrain<IPersonSettingsGrain>(person);
        // The person's own list may name a report they no longer follow (stopping again is harmless), never miss one
        // they do: it is written before they are added here, and after they are removed.
        if (follow)
        {
            var noted = await settings.RecordFollowAsync(Id, true);
            if (!noted.Succeeded) return noted;
            s.Followers.Add(person);
            await state.WriteStateAsync();
        }
        else
        {
            s.Followers.Remove(person);
            await state.WriteStateAsync();
            await settings.RecordFollowAsync(Id, false);
        }
        return CommandResult.Ok(Id);
    }

    /// <summary>Empty for anyone but the platform: who follows a report is not for its author, staff or other followers to read.</summary>
    public Task<IReadOnlyList<string>> FollowersAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.RecordExists && CallerContext.Current.Kind == CallerKind.System ? [.. state.State.Followers] : []);

    public Task<CommandResult> CanAddPhotoAsync() => Task.FromResult(CheckPhoto());

    public async Task<CommandResult> AddPhotoAsync(Photo photo)
    {
        var check = CheckPhoto();
        if (!check.Succeeded) return check;
        state.State.Photos.Add(photo);
        state.State.History.Add(new(photo.UploadedAt, CallerContext.Actor, "photo-added", $"{photo.ContentType}, {photo.Size} bytes"));
        await SaveAsync();
        return CommandResult.Ok(Id);
    }

    /// <summary>Only the author adds photos, up to the limit.</summary>
    private CommandResult CheckPhoto()
    {
        if (!state.RecordExists) return NotFound();
        var s = state.State;
        var role = ComplaintPolicy.RoleOf(CallerContext.Current, s.AuthorSubject, s.Municipality, s.ExecutingOrganisation);
        if (!ComplaintPolicy.CanSee(role)) return NotFound();
        if (role != ComplaintRole.Author) return CommandResult.Refused(Decision.Forbidden("Only the citizen who filed the complaint adds photos to it."));
        if (s.Photos.Count >= PhotoRules.MaxPerComplaint)
        {
            return CommandResult.Fail("photo", ViolationCodes.TooLong, $"A complaint has at most {PhotoRules.MaxPerComplaint} photos; this one has {s.Photos.Count}.");
        }
        return CommandResult.Ok(Id);
    }

    public Task<ComplaintSnapshot?> GetAsync()
    {
        if (!state.RecordExists) return Task.FromResult(this.Missing<ComplaintSnapshot>());
        var s = state.State;
        var role = ComplaintPolicy.RoleOf(CallerContext.Current, s.AuthorSubject, s.Municipality, s.ExecutingOrganisation);
        if (!ComplaintPolicy.CanSee(role)) return Task.FromResult<ComplaintSnapshot?>(null);
        return Task.FromResult<ComplaintSnapshot?>(new(Id, s.ArrangementId, s.ServiceCode, s.Description, s.Location, s.Municipality, s.ExecutingOrganisation,
            s.Status, s.FiledAt, s.AcknowledgeBy, s.ResolveBy, s.AcknowledgedAt, s.ResolvedAt, s.Reason, s.Referral, s.DuplicateOf,
            role, ComplaintWorkflow.Allowed(s.Status, role), [.. s.History], [.. s.Photos], s.AcknowledgeOverdueSince, s.ResolveOverdueSince, s.Reporter, s.Version));
    }

    private static List<RuleViolation> ValidateText(FileComplaint command)
    {
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "description", command.Description, MaxDescriptionLength);
        var location = command.Location;
        var hasCoordinates = location?.Latitude is not null || location?.Longitude is not null;
        if (location is null || (!hasCoordinates && string.IsNullOrWhiteSpace(location.Address)))
        {
            errors.Add(new("location", ViolationCodes.Required, "Say where it is: coordinates, an address, or both."));
            return errors;
        }
        if (hasCoordinates && (location.Latitude is not (>= 50.7 and <= 53.7) || location.Longitude is not (>= 3.2 and <= 7.3)))
        {
            errors.Add(new("location", ViolationCodes.OutOfRange,
                $"The coordinates ({location.Latitude}, {location.Longitude}) are not in the Netherlands; give latitude and longitude in WGS84 degrees, e.g. 52.64, 5.06."));
        }
        Rules.OptionalText(errors, "location.address", location.Address, MaxAddressLength);
        if (command.Reporter is { } reporter)
        {
            Rules.OptionalText(errors, "reporter.name", reporter.Name, MaxReporterFieldLength);
            Rules.OptionalText(errors, "reporter.email", reporter.Email, MaxReporterFieldLength);
            Rules.OptionalText(errors, "reporter.phone", reporter.Phone, MaxReporterFieldLength);
        }
        return errors;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private CommandResult NotFound() => CommandResult.Fail("complaintId", ViolationCodes.NotFound, $"No complaint '{Id}' is visible to you.");
}
