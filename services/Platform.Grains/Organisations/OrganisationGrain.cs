using Platform.Grains.Common;
using Platform.Domain.Access;
using Platform.Domain.Validation;

namespace Platform.Grains.Organisations;

[GenerateSerializer]
public sealed class OrganisationState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public DateTimeOffset RegisteredAt { get; set; }
    [Id(2)] public List<HistoryEntry> History { get; set; } = [];
}

public sealed class OrganisationGrain(
    [PersistentState("organisation", StorageNames.Grains)] IPersistentState<OrganisationState> state,
    TimeProvider time) : Grain, IOrganisationGrain
{
    public const int MaxNameLength = 150;

    public async Task<CommandResult> RegisterAsync(RegisterOrganisation command)
    {
        var decision = ArrangementPolicy.Onboard(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        var id = this.GetPrimaryKeyString();
        if (state.RecordExists) return CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"Organisation '{id}' is already registered.");
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "name", command.Name, MaxNameLength);
        if (errors.Count > 0) return CommandResult.Fail(errors);

        state.State.Name = command.Name!.Trim();
        state.State.RegisteredAt = time.GetUtcNow();
        state.State.History.Add(new(state.State.RegisteredAt, CallerContext.Actor, "registered", state.State.Name));
        await state.WriteStateAsync();
        return CommandResult.Ok(id);
    }

    public Task<OrganisationSnapshot?> GetAsync() => Task.FromResult(state.RecordExists
        ? new OrganisationSnapshot(this.GetPrimaryKeyString(), state.State.Name, state.State.RegisteredAt)
        : this.Missing<OrganisationSnapshot>());
}
