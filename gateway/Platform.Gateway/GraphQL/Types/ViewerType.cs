using GraphQL.Types;
using Platform.Domain.Access;
using Platform.Grains.Arrangements;

namespace Platform.Gateway.GraphQL.Types;

public sealed class CallerKindType : EnumerationGraphType<CallerKind>
{
    public CallerKindType() => Name = "CallerKind";
}

public sealed class ViewerType : ObjectGraphType<Caller>
{
    private static async Task<List<Platform.Grains.Arrangements.ArrangementSnapshot>> WorkedOnAsync(IGrainFactory grains, Caller caller)
    {
        IEnumerable<string> ids;
        if (caller.IsOperator || caller.Kind == CallerKind.User && caller.IsExecutorStaff || caller.Kind == CallerKind.Partner)
        {
            ids = (await grains.GetGrain<Platform.Grains.Catalogs.ICatalogGrain>(Platform.Grains.Catalogs.CatalogNames.Arrangements).PageAsync(null, 100)).Ids;
        }
        else if (caller.Organisation is { } code && Platform.Domain.Municipalities.MunicipalityCode.IsValid(code))
        {
            ids = (await grains.GetGrain<Platform.Grains.Municipalities.IMunicipalityGrain>(code).GetAsync())?.ArrangementIds ?? [];
        }
        else
        {
            return [];
        }
        var all = await Task.WhenAll(ids.Select(id => grains.GetGrain<Platform.Grains.Arrangements.IArrangementGrain>(id).GetAsync()));
        return all.OfType<Platform.Grains.Arrangements.ArrangementSnapshot>()
            .Where(a => caller.IsOperator || caller.Organisation is null || a.ExecutingOrganisationId == caller.Organisation || a.Members.Any(m => m.MunicipalityCode == caller.Organisation))
            .ToList();
    }

    public ViewerType()
    {
        Name = "Viewer";
        Description = "The caller as the gateway sees it: kind, subject, the organisation (tenant) it acts for, roles and scopes.";
        Field<NonNullGraphType<CallerKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field(x => x.Subject);
        Field(x => x.Organisation, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Resolve(ctx => ctx.Source.Roles);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes").Resolve(ctx => ctx.Source.Scopes);
        Field<NonNullGraphType<ViewerCapabilitiesType>>("can")
            .Description("What you may do on the platform as a whole; each object says what you may do with it (viewerCan).")
            .Resolve(ctx => ViewerCapabilities.Of(ctx.Source));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ArrangementType>>>>("arrangements")
            .Description("The arrangements you work on: your municipality's, the ones your organisation executes, or all of them for an operator.")
            .ResolveAsync(async ctx => await WorkedOnAsync(ctx.Grains(), ctx.Source));
        Field<TenantType>("tenant").Description("The tenant this request resolved to (from the token, a /t/{tenant} link or the host).")
            .Resolve(ctx => Platform.Gateway.Access.AccessErrors.Tenant(ctx).HasResolvedTenant ? Platform.Gateway.Access.AccessErrors.Tenant(ctx) : null);
    }
}

public sealed class ViewerCapabilitiesType : ObjectGraphType<ViewerCapabilities>
{
    public ViewerCapabilitiesType()
    {
        Name = "ViewerCapabilities";
        Field(x => x.OnboardMunicipalities);
        Field(x => x.RegisterOrganisations);
        Field(x => x.CreateArrangements);
        Field(x => x.FileComplaints);
        Field(x => x.HandleComplaints).Description("Triage the complaints of your municipality or organisation.");
        Field(x => x.ManagePeople).Description("Invite, change and remove your organisation's people.");
        Field(x => x.UseConsole);
        Field(x => x.CloseOwnAccount).Description("Close your own account (residents; staff are removed by their organisation).");
    }
}

public sealed class TenantKindType : EnumerationGraphType<Platform.MultiTenancy.TenantKind>
{
    public TenantKindType() => Name = "TenantKind";
}

public sealed class TenantType : ObjectGraphType<Platform.MultiTenancy.MultiTenantContext>
{
    public TenantType()
    {
        Name = "Tenant";
        Description = "An organisation: a municipality or an executing organisation.";
        Field<NonNullGraphType<StringGraphType>>("id").Resolve(ctx => ctx.Source.TenantInfo!.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.TenantInfo!.Name);
        Field<NonNullGraphType<TenantKindType>>("kind").Resolve(ctx => ctx.Source.TenantInfo!.Kind);
        Field<NonNullGraphType<StringGraphType>>("resolvedBy").Description("claim, route, host or header").Resolve(ctx => ctx.Source.StrategyName);
    }
}
