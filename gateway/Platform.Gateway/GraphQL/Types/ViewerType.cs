using GraphQL.Types;
using Platform.Domain.Access;

namespace Platform.Gateway.GraphQL.Types;

public sealed class CallerKindType : EnumerationGraphType<CallerKind>
{
    public CallerKindType() => Name = "CallerKind";
}

public sealed class ViewerType : ObjectGraphType<Caller>
{
    public ViewerType()
    {
        Name = "Viewer";
        Description = "The caller as the gateway sees it: kind, subject, the organisation (tenant) it acts for, roles and scopes.";
        Field<NonNullGraphType<CallerKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field(x => x.Subject);
        Field(x => x.Organisation, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Resolve(ctx => ctx.Source.Roles);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes").Resolve(ctx => ctx.Source.Scopes);
        Field<TenantType>("tenant").Description("The tenant this request resolved to (from the token, a /t/{tenant} link or the host).")
            .Resolve(ctx => Platform.Gateway.Access.AccessErrors.Tenant(ctx).HasResolvedTenant ? Platform.Gateway.Access.AccessErrors.Tenant(ctx) : null);
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
