using GraphQL;
using GraphQL.Types;
using Platform.Domain.Arrangements;
using Platform.Domain.Tariffs;
using Platform.Grains.Arrangements;
using Platform.Domain.Calendar;

namespace Platform.Gateway.GraphQL.Types;

public sealed class ArrangementType : ObjectGraphType<ArrangementSnapshot>
{
    public const string TypeName = "Arrangement";

    public ArrangementType()
    {
        Name = TypeName;
        Description = "A joint arrangement (gemeenschappelijke regeling): municipalities that share an executing organisation for a service.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is ArrangementSnapshot;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(TypeName, ctx.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Description("The arrangement's own short id, e.g. afval-nhn.").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Name);
        Field<NonNullGraphType<Platform.Gateway.People.OrganisationType>>("executingOrganisation")
            .Description("The organisation that does the work (uitvoeringsorganisatie).")
            .ResolveAsync(async ctx => await ExecutorAsync(ctx.Grains(), ctx.Source.ExecutingOrganisationId, ctx.Source.ExecutingOrganisation));
        Field<NonNullGraphType<VoteWeightType>>("voteWeight").Resolve(ctx => ctx.Source.WeightRule);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MemberType>>>>("members").Resolve(ctx => ctx.Source.Members);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ServiceType>>>>("services").Resolve(ctx => ctx.Source.Services);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TariffType>>>>("tariffs")
            .Description("The price of each service on a date (default: today in Europe/Amsterdam). A service with no price that day is left out.")
            .Argument<CalendarDateGraphType>("on")
            .Resolve(ctx =>
            {
                var on = ctx.GetArgument<DateOnly?>("on") ?? ctx.Time().TodayInAmsterdam();
                return Views(ctx.Source, TariffSchedule.On(ctx.Source.Tariffs, on));
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TariffType>>>>("tariffHistory")
            .Description("Every tariff ever set, per service in date order, each with the decision that set it.")
            .Argument<StringGraphType>("serviceCode")
            .Resolve(ctx => Views(ctx.Source, TariffSchedule.History(ctx.Source.Tariffs, ctx.GetArgument<string?>("serviceCode"))));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DecisionRuleType>>>>("decisionRules")
            .Description("How each kind of proposal is decided: recorded from the statutes, else the default.")
            .Resolve(ctx => ctx.Source.EffectiveRules);
        Field<NonNullGraphType<ProposalConnectionType>>("proposals")
            .Description("Proposed changes, newest first.")
            .Argument<BooleanGraphType>("open", "true: only those still open; false: only closed ones.")
            .Arguments(Paging.Arguments())
            .ResolveAsync(async ctx => await Proposals.PageAsync(ctx));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ArrangementDecisionType>>>>("decisions")
            .Description("Adopted proposals and what each changed, oldest first.")
            .Argument<CalendarDateGraphType>("appliedSince", "Only those carried out on or after this day (Amsterdam), e.g. the last seven months for their measurements.")
            .Resolve(ctx => ctx.GetArgument<DateOnly?>("appliedSince") is { } since
                ? (ctx.Source.Decisions ?? []).Where(d => AmsterdamCalendar.DateOf(d.AppliedAt) >= since).ToList()
                : ctx.Source.Decisions ?? []);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<NonNullGraphType<ArrangementCapabilitiesType>>("viewerCan")
            .Description("What you may do with this arrangement, as the arrangement decides it.")
            .ResolveAsync(async ctx => await ctx.Grains().GetGrain<IArrangementGrain>(ctx.Source.Id).CapabilitiesAsync());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HistoryEntryType>>>>("history")
            .Description("Every change to this arrangement: who, when, what.")
            .Resolve(ctx => ctx.Source.History);
        Platform.Gateway.Incidents.IncidentFields.AddTo(this);
        Platform.Gateway.ExtraWork.ExtraWorkFields.AddTo(this);
        Platform.Gateway.Consultations.ConsultationFields.AddTo(this);
        Platform.Gateway.Performance.PerformanceFields.AddTo(this);
        Platform.Gateway.PriceReviews.PriceReviewFields.AddTo(this);
        Platform.Gateway.Plans.PlanFields.AddTo(this);
    }

    private static IEnumerable<TariffView> Views(ArrangementSnapshot arrangement, IEnumerable<TariffVersion> versions)
    {
        var services = arrangement.Services.ToDictionary(s => s.Code, StringComparer.Ordinal);
        return versions.Select(v => new TariffView(v, services.GetValueOrDefault(v.ServiceCode) ?? new ServiceDefinition(v.ServiceCode, v.ServiceCode)));
    }

    /// <summary>The executing organisation; an arrangement made before organisations were tenants names only a display name.</summary>
    public static async Task<Platform.Grains.Organisations.OrganisationSnapshot> ExecutorAsync(IGrainFactory grains, string? id, string displayName) =>
        (id is { Length: > 0 } key && GlobalId.IsUsableKey(key) ? await grains.GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(key).GetAsync() : null)
        ?? new Platform.Grains.Organisations.OrganisationSnapshot(id ?? "", displayName, DateTimeOffset.MinValue, Platform.Domain.Organisations.OrganisationKind.ExecutingOrganisation);
}

public sealed record TariffView(TariffVersion Version, ServiceDefinition Service);

public sealed class TariffType : ObjectGraphType<TariffView>
{
    public TariffType()
    {
        Name = "Tariff";
        Description = "A price a citizen or member pays for a service, valid for a period, with the decision that set it.";
        Field<NonNullGraphType<ServiceType>>("service").Resolve(ctx => ctx.Source.Service);
        Field<NonNullGraphType<DecimalGraphType>>("amount").Description("In euros.").Resolve(ctx => ctx.Source.Version.Amount);
        Field<NonNullGraphType<StringGraphType>>("currency").Resolve(ctx => ctx.Source.Version.Currency);
        Field<NonNullGraphType<StringGraphType>>("unit")
            .Description("As people write it, e.g. 'per 0.5 m³' or 'per jaar'; asked for EN, the measure's English name where it has one ('per year').")
            .Argument<LanguageType>("language", "NL (the default) or EN.")
            .Resolve(ctx => ctx.Source.Version.UnitIn(ctx.GetArgument<string?>("language")));
        Field<NonNullGraphType<DecimalGraphType>>("unitQuantity").Resolve(ctx => ctx.Source.Version.UnitQuantity);
        Field<NonNullGraphType<StringGraphType>>("unitMeasure").Resolve(ctx => ctx.Source.Version.UnitMeasure);
        Field<NonNullGraphType<CalendarDateGraphType>>("validFrom").Resolve(ctx => ctx.Source.Version.ValidFrom);
        Field<CalendarDateGraphType>("validTo").Description("The last day it applies; null while it has no end.").Resolve(ctx => ctx.Source.Version.ValidTo);
        Field<StringGraphType>("decidedBy").Description("The decision that set this tariff.").Resolve(ctx => ctx.Source.Version.DecidedBy);
        Field<ProposalType>("decidedByProposal")
            .Description("The adopted proposal that set this tariff, when it was set on the platform.")
            .ResolveAsync(async ctx => ctx.Source.Version.DecidedBy is { } key && key.StartsWith("p-", StringComparison.Ordinal)
                ? await ctx.Grains().GetGrain<Platform.Grains.Proposals.IProposalGrain>(key).GetAsync()
                : null);
    }
}

public sealed class ServiceType : ObjectGraphType<ServiceDefinition>
{
    public ServiceType()
    {
        Name = "Service";
        Description = "A service the executing organisation delivers under the arrangement.";
        Field(x => x.Code);
        Field<NonNullGraphType<StringGraphType>>("name")
            .Description("The service's name: as the arrangement writes it (Dutch), or its English translation when asked for EN and one was given.")
            .Argument<LanguageType>("language", "NL (the default) or EN.")
            .Resolve(ctx => ctx.Source.NameIn(ctx.GetArgument<string?>("language")));
        Field(x => x.NameEn, nullable: true).Description("The English translation, when one was given.");
        Field<NonNullGraphType<ServiceLevelType>>("serviceLevel")
            .Description("What the executing organisation promised for complaints about this service (the default when none was agreed).")
            .Resolve(ctx => ctx.Source.ServiceLevel);
    }
}

public sealed class ServiceLevelType : ObjectGraphType<Platform.Domain.ServiceLevels.ServiceLevel>
{
    public ServiceLevelType()
    {
        Name = "ServiceLevel";
        Field(x => x.DaysToAcknowledge);
        Field(x => x.DaysToResolve);
        Field<NonNullGraphType<DayCountingType>>("counting").Resolve(ctx => ctx.Source.Counting);
    }
}

public sealed class VoteWeightKindType : EnumerationGraphType<VoteWeightKind>
{
    public VoteWeightKindType() => Name = "VoteWeightKind";
}

public sealed class VoteWeightType : ObjectGraphType<VoteWeightRule>
{
    public VoteWeightType()
    {
        Name = "VoteWeight";
        Description = "How a member's weight in the Board follows from its inhabitants.";
        Field<NonNullGraphType<VoteWeightKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<IntGraphType>("inhabitantsPerVote").Resolve(ctx => ctx.Source.Kind == VoteWeightKind.ByInhabitants ? ctx.Source.InhabitantsPerVote : null);
    }
}

public sealed class MemberType : ObjectGraphType<Member>
{
    public MemberType()
    {
        Name = "Member";
        Description = "A member municipality of an arrangement and the basis of its vote weight.";
        Field<NonNullGraphType<MunicipalityType>>("municipality")
            .ResolveAsync(async ctx => await RequestReads.MunicipalityAsync(ctx, ctx.Source.MunicipalityCode));
        Field(x => x.Weight).Description("The member's weight in the Board's votes.");
        Field(x => x.Inhabitants).Description("Inhabitants the weight was computed from.");
        Field<NonNullGraphType<CalendarDateGraphType>>("inhabitantsReferenceDate").Resolve(ctx => ctx.Source.InhabitantsReferenceDate);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("joinedAt").Resolve(ctx => ctx.Source.JoinedAt);
        Field<CalendarDateGraphType>("lastDay").Description("The last day of its membership; null while it has no end.").Resolve(ctx => ctx.Source.LastDay);
        Field<NonNullGraphType<BooleanGraphType>>("current").Description("Whether it is a member today (Amsterdam date).")
            .Resolve(ctx => ctx.Source.IsMemberOn(Platform.Domain.Calendar.AmsterdamCalendar.DateOf(ctx.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow())));
    }
}

public sealed class HistoryEntryType : ObjectGraphType<Platform.Grains.HistoryEntry>
{
    public HistoryEntryType()
    {
        Name = "HistoryEntry";
        Description = "One recorded change: who did what, when.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field(x => x.Actor);
        Field(x => x.Action);
        Field(x => x.Detail);
    }
}

public sealed class MunicipalityEdgeType() : EdgeType<MunicipalityType, Platform.Grains.Municipalities.MunicipalitySnapshot>(MunicipalityType.TypeName);
public sealed class MunicipalityConnectionType() : ConnectionType<MunicipalityType, MunicipalityEdgeType, Platform.Grains.Municipalities.MunicipalitySnapshot>(MunicipalityType.TypeName);
public sealed class ArrangementEdgeType() : EdgeType<ArrangementType, ArrangementSnapshot>(ArrangementType.TypeName);
public sealed class ArrangementConnectionType() : ConnectionType<ArrangementType, ArrangementEdgeType, ArrangementSnapshot>(ArrangementType.TypeName);

public sealed class ArrangementCapabilitiesType : ObjectGraphType<ArrangementCapabilities>
{
    public ArrangementCapabilitiesType()
    {
        Name = "ArrangementCapabilities";
        Field(x => x.AddMember);
        Field(x => x.PublishTariffs).Description("Publish the initial tariff schedule (later changes are proposals).");
        Field(x => x.ProposeChange);
        Field(x => x.SetDecisionRules);
        Field(x => x.SeeComplaintFigures).Description("Your municipality's complaint figures about this arrangement.");
        Field(x => x.EndMemberships).Description("End a member's membership on a date.");
        Field(x => x.ReportIncidents).Description("Report an incident (the executing organisation's staff, a member's contract manager).");
        Field(x => x.RequestExtraWork).Description("Ask the executing organisation for extra work (a member's contract manager or admin).");
        Field(x => x.ProposePlan).Description("Propose a plan for adoption (PLAN_ADOPTION): the members, and the executing organisation for how it does the work.");
        Field(x => x.ScheduleConsultations).Description("Schedule consultations and record their minutes (the executing organisation's staff, a member's contract manager or admin).");
    }
}

/// <summary>A language of the interface: NL (the default) or EN.</summary>
public sealed class LanguageType : EnumerationGraphType
{
    public LanguageType()
    {
        Name = "Language";
        Add("NL", "nl", "Dutch, the language the arrangements write in.");
        Add("EN", "en", "English, where a translation was given.");
    }
}
