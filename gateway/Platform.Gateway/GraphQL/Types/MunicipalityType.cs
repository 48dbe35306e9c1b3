using GraphQL.Types;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;

namespace Platform.Gateway.GraphQL.Types;

public sealed class MunicipalityType : ObjectGraphType<MunicipalitySnapshot>
{
    public const string TypeName = "Municipality";

    public MunicipalityType()
    {
        Name = TypeName;
        Description = "A municipality (gemeente): a tenant of the platform and a member of arrangements.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is MunicipalitySnapshot;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(TypeName, ctx.Source.Code));
        Field(x => x.Code).Description("The CBS code, e.g. GM0363.");
        Field(x => x.Name);
        Field(x => x.Inhabitants).Description("Inhabitants on inhabitantsReferenceDate; the basis of vote weights.");
        Field<NonNullGraphType<CalendarDateGraphType>>("inhabitantsReferenceDate").Resolve(ctx => ctx.Source.InhabitantsReferenceDate);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("onboardedAt").Resolve(ctx => ctx.Source.OnboardedAt);
        Field<NonNullGraphType<MunicipalityCapabilitiesType>>("viewerCan")
            .Description("What you may do with this municipality, by the same rule the municipality applies.")
            .Resolve(ctx => new MunicipalityCapabilities(Platform.Domain.Access.ArrangementPolicy.SetPortalTheme(Platform.Gateway.Access.AccessErrors.Caller(ctx), ctx.Source.Code).Allowed));
        Field(x => x.PortalTheme).Description($"How its portal pages look: {string.Join(", ", Platform.Domain.Municipalities.PortalThemes.Names)} (NL Design System token sets; neutral is the platform's own; custom its own colours).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("portalThemeChoices")
            .Description("The looks its admin may choose now for portalTheme: its own colours (custom) only once it has given them.")
            .Resolve(ctx => Platform.Domain.Municipalities.PortalThemes.Choosable(ctx.Source.PortalColours is not null));
        Field<PortalColoursType>("portalColours").Description("Its own colours, when it gave them (worn when portalTheme is custom).").Resolve(ctx => ctx.Source.PortalColours);
        Field<PortalLogoType>("portalLogo").Description("Its logo in the portal's header, when its admin uploaded one.")
            .Resolve(ctx => ctx.Source.PortalLogo is { } logo ? new PortalLogoView(ctx.Source.Code, logo) : null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ArrangementType>>>>("arrangements")
            .Description("The arrangements this municipality is a member of.")
            .ResolveAsync(async ctx =>
            {
                var all = await Task.WhenAll(ctx.Source.ArrangementIds.Select(id => ctx.ArrangementAsync(id)));
                return all.Where(a => a is not null).ToList();
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HistoryEntryType>>>>("history")
            .Description("Every change to this municipality: who, when, what.")
            .Resolve(ctx => ctx.Source.History);
    }
}

public sealed record MunicipalityCapabilities(bool SetPortalTheme);

public sealed class MunicipalityCapabilitiesType : ObjectGraphType<MunicipalityCapabilities>
{
    public MunicipalityCapabilitiesType()
    {
        Name = "MunicipalityCapabilities";
        Field(x => x.SetPortalTheme).Description("Choose how the municipality's portal looks (its own admin).");
    }
}

public sealed class PortalColoursType : ObjectGraphType<Platform.Domain.Municipalities.PortalColours>
{
    public PortalColoursType()
    {
        Name = "PortalColours";
        Description = "A municipality's own portal colours, each #rrggbb, checked for contrast when given.";
        Field(x => x.Brand).Description("The header's background.");
        Field(x => x.BrandText).Description("The header's text.");
        Field(x => x.Accent).Description("Links and buttons.");
    }
}

/// <summary>A municipality's logo with the code its address is made of.</summary>
public sealed record PortalLogoView(string Code, Platform.Domain.Municipalities.PortalLogo Logo);

public sealed class PortalLogoType : ObjectGraphType<PortalLogoView>
{
    public PortalLogoType()
    {
        Name = "PortalLogo";
        Description = "A municipality's logo: decoded and stored again without metadata; read at url (on this gateway), cached for a year there.";
        Field<NonNullGraphType<StringGraphType>>("url").Description("Its address on this gateway, with its version: a new logo has a new address.")
            .Resolve(ctx => Platform.Gateway.Municipalities.PortalLogoEndpoints.PathOf(ctx.Source.Code, ctx.Source.Logo));
        Field<NonNullGraphType<StringGraphType>>("contentType").Resolve(ctx => ctx.Source.Logo.ContentType);
        Field<NonNullGraphType<IntGraphType>>("width").Resolve(ctx => ctx.Source.Logo.Width);
        Field<NonNullGraphType<IntGraphType>>("height").Resolve(ctx => ctx.Source.Logo.Height);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("uploadedAt").Resolve(ctx => ctx.Source.Logo.UploadedAt);
    }
}
