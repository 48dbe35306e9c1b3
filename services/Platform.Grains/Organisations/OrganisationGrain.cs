using Platform.Grains.Common;
using Platform.Domain.Access;
using Platform.Domain.Organisations;
using Platform.Domain.Validation;

namespace Platform.Grains.Organisations;

[GenerateSerializer]
public sealed class OrganisationState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public DateTimeOffset RegisteredAt { get; set; }
    [Id(2)] public List<HistoryEntry> History { get; set; } = [];
    [Id(3)] public OrganisationKind Kind { get; set; }
    [Id(4)] public List<Person> People { get; set; } = [];
    [Id(5)] public List<PendingEffect> Pending { get; set; } = [];
    [Id(6)] public List<PartnerClient> Clients { get; set; } = [];
    [Id(7)] public List<Open311Key> Open311Keys { get; set; } = [];
    /// <summary>Residents' accounts closed here, by the identity server's account id (a random id, not personal data).</summary>
    [Id(8)] public List<string> ClosedAccounts { get; set; } = [];
}

public sealed class OrganisationGrain(
    [PersistentState("organisation", StorageNames.Grains)] IPersistentState<OrganisationState> state,
    TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<OrganisationGrain> logger) : Grain, IOrganisationGrain, PublicData.IPublicState
{
    /// <summary>Public: a stored change is announced to the gateways (see <see cref="PublicData.PublicDataChanges"/>).</summary>
    string? PublicData.IPublicState.StateVersion => state.Etag;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => DispatchAsync();

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);

    private OrganisationKind Kind => state.RecordExists ? state.State.Kind : StaffRoles.KindOf(Id);

    public async Task<CommandResult> RegisterAsync(RegisterOrganisation command)
    {
        var decision = OrganisationPolicy.Register(CallerContext.Current);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (state.RecordExists) return CommandResult.Fail("id", ViolationCodes.AlreadyExists, $"Organisation '{Id}' is already registered.");
        if (command.Kind != StaffRoles.KindOf(Id))
        {
            return CommandResult.Fail("id", ViolationCodes.InvalidFormat, command.Kind == OrganisationKind.Municipality
                ? $"'{Id}' is not a CBS code, so it cannot name a municipality."
                : $"'{Id}' is a CBS code; an executing organisation needs an id of its own, e.g. afvalbedrijf-nhn.");
        }
        var errors = command.Kind == OrganisationKind.ExecutingOrganisation
            ? OrganisationPolicy.ValidateRegistration(Id, command.Name)
            : RequiredName(command.Name);
        if (errors.Count > 0) return CommandResult.Fail(errors);

        var s = state.State;
        s.Name = command.Name!.Trim();
        s.Kind = command.Kind;
        s.RegisteredAt = time.GetUtcNow();
        s.History.Add(new(s.RegisteredAt, CallerContext.Actor, "registered", $"{s.Name} ({(s.Kind == OrganisationKind.Municipality ? "municipality" : "executing organisation")})"));
        s.Pending.Add(PendingEffect.ListIn(Platform.Grains.Catalogs.CatalogNames.Organisations, Id));
        if (s.Kind == OrganisationKind.ExecutingOrganisation) s.Pending.Add(PendingEffect.ListIn(Platform.Grains.Catalogs.CatalogNames.ExecutingOrganisations, Id));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(Id);
    }

    private static List<RuleViolation> RequiredName(string? name)
    {
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "name", name, OrganisationPolicy.MaxNameLength);
        return errors;
    }

    public Task<OrganisationSnapshot?> GetAsync() => Task.FromResult(state.RecordExists
        ? new OrganisationSnapshot(Id, state.State.Name, state.State.RegisteredAt, state.State.Kind)
        : this.Missing<OrganisationSnapshot>());

    public Task<PeopleView> PeopleAsync()
    {
        var access = Check();
        return Task.FromResult(access.Succeeded
            ? new PeopleView(access, [.. state.State.People.OrderBy(p => p.Status).ThenBy(p => p.Email, StringComparer.Ordinal)], [.. state.State.History],
                [.. state.State.Clients.Where(c => c.Created)], [.. state.State.Open311Keys])
            : new PeopleView(access, [], []));
    }

    public async Task<CommandResult> InviteAsync(InvitePerson command)
    {
        if (Check() is { Succeeded: false } refused) return refused;
        var errors = OrganisationPolicy.ValidatePerson(Kind, command.Email, command.Name, command.Role);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var email = Normalize(command.Email);
        var s = state.State;
        if (s.People.FirstOrDefault(p => p.Email == email) is { Status: PersonStatus.Active } existing)
        {
            // Inviting again resends an invitation that did not go out; otherwise the person is here already.
            return existing.InvitationSent || existing.Role != command.Role
                ? CommandResult.Fail("email", ViolationCodes.AlreadyExists, $"{email} already works here as {existing.Role}.")
                : CommandResult.Ok(email);
        }
        var now = time.GetUtcNow();
        s.People.RemoveAll(p => p.Email == email);
        s.People.Add(new(email, command.Name!.Trim(), command.Role!, PersonStatus.Active, now, InvitationSent: false));
        s.History.Add(new(now, CallerContext.Actor, "person-invited", $"{email} as {command.Role}"));
        await state.WriteStateAsync();
        return CommandResult.Ok(email);
    }

    public async Task<CommandResult> ChangeRoleAsync(ChangePersonRole command)
    {
        if (Check() is { Succeeded: false } refused) return refused;
        var errors = new List<RuleViolation>();
        OrganisationPolicy.ValidateRole(errors, Kind, command.Role);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var email = Normalize(command.Email);
        var s = state.State;
        var index = s.People.FindIndex(p => p.Email == email && p.Status == PersonStatus.Active);
        if (index < 0) return NoSuchPerson(command.Email);
        var person = s.People[index];
        if (person.Role == command.Role) return CommandResult.Ok(email);
        if (IsLastAdmin(person)) return LastAdmin(person, "change the role of");
        var now = time.GetUtcNow();
        s.People[index] = person with { Role = command.Role!, Since = now };
        s.History.Add(new(now, CallerContext.Actor, "role-changed", $"{email}: {person.Role} → {command.Role}"));
        await state.WriteStateAsync();
        return CommandResult.Ok(email);
    }

    public async Task<CommandResult> RemovePersonAsync(string? email)
    {
        if (Check() is { Succeeded: false } refused) return refused;
        var key = Normalize(email);
        var s = state.State;
        var index = s.People.FindIndex(p => p.Email == key);
        if (index < 0) return NoSuchPerson(email);
        var person = s.People[index];
        // Removing again changes nothing here, and lets the caller finish withdrawing the account.
        if (person.Status == PersonStatus.Removed) return CommandResult.Ok(key);
        if (IsLastAdmin(person)) return LastAdmin(person, "remove");
        var now = time.GetUtcNow();
        s.People[index] = person with { Status = PersonStatus.Removed, Since = now };
        s.History.Add(new(now, CallerContext.Actor, "person-removed", $"{key} ({person.Role})"));
        await state.WriteStateAsync();
        return CommandResult.Ok(key);
    }

    public async Task RecordInvitationAsync(string email, bool sent, string detail)
    {
        var key = Normalize(email);
        var s = state.State;
        var index = s.People.FindIndex(p => p.Email == key);
        if (index < 0) return;
        s.People[index] = s.People[index] with { InvitationSent = s.People[index].InvitationSent || sent };
        s.History.Add(new(time.GetUtcNow(), CallerContext.Actor, sent ? "invitation-sent" : "invitation-failed", $"{key}: {detail}"));
        await state.WriteStateAsync();
    }

    public async Task CancelInvitationAsync(string email, string reason)
    {
        var key = Normalize(email);
        var s = state.State;
        if (s.People.RemoveAll(p => p.Email == key && p.Status == PersonStatus.Active && !p.InvitationSent) == 0) return;
        s.History.Add(new(time.GetUtcNow(), CallerContext.Actor, "invitation-cancelled", $"{key}: {reason}"));
        await state.WriteStateAsync();
    }

    public Task<PersonAccess> AccessOfAsync(string subject, string? accountId = null)
    {
        if (accountId is not null && state.State.ClosedAccounts.Contains(accountId))
        {
            return Task.FromResult(new PersonAccess(PersonStatus.Removed, null));
        }
        var key = Normalize(subject);
        if (state.State.Clients.FirstOrDefault(c => c.ClientId == subject) is { } client)
        {
            // A partner client: revoked means its tokens stop working at once, like a removed person's.
            return Task.FromResult(new PersonAccess(client.Status == CredentialStatus.Revoked ? PersonStatus.Removed : PersonStatus.Active, null));
        }
        var person = state.State.People.FirstOrDefault(p => p.Email == key);
        return Task.FromResult(person is null ? new PersonAccess(null, null) : new PersonAccess(person.Status, person.Role));
    }

    public async Task<CommandResult> CloseAccountAsync()
    {
        var caller = CallerContext.Current;
        var decision = ViewerCapabilities.CloseAccount(caller);
        if (!decision.Allowed) return CommandResult.Refused(decision);
        if (caller.Organisation != Id) return CommandResult.Refused(Decision.Forbidden($"Your account belongs to {caller.Organisation}, not {Id}."));
        if (!state.State.ClosedAccounts.Contains(caller.AccountId!))
        {
            state.State.ClosedAccounts.Add(caller.AccountId!);
            // The record names no one: the account is gone, and so is the address.
            state.State.History.Add(new(time.GetUtcNow(), "resident", "account-closed", "A resident closed their account."));
            await state.WriteStateAsync();
        }
        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> AddClientAsync(AddPartnerClient command)
    {
        if (Check() is { Succeeded: false } refused) return refused;
        var errors = OrganisationPolicy.ValidateClient(Kind, command.Name, command.Scopes);
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var clientId = $"{Id.ToLowerInvariant()}-{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        var now = time.GetUtcNow();
        // A plain array: the JSON grain storage records the runtime type of an interface-typed list, and the type a
        // collection expression makes for IReadOnlyList cannot be read back.
        state.State.Clients.Add(new(clientId, command.Name!.Trim(), command.Scopes!.Distinct().ToArray(), CredentialStatus.Active, now, null, Created: false));
        state.State.History.Add(new(now, CallerContext.Actor, "client-added", $"{clientId} ({command.Name!.Trim()}): {string.Join(" ", command.Scopes!.Distinct())}"));
        await state.WriteStateAsync();
        return CommandResult.Ok(clientId);
    }

    public async Task RecordClientAsync(string clientId, bool created, string detail)
    {
        var s = state.State;
        var index = s.Clients.FindIndex(c => c.ClientId == clientId);
        if (index < 0) return;
        if (created) s.Clients[index] = s.Clients[index] with { Created = true };
        else s.Clients.RemoveAt(index);
        s.History.Add(new(time.GetUtcNow(), CallerContext.Actor, created ? "client-created" : "client-not-created", $"{clientId}: {detail}"));
        await state.WriteStateAsync();
    }

    public async Task<CommandResult> ChangeClientAsync(string? clientId, ClientChange change)
    {
        if (Check() is { Succeeded: false } refused) return refused;
        var s = state.State;
        var index = s.Clients.FindIndex(c => c.ClientId == clientId && c.Created);
        if (index < 0) return CommandResult.Fail("clientId", ViolationCodes.NotFound, $"{s.Name} has no partner client '{clientId}'.");
        var client = s.Clients[index];
        if (client.Status == CredentialStatus.Revoked)
        {
            return change == ClientChange.Revoke
                ? CommandResult.Ok(client.ClientId)
                : CommandResult.Fail("clientId", ViolationCodes.OutOfRange, $"Partner client '{clientId}' was revoked; create a new one.");
        }
        var now = time.GetUtcNow();
        s.Clients[index] = change == ClientChange.Revoke ? client with { Status = CredentialStatus.Revoked } : client with { RotatedAt = now };
        s.History.Add(new(now, CallerContext.Actor, change == ClientChange.Revoke ? "client-revoked" : "client-secret-rotated", client.ClientId));
        await state.WriteStateAsync();
        return CommandResult.Ok(client.ClientId);
    }

    public async Task<CommandResult> AddOpen311KeyAsync(AddOpen311Key command)
    {
        if (Check() is { Succeeded: false } refused) return refused;
        var name = command.Name;
        var errors = new List<RuleViolation>();
        Rules.RequireText(errors, "name", name, OrganisationPolicy.MaxClientNameLength);
        if (command.Hash is not { Length: 64 } || state.State.Open311Keys.Any(k => k.Hash == command.Hash))
        {
            errors.Add(new("key", ViolationCodes.InvalidFormat, "The key's hash is missing or used already."));
        }
        if (Kind != OrganisationKind.Municipality)
        {
            errors.Add(new("organisationId", ViolationCodes.OutOfRange, "Open311 keys file requests in a municipality's jurisdiction; only a municipality issues them."));
        }
        if (errors.Count > 0) return CommandResult.Fail(errors);
        var now = time.GetUtcNow();
        var keyId = $"k{state.State.Open311Keys.Count + 1}";
        state.State.Open311Keys.Add(new(keyId, name!.Trim(), command.Prefix, command.Hash, CredentialStatus.Active, now));
        state.State.History.Add(new(now, CallerContext.Actor, "open311-key-added", $"{keyId} ({name!.Trim()}), {command.Prefix}…"));
        state.State.Pending.Add(PendingEffect.SetOpen311Key(command.Hash, Id, name!.Trim(), CredentialStatus.Active));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(keyId);
    }

    public async Task<CommandResult> RevokeOpen311KeyAsync(string? keyId)
    {
        if (Check() is { Succeeded: false } refused) return refused;
        var s = state.State;
        var index = s.Open311Keys.FindIndex(k => k.KeyId == keyId);
        if (index < 0) return CommandResult.Fail("keyId", ViolationCodes.NotFound, $"{s.Name} has no Open311 key '{keyId}'.");
        var key = s.Open311Keys[index];
        if (key.Status == CredentialStatus.Revoked) return CommandResult.Ok(key.KeyId);
        var now = time.GetUtcNow();
        s.Open311Keys[index] = key with { Status = CredentialStatus.Revoked };
        s.History.Add(new(now, CallerContext.Actor, "open311-key-revoked", $"{key.KeyId} ({key.Name})"));
        s.Pending.Add(PendingEffect.SetOpen311Key(key.Hash, Id, key.Name, CredentialStatus.Revoked));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(key.KeyId);
    }



    public Task<OrganisationCapabilities> CapabilitiesAsync()
    {
        var manage = state.RecordExists && OrganisationPolicy.ManagePeople(CallerContext.Current, Id, Kind).Allowed;
        return Task.FromResult(new OrganisationCapabilities(manage, manage ? StaffRoles.For(Kind) : [], manage ? StaffRoles.PartnerScopes(Kind) : [],
            OrganisationPolicy.ManageWebhooks(CallerContext.Current, Id).Allowed));
    }

    /// <summary>The organisation exists and the caller may manage its people.</summary>
    private CommandResult Check()
    {
        if (!state.RecordExists) return CommandResult.Fail("organisation", ViolationCodes.NotFound, $"No organisation '{Id}' is registered.");
        var decision = OrganisationPolicy.ManagePeople(CallerContext.Current, Id, Kind);
        return decision.Allowed ? CommandResult.Ok(Id) : CommandResult.Refused(decision);
    }

    /// <summary>An organisation always keeps an admin: someone must be able to invite the next one.</summary>
    private bool IsLastAdmin(Person person) =>
        person.Role == StaffRoles.AdminOf(Kind)
        && state.State.People.Count(p => p.Status == PersonStatus.Active && p.Role == person.Role) == 1;

    private CommandResult LastAdmin(Person person, string verb) =>
        CommandResult.Fail("email", ViolationCodes.OutOfRange, $"{person.Email} is the last admin of {state.State.Name}; invite another admin before you {verb} them.");

    private CommandResult NoSuchPerson(string? email) =>
        CommandResult.Fail("email", ViolationCodes.NotFound, $"Nobody with the address '{email}' works at {state.State.Name}.");

    private static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();
}
