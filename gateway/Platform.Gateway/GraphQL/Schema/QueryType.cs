using GraphQL;
using GraphQL.Types;
using Platform.Domain.Municipalities;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Arrangements;
using Platform.Grains.Catalogs;
using Platform.Grains.Municipalities;
using Platform.Grains.Onboarding;
using Platform.Grains.Complaints;
using Platform.Domain.Access;

namespace Platform.Gateway.GraphQL.Schema;

public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        // Everything here is public (tariffs, members, arrangements); fields with internal notes and
        // drafts will check the caller's tenant and role through the aggregate's policy.

        Field<NonNullGraphType<ViewerType>>("viewer")
            .Description("Who the gateway takes the caller to be: anonymous without a token.")
            .Resolve(ctx => ctx.Caller());

        Field<NodeInterface>("node")
            .Description("Any object by its global id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx =>
            {
                if (!GlobalId.TryDecode(ctx.GetArgument<string>("id"), out var type, out var key) || !GlobalId.IsUsableKey(key)) return null;
                return type switch
                {
                    MunicipalityType.TypeName => await RequestReads.MunicipalityAsync(ctx, key),
                    ArrangementType.TypeName => (object?)await ctx.ArrangementAsync(key),
                    ComplaintType.TypeName => await FindComplaintAsync(ctx, key),
                    ProposalType.TypeName => await ctx.Grains().GetGrain<Platform.Grains.Proposals.IProposalGrain>(key).GetAsync(),
                    Platform.Gateway.People.OrganisationType.TypeName => await ctx.Grains().GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(key).GetAsync(),
                    _ => null,
                };
            });

        Field<MunicipalityType>("municipality")
            .Description("A municipality by its CBS code (e.g. GM0363), or null when none is onboarded with that code.")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async ctx =>
            {
                var code = MunicipalityCode.Normalize(ctx.GetArgument<string>("code"));
                return MunicipalityCode.IsValid(code) ? await RequestReads.MunicipalityAsync(ctx, code) : null;
            });

        Field<NonNullGraphType<MunicipalityConnectionType>>("municipalities")
            .Description("Every onboarded municipality, by CBS code.")
            .Arguments(Paging.Arguments())
            .ResolveAsync(async ctx => await PageAsync(ctx, CatalogNames.Municipalities, "MunicipalityCursor",
                key => RequestReads.MunicipalityAsync(ctx, key)));

        Field<Platform.Gateway.People.OrganisationType>("organisation")
            .Description("An organisation (the tenant) by its global id or key: a CBS code or an executing organisation's id; null when none is registered.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => Platform.Gateway.People.PeopleMutations.OrganisationKey(ctx.GetArgument<string>("id")) is { Length: > 0 } key
                ? await ctx.Grains().GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(key).GetAsync()
                : null);

        Field<NonNullGraphType<Platform.Gateway.People.OrganisationConnectionType>>("organisations")
            .Description("Every registered organisation, by key: municipalities and executing organisations.")
            .Argument<Platform.Gateway.People.OrganisationKindType>("kind")
            .Arguments(Paging.Arguments())
            .ResolveAsync(async ctx =>
            {
                var catalog = ctx.GetArgument<Platform.Domain.Organisations.OrganisationKind?>("kind") switch
                {
                    Platform.Domain.Organisations.OrganisationKind.Municipality => CatalogNames.Municipalities,
                    Platform.Domain.Organisations.OrganisationKind.ExecutingOrganisation => CatalogNames.ExecutingOrganisations,
                    _ => CatalogNames.Organisations,
                };
                return await PageAsync(ctx, catalog, "OrganisationCursor", key => ctx.Grains().GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(key).GetAsync());
            });

        Field<OnboardingApplicationType>("onboardingApplication")
            .Description("A municipality's application (platform operators only: it holds a contact's personal data).")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async ctx =>
            {
                AccessErrors.Enforce(ArrangementPolicy.Onboard(ctx.Caller()));
                var code = MunicipalityCode.Normalize(ctx.GetArgument<string>("code"));
                return MunicipalityCode.IsValid(code) ? await ctx.Grains().GetGrain<IOnboardingGrain>(code).GetAsync() : null;
            });

        Field<NonNullGraphType<OnboardingApplicationConnectionType>>("onboardingApplications")
            .Description("Every application, by CBS code (platform operators only).")
            .Arguments(Paging.Arguments())
            .ResolveAsync(async ctx =>
            {
                AccessErrors.Enforce(ArrangementPolicy.Onboard(ctx.Caller()));
                return await ApplicationsAsync(ctx);
            });

        Field<ComplaintType>("complaint")
            .Description("A complaint by its global id or key, or null when there is none you may see (its author, the author's municipality and the executing organisation may).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx =>
            {
                return await FindComplaintAsync(ctx, GlobalId.KeyOf(ComplaintType.TypeName, ctx.GetArgument<string>("id")));
            });

        Field<ComplaintType>("followedComplaint")
            .Description("A complaint filed without an account, by the secret in its confirmation link, as its author sees it; null before it is confirmed or for an unknown link.")
            .Argument<NonNullGraphType<StringGraphType>>("followToken")
            .ResolveAsync(async ctx => await Platform.Gateway.Complaints.ComplaintMutations.FollowAsync(ctx, ctx.GetArgument<string>("followToken")));

        Field<NonNullGraphType<Platform.Gateway.Complaints.ComplaintConnectionType>>("complaints")
            .Description("Complaints you may see (your own; your municipality's; your organisation's), newest first.")
            .Argument<Platform.Gateway.Complaints.ComplaintFilterType>("filter")
            .Arguments(Paging.Arguments())
            .ResolveAsync(async ctx => await Platform.Gateway.Complaints.ComplaintLists.PageAsync(ctx));

        Field<NonNullGraphType<Platform.Gateway.Complaints.ComplaintFiguresType>>("complaintFigures")
            .Description("For municipal staff: their municipality's complaints about one arrangement (open, overdue, resolved on time, median days).")
            .Argument<NonNullGraphType<IdGraphType>>("arrangementId")
            .ResolveAsync(async ctx => await Platform.Gateway.Complaints.ComplaintLists.FiguresAsync(ctx));

        Field<ProposalType>("proposal")
            .Description("A proposal by its global id or key (public), or null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await FindProposalAsync(ctx, ctx.GetArgument<string>("id")));

        Field<ArrangementType>("arrangement")
            .Description("An arrangement by its global id or its key (e.g. afval-nhn), or null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await FindArrangementAsync(ctx, ctx.GetArgument<string>("id")));

        Platform.Gateway.Complaints.PublicReportFields.AddQueries(this);
        Platform.Gateway.Complaints.FollowReportFields.AddQueries(this);
        Platform.Gateway.Notifications.NotificationFields.AddQueries(this);
        Platform.Gateway.Incidents.IncidentFields.AddQueries(this);
        Platform.Gateway.ExtraWork.ExtraWorkFields.AddQueries(this);
        Platform.Gateway.Consultations.ConsultationFields.AddQueries(this);

        Field<NonNullGraphType<ArrangementConnectionType>>("arrangements")
            .Description("Every arrangement, by key.")
            .Arguments(Paging.Arguments())
            .ResolveAsync(async ctx => await PageAsync(ctx, CatalogNames.Arrangements, "ArrangementCursor",
                key => ctx.ArrangementAsync(key)));
    }

    /// <summary>The complaint, when it exists and the caller may see it; ids that name none never reach a grain.</summary>
    public static async Task<ComplaintSnapshot?> FindComplaintAsync(IResolveFieldContext ctx, string key) =>
        await ctx.RequestServices!.GetRequiredService<Platform.Gateway.Complaints.KnownComplaints>().MayExistAsync(key, ctx.CancellationToken)
            ? await ctx.Grain<IComplaintGrain>(key).GetAsync()
            : null;

    public static async Task<ArrangementSnapshot?> FindArrangementAsync(IResolveFieldContext ctx, string id)
    {
        var key = GlobalId.KeyOf(ArrangementType.TypeName, id);
        return key.Length is > 0 and <= 100 ? await ctx.ArrangementAsync(key) : null;
    }

    public static async Task<Platform.Grains.Proposals.ProposalSnapshot?> FindProposalAsync(IResolveFieldContext ctx, string id)
    {
        var key = GlobalId.KeyOf(ProposalType.TypeName, id);
        return key.Length is > 0 and <= 100 ? await ctx.Grain<Platform.Grains.Proposals.IProposalGrain>(key).GetAsync() : null;
    }

    /// <summary>Every application of a page of codes (several may apply for one code); the cursor moves by code.</summary>
    private static async Task<Connection<OnboardingApplication>> ApplicationsAsync(IResolveFieldContext ctx)
    {
        const string cursorType = "OnboardingCursor";
        var (first, after) = Paging.Read(ctx, cursorType);
        var page = await ctx.Grains().GetGrain<ICatalogGrain>("onboarding-applications").PageAsync(after, first);
        var lists = await Task.WhenAll(page.Ids.Select(code => ctx.Grains().GetGrain<IOnboardingGrain>(code).ListAsync()));
        var edges = page.Ids.Zip(lists)
            .SelectMany(x => x.Second.Select(application => new Edge<OnboardingApplication>(Paging.Cursor(cursorType, x.First), application)))
            .ToList();
        return new Connection<OnboardingApplication>(edges,
            new PageInfo(page.HasNextPage, after is not null, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor),
            page.TotalCount);
    }

    private static async Task<Connection<T>> PageAsync<T>(IResolveFieldContext ctx, string catalog, string cursorType, Func<string, Task<T?>> load)
        where T : class
    {
        var (first, after) = Paging.Read(ctx, cursorType);
        var page = await ctx.Grains().GetGrain<ICatalogGrain>(catalog).PageAsync(after, first);
        var nodes = await Task.WhenAll(page.Ids.Select(load));
        var edges = page.Ids.Zip(nodes)
            .Where(x => x.Second is not null)
            .Select(x => new Edge<T>(Paging.Cursor(cursorType, x.First), x.Second!))
            .ToList();
        return new Connection<T>(edges,
            new PageInfo(page.HasNextPage, after is not null, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor),
            page.TotalCount);
    }
}
