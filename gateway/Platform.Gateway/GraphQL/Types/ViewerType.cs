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
    }
}
