using Platform.Domain.Access;
using Platform.Domain.Events;
using Platform.Domain.Validation;

namespace Platform.Grains.Notifications;

[GenerateSerializer]
public sealed class PersonSettingsState
{
    [Id(0)] public string Language { get; set; } = "nl";
    [Id(1)] public Dictionary<NotificationKind, NotificationDelivery> Deliveries { get; set; } = [];
    [Id(2)] public List<HistoryEntry> History { get; set; } = [];
    /// <summary>The reports someone else filed that the person follows (see <see cref="IPersonSettingsGrain.RecordFollowAsync"/>).</summary>
    [Id(3)] public List<string> Followed { get; set; } = [];
}

public sealed class PersonSettingsGrain(
    [PersistentState("person-settings", StorageNames.Grains)] IPersistentState<PersonSettingsState> state,
    TimeProvider time) : Grain, IPersonSettingsGrain
{
    private string Person => this.GetPrimaryKeyString();

    /// <summary>The person themselves (signed in with this address) or the platform.</summary>
    private bool MayUse(Caller caller) =>
        caller.Kind == CallerKind.System || (caller.Kind == CallerKind.User && string.Equals(caller.Subject, Person, StringComparison.OrdinalIgnoreCase));

    public Task<PersonSettings?> GetAsync() => Task.FromResult(MayUse(CallerContext.Current) ? Snapshot() : null);

    private PersonSettings Snapshot() => new(state.State.Language,
        [.. Enum.GetValues<NotificationKind>().Select(k => new NotificationPreference(k, state.State.Deliveries.GetValueOrDefault(k, NotificationDelivery.AtOnce)))]);

    public async Task<CommandResult> ChangeAsync(ChangeSettings change)
    {
        var caller = CallerContext.Current;
        if (caller.Kind != CallerKind.User || !MayUse(caller))
        {
            return CommandResult.Refused(Decision.Deny(caller, "Only the person themselves changes their notification settings."));
        }
        var errors = new List<RuleViolation>();
        if (change.Language is { } language && !NotificationRules.Languages.Contains(language))
        {
            errors.Add(new("language", ViolationCodes.OutOfRange, $"'{language}' is not a language the platform writes in; choose {string.Join(" or ", NotificationRules.Languages)}."));
        }
        foreach (var p in change.Preferences ?? [])
        {
            if (!Enum.IsDefined(p.Kind)) errors.Add(new("preferences.kind", ViolationCodes.OutOfRange, $"There is no notification kind {(int)p.Kind}."));
            if (!Enum.IsDefined(p.Delivery)) errors.Add(new("preferences.delivery", ViolationCodes.OutOfRange, $"There is no delivery {(int)p.Delivery}."));
        }
        if (change.Preferences is { } list && list.GroupBy(p => p.Kind).Any(g => g.Count() > 1))
        {
            errors.Add(new("preferences", ViolationCodes.OutOfRange, "Name each kind once."));
        }
        if (errors.Count > 0) return CommandResult.Fail(errors);

        var s = state.State;
        if (change.Language is { } chosen) s.Language = chosen;
        foreach (var p in change.Preferences ?? []) s.Deliveries[p.Kind] = p.Delivery;
        s.History.Add(new(time.GetUtcNow(), caller.Actor, "settings-changed",
            string.Join("; ", new[] { change.Language is null ? null : $"language {change.Language}" }
                .Concat((change.Preferences ?? []).Select(p => $"{NotificationRules.NameOf(p.Kind)} {p.Delivery}")).Where(x => x is not null))));
        await state.WriteStateAsync();
        return CommandResult.Ok(Person);
    }

    public async Task<CommandResult> UnsubscribeAsync(NotificationKind kind)
    {
        var caller = CallerContext.Current;
        if (caller.Kind != CallerKind.System && !MayUse(caller))
        {
            return CommandResult.Refused(Decision.Deny(caller, "Only the person themselves, or their signed unsubscribe link, switches their mail off."));
        }
        if (!Enum.IsDefined(kind)) return CommandResult.Fail("kind", ViolationCodes.OutOfRange, $"There is no notification kind {(int)kind}.");
        var s = state.State;
        // Repeating the click is harmless: it is off already, and nothing is written again.
        if (s.Deliveries.GetValueOrDefault(kind, NotificationDelivery.AtOnce) == NotificationDelivery.Off) return CommandResult.Ok(Person);
        s.Deliveries[kind] = NotificationDelivery.Off;
        s.History.Add(new(time.GetUtcNow(), caller.Kind == CallerKind.System ? "unsubscribe link" : caller.Actor, "unsubscribed", NotificationRules.NameOf(kind)));
        await state.WriteStateAsync();
        return CommandResult.Ok(Person);
    }

    public async Task<CommandResult> RecordFollowAsync(string complaintId, bool follow)
    {
        var caller = CallerContext.Current;
        if (!MayUse(caller)) return CommandResult.Refused(Decision.Deny(caller, "Only the person themselves follows a report."));
        var s = state.State;
        if (s.Followed.Contains(complaintId, StringComparer.Ordinal) == follow) return CommandResult.Ok(Person);
        if (follow && s.Followed.Count >= Platform.Domain.Complaints.PublicReports.MaxFollowedPerPerson)
        {
            return CommandResult.Fail("complaintId", ViolationCodes.OutOfRange,
                $"You follow {s.Followed.Count} reports, the most one person can; stop following one first.");
        }
        if (follow) s.Followed.Add(complaintId);
        else s.Followed.Remove(complaintId);
        await state.WriteStateAsync();
        return CommandResult.Ok(Person);
    }

    public Task<IReadOnlyList<string>> FollowedAsync() =>
        Task.FromResult<IReadOnlyList<string>>(MayUse(CallerContext.Current) ? [.. state.State.Followed] : []);
}
