using Platform.Grains.Common;

namespace Platform.Grains.Organisations;

[GenerateSerializer]
public sealed class Open311KeyState
{
    [Id(0)] public string Organisation { get; set; } = "";
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public CredentialStatus Status { get; set; }
}

/// <summary>The index entry of one Open311 key, keyed by the key's hash (never the key itself).</summary>
public sealed class Open311KeyGrain(
    [PersistentState("open311-key", StorageNames.Grains)] IPersistentState<Open311KeyState> state) : Grain, IOpen311KeyGrain
{
    public async Task SetAsync(string organisation, string name, CredentialStatus status)
    {
        // Only the issuing organisation writes here, through its outbox (as the platform itself).
        if (CallerContext.Current.Kind != Platform.Domain.Access.CallerKind.System) return;
        state.State.Organisation = organisation;
        state.State.Name = name;
        state.State.Status = status;
        await state.WriteStateAsync();
    }

    public Task<Open311KeyOwner?> GetAsync() => Task.FromResult(state.RecordExists && state.State.Status == CredentialStatus.Active
        ? new Open311KeyOwner(state.State.Organisation, state.State.Name)
        : this.Missing<Open311KeyOwner>());
}
