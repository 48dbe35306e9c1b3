using GraphQL;
using GraphQL.Types;
using Platform.Domain.Organisations;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains.Organisations;

namespace Platform.Gateway.People;

public sealed class OrganisationKindType : EnumerationGraphType<OrganisationKind>
{
    public OrganisationKindType() => Name = "OrganisationKind";
}

public sealed class PersonStatusType : EnumerationGraphType<PersonStatus>
{
    public PersonStatusType() => Name = "PersonStatus";
}

/// <summary>An organisation: the tenant. Its people are shown to its admins and platform operators only.</summary>
public sealed class OrganisationType : ObjectGraphType<OrganisationSnapshot>
{
    public const string TypeName = "Organisation";

    public OrganisationType()
    {
        Name = TypeName;
        Description = "An organisation, the tenant: a municipality (key: its CBS code) or an executing organisation (key: a short id).";
        Interface<NodeInterface>();
        IsTypeOf = o => o is OrganisationSnapshot;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(TypeName, ctx.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Description("The CBS code or the executing organisation's id.").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Name);
        Field<NonNullGraphType<OrganisationKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("registeredAt").Resolve(ctx => ctx.Source.RegisteredAt);
        Field<NonNullGraphType<OrganisationCapabilitiesType>>("viewerCan")
            .Description("What you may do with this organisation: decided by the organisation itself.")
            .ResolveAsync(async ctx => await ctx.Grains().GetGrain<IOrganisationGrain>(ctx.Source.Id).CapabilitiesAsync());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PersonType>>>>("people")
            .Description("Who works here and in which role (its admins and platform operators only).")
            .ResolveAsync(async ctx => (await PeopleAsync(ctx)).People);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HistoryEntryType>>>>("history")
            .Description("Who invited, changed or removed whom, and created or revoked which credentials (its admins and platform operators only).")
            .ResolveAsync(async ctx => (await PeopleAsync(ctx)).History);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PartnerClientType>>>>("partnerClients")
            .Description("Its systems' client-credentials clients (its admins and platform operators only).")
            .ResolveAsync(async ctx => (await PeopleAsync(ctx)).Clients ?? []);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Open311KeyType>>>>("open311Keys")
            .Description("Its Open311 API keys, by id and first characters (its admins and platform operators only).")
            .ResolveAsync(async ctx => (await PeopleAsync(ctx)).Open311Keys ?? []);
        Platform.Gateway.Notifications.WebhookFields.AddTo(this);
    }

    private static async Task<PeopleView> PeopleAsync(IResolveFieldContext<OrganisationSnapshot> ctx)
    {
        var view = await ctx.Grains().GetGrain<IOrganisationGrain>(ctx.Source.Id).PeopleAsync();
        AccessErrors.ThrowIfRefused(view.Access);
        return view;
    }
}

public sealed class OrganisationCapabilitiesType : ObjectGraphType<OrganisationCapabilities>
{
    public OrganisationCapabilitiesType()
    {
        Name = "OrganisationCapabilities";
        Field(x => x.ManagePeople).Description("Invite people, change their roles, remove them.");
        Field(x => x.ManageWebhooks).Description("Register, remove and redeliver its webhooks, and read their delivery log.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("assignableRoles")
            .Description("The roles you may give people here.").Resolve(ctx => ctx.Source.AssignableRoles);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("grantableScopes")
            .Description("The scopes you may give this organisation's partner clients.").Resolve(ctx => ctx.Source.GrantableScopes ?? []);
    }
}

public sealed class PersonType : ObjectGraphType<Person>
{
    public PersonType()
    {
        Name = "Person";
        Description = "Someone who works for an organisation.";
        Field(x => x.Email);
        Field(x => x.Name);
        Field(x => x.Role);
        Field<NonNullGraphType<PersonStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("since").Description("Since when the person has this role or status.").Resolve(ctx => ctx.Source.Since);
        Field(x => x.InvitationSent).Description("Whether the invitation mail went out.");
    }
}

public sealed class OrganisationEdgeType() : EdgeType<OrganisationType, OrganisationSnapshot>("Organisation");
public sealed class OrganisationConnectionType() : ConnectionType<OrganisationType, OrganisationEdgeType, OrganisationSnapshot>("Organisation");

public sealed class CredentialStatusType : EnumerationGraphType<CredentialStatus>
{
    public CredentialStatusType() => Name = "CredentialStatus";
}

public sealed class PartnerClientType : ObjectGraphType<PartnerClient>
{
    public PartnerClientType()
    {
        Name = "PartnerClient";
        Description = "A system of the organisation that calls the API with client credentials.";
        Field(x => x.ClientId);
        Field(x => x.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes").Resolve(ctx => ctx.Source.Scopes);
        Field<NonNullGraphType<CredentialStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<DateTimeOffsetGraphType>("rotatedAt").Resolve(ctx => ctx.Source.RotatedAt);
    }
}

public sealed class Open311KeyType : ObjectGraphType<Open311Key>
{
    public Open311KeyType()
    {
        Name = "Open311Key";
        Description = "An Open311 API key: its id, what it is for and its first characters; the key itself is not kept.";
        Field(x => x.KeyId);
        Field(x => x.Name);
        Field(x => x.Prefix);
        Field<NonNullGraphType<CredentialStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
    }
}

public sealed class PartnerClientPayloadType : PayloadType
{
    public PartnerClientPayloadType() : base("PartnerClientPayload")
    {
        Field<PartnerClientType>("client").ResolveAsync(async ctx =>
        {
            if (ctx.Source.Subject is not { } id || ctx.Source.Result.Id is not { } clientId) return null;
            return (await ctx.Grains().GetGrain<IOrganisationGrain>(id).PeopleAsync()).Clients?.FirstOrDefault(c => c.ClientId == clientId);
        });
        Field<StringGraphType>("secret")
            .Description("The client secret, in the answer to the request that made it only (never stored by the gateway; a replay answers null).")
            .Resolve(ctx => ctx.UserContext.TryGetValue(CredentialMutations.SecretKey, out var s) && s is IdentityAdminClient.ClientSecret secret ? secret.Secret : null);
        Field<DateTimeOffsetGraphType>("previousSecretValidUntil")
            .Description("After a rotation: until when the previous secret still works.")
            .Resolve(ctx => ctx.UserContext.TryGetValue(CredentialMutations.SecretKey, out var s) && s is IdentityAdminClient.ClientSecret secret ? secret.PreviousSecretValidUntil : null);
    }
}

public sealed class Open311KeyPayloadType : PayloadType
{
    public Open311KeyPayloadType() : base("Open311KeyPayload")
    {
        Field<Open311KeyType>("key").ResolveAsync(async ctx =>
        {
            if (ctx.Source.Subject is not { } id || ctx.Source.Result.Id is not { } keyId) return null;
            return (await ctx.Grains().GetGrain<IOrganisationGrain>(id).PeopleAsync()).Open311Keys?.FirstOrDefault(k => k.KeyId == keyId);
        });
        Field<StringGraphType>("apiKey")
            .Description("The key, in the answer to the request that made it only (never stored; a replay answers null).")
            .Resolve(ctx => ctx.UserContext.TryGetValue(CredentialMutations.SecretKey, out var s) ? s as string : null);
    }
}

public sealed class OrganisationPayloadType : PayloadType
{
    public OrganisationPayloadType() : base("OrganisationPayload")
    {
        Field<OrganisationType>("organisation").ResolveAsync(async ctx =>
            ctx.Source.Subject is { } id ? await ctx.Grains().GetGrain<IOrganisationGrain>(id).GetAsync() : null);
    }
}

public sealed class PersonPayloadType : PayloadType
{
    public PersonPayloadType() : base("PersonPayload")
    {
        Field<OrganisationType>("organisation").ResolveAsync(async ctx =>
            ctx.Source.Subject is { } id ? await ctx.Grains().GetGrain<IOrganisationGrain>(id).GetAsync() : null);
        Field<PersonType>("person").ResolveAsync(async ctx =>
        {
            if (ctx.Source.Subject is not { } id || ctx.Source.Result.Id is not { } email) return null;
            var view = await ctx.Grains().GetGrain<IOrganisationGrain>(id).PeopleAsync();
            return view.People.FirstOrDefault(p => p.Email == email);
        });
    }
}

public sealed class RegisterOrganisationInput : MutationInput
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string AdminEmail { get; set; } = "";
    public string AdminName { get; set; } = "";
}

public sealed class RegisterOrganisationInputType : MutationInputType<RegisterOrganisationInput>
{
    public RegisterOrganisationInputType() : base("RegisterOrganisationInput")
    {
        Field(x => x.Id).Description("A short id: lower-case letters, digits and hyphens, e.g. afvalbedrijf-nhn.");
        Field(x => x.Name);
        Field(x => x.AdminEmail).Description("Its first admin, who is invited by mail.");
        Field(x => x.AdminName);
    }
}

public sealed class PersonInput : MutationInput
{
    public string OrganisationId { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Name { get; set; }
    public string? Role { get; set; }
}

public sealed class InvitePersonInputType : MutationInputType<PersonInput>
{
    public InvitePersonInputType() : base("InvitePersonInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.Email);
        Field(x => x.Name, nullable: false);
        Field(x => x.Role, nullable: false).Description("One of the organisation's roles (its viewerCan.assignableRoles).");
    }
}

public sealed class ChangePersonRoleInputType : MutationInputType<PersonInput>
{
    public ChangePersonRoleInputType() : base("ChangePersonRoleInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.Email);
        Field(x => x.Role, nullable: false);
    }
}

public sealed class RemovePersonInputType : MutationInputType<PersonInput>
{
    public RemovePersonInputType() : base("RemovePersonInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field(x => x.Email);
    }
}
