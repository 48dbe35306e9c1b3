using GraphQL;
using GraphQL.Types;
using Platform.Domain.Performance;
using Platform.Gateway.Access;
using Platform.Gateway.Arrangements;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Performance;

namespace Platform.Gateway.Performance;

/// <summary>
/// Performance agreements: the members set output indicators under outcome goals, the executing organisation reports each
/// period's figure, the platform measures the complaint-based ones; every figure is compared with its target when it
/// arrives. Roll-ups for operations (every figure), management (per goal) and the board (one state), and per member.
/// The grain decides who may see and do what.
/// </summary>
public static class PerformanceFields
{
    public static void AddMutations(ObjectGraphType mutation)
    {
        Add<DefineIndicatorInputType, PerformanceInput>(mutation, "defineIndicator",
            "A member's contract manager or admin adds an output indicator under an outcome goal, while the agreements are provisional. A complaint-based source (COMPLAINTS_ON_TIME in %, COMPLAINTS_MEDIAN_DAYS in days) is measured by the platform after each period.",
            (grain, input) => grain.DefineIndicatorAsync(new(input.Goal, input.Name, input.Unit, input.Target, input.Direction, input.Period, input.Source, input.ServiceCode, input.AppliesFrom)));
        Add<RemoveIndicatorInputType, PerformanceInput>(mutation, "removeIndicator",
            "Takes out an indicator without figures, while the agreements are provisional.",
            (grain, input) => grain.RemoveIndicatorAsync(input.IndicatorKey));
        Add<ReportIndicatorFigureInputType, ReportFigureInput>(mutation, "reportIndicatorFigure",
            "The executing organisation reports a period's figure of a reported indicator, once, in the indicator's unit, from the period's last day until the end of the month after it. It is compared with the target at once; a deviation is announced (performance.deviation).",
            (grain, input) => grain.ReportAsync(new(input.IndicatorKey, input.Period, input.Value, input.Unit, input.Note,
                input.Members?.Select(m => new MemberFigureInput(m.MunicipalityCode, m.Value)).ToList())));
        Add<MakePerformanceAgreementDefinitiveInputType, PerformanceInput>(mutation, "makePerformanceAgreementDefinitive",
            "Ends the transition period: the agreements become definitive by an adopted policy decision or plan adoption of the arrangement that has taken effect. Their indicators are fixed from then on.",
            (grain, input) => grain.MakeDefinitiveAsync(GlobalId.KeyOf(ProposalType.TypeName, input.ProposalId) is { Length: > 0 } key ? key : input.ProposalId));
    }

    public static void AddTo(ArrangementType arrangement)
    {
        arrangement.Field<PerformanceAgreementType>("performance")
            .Description("Its performance agreements, their figures and roll-ups, for the people of its parties; null for everyone else.")
            .ResolveAsync(async ctx => ctx.Caller().IsAuthenticated ? (await ctx.Grains().GetGrain<IPerformanceAgreementGrain>(ctx.Source.Id).ViewAsync()).Agreement : null);
    }

    private static void Add<TInputType, TInput>(ObjectGraphType mutation, string name, string description, Func<IPerformanceAgreementGrain, TInput, Task<CommandResult>> run)
        where TInputType : MutationInputType<TInput>
        where TInput : MutationInput, IArrangementInput =>
        mutation.Field<NonNullGraphType<PerformanceAgreementPayloadType>>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<TInput>("input");
                return await ArrangementRecords.ActAsync(ctx, input, ArrangementType.TypeName, "arrangementId", input.ArrangementId,
                    key => run(ctx.Grains().GetGrain<IPerformanceAgreementGrain>(key), input));
            });
}

/// <summary>An indicator with its figures, oldest period first.</summary>
public sealed record IndicatorWithFigures(Indicator Indicator, IReadOnlyList<IndicatorFigure> Figures);

/// <summary>An indicator's figure with the indicator it belongs to, for lists across indicators.</summary>
public sealed record FigureOfIndicator(Indicator Indicator, IndicatorFigure Figure);

/// <summary>One member's latest complaint-based figure of an indicator.</summary>
public sealed record MemberIndicatorFigure(Indicator Indicator, IndicatorFigure Figure, MemberFigure Member)
{
    public bool Deviation => PerformanceRules.Deviates(Indicator.Direction, Figure.Target, Member.Value);
}

public sealed record MemberPerformance(string MunicipalityCode, IReadOnlyList<MemberIndicatorFigure> Figures);

public sealed class IndicatorDirectionType : EnumerationGraphType<IndicatorDirection>
{
    public IndicatorDirectionType()
    {
        Name = "IndicatorDirection";
        Description = "AT_LEAST: a figure meets the target by being at least it; AT_MOST: by being at most it.";
    }
}

public sealed class ReportingPeriodType : EnumerationGraphType<ReportingPeriod>
{
    public ReportingPeriodType()
    {
        Name = "ReportingPeriod";
        Description = "MONTH (named like 2026-11), QUARTER (2026-Q4) or YEAR (2026).";
    }
}

public sealed class IndicatorSourceType : EnumerationGraphType<IndicatorSource>
{
    public IndicatorSourceType()
    {
        Name = "IndicatorSource";
        Description = "REPORTED by the executing organisation; COMPLAINTS_ON_TIME (% of the complaints resolved in the period that were resolved by their deadline) or COMPLAINTS_MEDIAN_DAYS (median days from filing to resolution), measured by the platform.";
    }
}

public sealed class AgreementStatusType : EnumerationGraphType<AgreementStatus>
{
    public AgreementStatusType()
    {
        Name = "AgreementStatus";
        Description = "PROVISIONAL during the transition period (indicators may change), DEFINITIVE by a decision of the members.";
    }
}

public sealed class GoalStateType : EnumerationGraphType<GoalState>
{
    public GoalStateType()
    {
        Name = "GoalState";
        Description = "NO_FIGURES yet, ON_TRACK (every latest figure meets its target), ATTENTION (at least one misses it).";
    }
}

public sealed class MemberFigureType : ObjectGraphType<MemberFigure>
{
    public MemberFigureType()
    {
        Name = "MemberFigure";
        Description = "A member's share of a figure: measured from its complaints, or reported by the executing organisation.";
        Field<NonNullGraphType<StringGraphType>>("municipalityCode").Resolve(ctx => ctx.Source.Municipality);
        Field(x => x.Value);
        Field(x => x.Complaints).Description("The member's complaints the figure is measured over; 0 for a reported share.");
    }
}

public sealed class IndicatorFigureType : ObjectGraphType<IndicatorFigure>
{
    public IndicatorFigureType()
    {
        Name = "IndicatorFigure";
        Description = "One period's figure of an indicator, compared with the target when it arrived.";
        Field<NonNullGraphType<StringGraphType>>("indicatorKey").Resolve(ctx => ctx.Source.IndicatorKey);
        Field(x => x.Period).Description("2026-11, 2026-Q4 or 2026.");
        Field(x => x.Value);
        Field(x => x.Target).Description("The target the figure was compared with.");
        Field(x => x.Deviation).Description("Whether the figure missed the target.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("reportedAt").Resolve(ctx => ctx.Source.ReportedAt);
        Field(x => x.ReportedBy).Description("Who reported it; 'platform' for a figure measured from the complaints.");
        Field<StringGraphType>("note").Resolve(ctx => ctx.Source.Note);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MemberFigureType>>>>("members").Description("Per member: measured for complaint-based figures, reported (optionally) for the others.")
            .Resolve(ctx => ctx.Source.Members);
    }
}

public sealed class PerformanceIndicatorType : ObjectGraphType<IndicatorWithFigures>
{
    public PerformanceIndicatorType()
    {
        Name = "PerformanceIndicator";
        Description = "An output indicator under an outcome goal: what is measured, in which unit, against which target, how often.";
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(ctx => ctx.Source.Indicator.Key);
        Field<NonNullGraphType<StringGraphType>>("goal").Description("The outcome goal it serves, e.g. safety or accessibility.").Resolve(ctx => ctx.Source.Indicator.Goal);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Indicator.Name);
        Field<NonNullGraphType<StringGraphType>>("unit").Resolve(ctx => ctx.Source.Indicator.Unit);
        Field<NonNullGraphType<DecimalGraphType>>("target").Resolve(ctx => ctx.Source.Indicator.Target);
        Field<NonNullGraphType<IndicatorDirectionType>>("direction").Resolve(ctx => ctx.Source.Indicator.Direction);
        Field<NonNullGraphType<ReportingPeriodType>>("period").Resolve(ctx => ctx.Source.Indicator.Period);
        Field<NonNullGraphType<IndicatorSourceType>>("source").Resolve(ctx => ctx.Source.Indicator.Source);
        Field<StringGraphType>("serviceCode").Resolve(ctx => ctx.Source.Indicator.ServiceCode);
        Field<NonNullGraphType<CalendarDateGraphType>>("appliesFrom").Description("The first day whose period it measures.").Resolve(ctx => ctx.Source.Indicator.AppliesFrom);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IndicatorFigureType>>>>("figures").Description("Its figures, oldest period first.")
            .Resolve(ctx => ctx.Source.Figures);
        Field<IndicatorFigureType>("latest").Description("Its latest period's figure; null before the first.")
            .Resolve(ctx => ctx.Source.Figures.LastOrDefault());
    }
}

public sealed class FigureOfIndicatorType : ObjectGraphType<FigureOfIndicator>
{
    public FigureOfIndicatorType()
    {
        Name = "IndicatorDeviation";
        Description = "A figure that missed its target, with its indicator.";
        Field<NonNullGraphType<PerformanceIndicatorFlatType>>("indicator").Resolve(ctx => ctx.Source.Indicator);
        Field<NonNullGraphType<IndicatorFigureType>>("figure").Resolve(ctx => ctx.Source.Figure);
    }
}

/// <summary>An indicator without its figures, where it is named beside one figure.</summary>
public sealed class PerformanceIndicatorFlatType : ObjectGraphType<Indicator>
{
    public PerformanceIndicatorFlatType()
    {
        Name = "PerformanceIndicatorSummary";
        Field(x => x.Key);
        Field(x => x.Goal);
        Field(x => x.Name);
        Field(x => x.Unit);
        Field<NonNullGraphType<IndicatorDirectionType>>("direction").Resolve(ctx => ctx.Source.Direction);
        Field<NonNullGraphType<IndicatorSourceType>>("source").Description("REPORTED, or measured from the complaints.").Resolve(ctx => ctx.Source.Source);
    }
}

public sealed class GoalRollupType : ObjectGraphType<GoalRollup>
{
    public GoalRollupType()
    {
        Name = "PerformanceGoal";
        Description = "The management level: an outcome goal, its indicators by their latest figure.";
        Field(x => x.Goal);
        Field<NonNullGraphType<GoalStateType>>("state").Resolve(ctx => ctx.Source.State);
        Field(x => x.Indicators);
        Field(x => x.OnTarget);
        Field(x => x.Deviating);
        Field(x => x.WithoutFigures);
    }
}

public sealed class MemberIndicatorFigureType : ObjectGraphType<MemberIndicatorFigure>
{
    public MemberIndicatorFigureType()
    {
        Name = "MemberIndicatorFigure";
        Field<NonNullGraphType<PerformanceIndicatorFlatType>>("indicator").Resolve(ctx => ctx.Source.Indicator);
        Field<NonNullGraphType<StringGraphType>>("period").Resolve(ctx => ctx.Source.Figure.Period);
        Field<NonNullGraphType<DecimalGraphType>>("value").Resolve(ctx => ctx.Source.Member.Value);
        Field<NonNullGraphType<DecimalGraphType>>("target").Resolve(ctx => ctx.Source.Figure.Target);
        Field<NonNullGraphType<IntGraphType>>("complaints").Resolve(ctx => ctx.Source.Member.Complaints);
        Field<NonNullGraphType<BooleanGraphType>>("deviation").Resolve(ctx => ctx.Source.Deviation);
    }
}

public sealed class MemberPerformanceType : ObjectGraphType<MemberPerformance>
{
    public MemberPerformanceType()
    {
        Name = "MemberPerformance";
        Description = "A member's view: its own share of each complaint-based indicator's latest figure.";
        Field(x => x.MunicipalityCode);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MemberIndicatorFigureType>>>>("figures").Resolve(ctx => ctx.Source.Figures);
    }
}

public sealed class PerformanceCapabilitiesType : ObjectGraphType<PerformanceCapabilities>
{
    public PerformanceCapabilitiesType()
    {
        Name = "PerformanceCapabilities";
        Field(x => x.DefineIndicators).Description("Add or take out indicators (a member's contract manager or admin, while provisional).");
        Field(x => x.Report).Description("Report figures (the executing organisation).");
        Field(x => x.MakeDefinitive).Description("Make the agreements definitive by an adopted decision.");
    }
}

public sealed class PerformanceAgreementType : ObjectGraphType<PerformanceSnapshot>
{
    public PerformanceAgreementType()
    {
        Name = "PerformanceAgreement";
        Description = "An arrangement's performance agreements: indicators, figures, deviations, and roll-ups for operations, management, board and each member.";
        Field<NonNullGraphType<StringGraphType>>("arrangementKey").Resolve(ctx => ctx.Source.ArrangementId);
        Field<NonNullGraphType<AgreementStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<DateTimeOffsetGraphType>("definitiveAt").Resolve(ctx => ctx.Source.DefinitiveAt);
        Field<StringGraphType>("definitiveBy").Description("The key of the adopted proposal that made the agreements definitive.").Resolve(ctx => ctx.Source.DefinitiveBy);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PerformanceIndicatorType>>>>("indicators").Description("Operations: every indicator with its figures, by goal.")
            .Resolve(ctx => ctx.Source.Indicators.OrderBy(i => i.Goal, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)
                .Select(i => new IndicatorWithFigures(i, FiguresOf(i, ctx.Source))).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GoalRollupType>>>>("goals").Description("Management: per outcome goal, its indicators by their latest figure.")
            .Resolve(ctx => PerformanceRules.Rollup(ctx.Source.Indicators, ctx.Source.Figures));
        Field<NonNullGraphType<GoalStateType>>("overall").Description("The board: the worst state of the goals.")
            .Resolve(ctx => PerformanceRules.Overall(PerformanceRules.Rollup(ctx.Source.Indicators, ctx.Source.Figures)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FigureOfIndicatorType>>>>("deviations").Description("Figures that missed their target, newest first (at most 100).")
            .Resolve(ctx => ctx.Source.Figures.Where(f => f.Deviation).OrderByDescending(f => f.ReportedAt).Take(100)
                .Select(f => new FigureOfIndicator(ctx.Source.Indicators.First(i => i.Key == f.IndicatorKey), f)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MemberPerformanceType>>>>("members").Description("Per member: its own share of each complaint-based indicator's latest figure.")
            .Resolve(ctx => ctx.Source.Members.Select(code => new MemberPerformance(code, [.. ctx.Source.Indicators
                .Select(i => FiguresOf(i, ctx.Source).LastOrDefault(f => f.Members.Count > 0))
                .OfType<IndicatorFigure>()
                .SelectMany(f => f.Members.Where(m => m.Municipality == code).Select(m => new MemberIndicatorFigure(ctx.Source.Indicators.First(i => i.Key == f.IndicatorKey), f, m)))])).ToList());
        Field<NonNullGraphType<PerformanceCapabilitiesType>>("viewerCan").Resolve(ctx => ctx.Source.ViewerCan);
    }

    private static List<IndicatorFigure> FiguresOf(Indicator indicator, PerformanceSnapshot agreement) =>
        [.. agreement.Figures.Where(f => f.IndicatorKey == indicator.Key).OrderBy(f => f.Period, StringComparer.Ordinal)];
}

/// <summary>An input that names the arrangement it acts on.</summary>
public interface IArrangementInput
{
    string? ArrangementId { get; }
}

public sealed class PerformanceInput : MutationInput, IArrangementInput
{
    public string? ArrangementId { get; set; }
    public string? IndicatorKey { get; set; }
    public string? Goal { get; set; }
    public string? Name { get; set; }
    public string? Unit { get; set; }
    public decimal? Target { get; set; }
    public IndicatorDirection? Direction { get; set; }
    public ReportingPeriod? Period { get; set; }
    public IndicatorSource? Source { get; set; }
    public string? ServiceCode { get; set; }
    public DateOnly? AppliesFrom { get; set; }
    public string? ProposalId { get; set; }
}

public sealed class DefineIndicatorInputType : MutationInputType<PerformanceInput>
{
    public DefineIndicatorInputType() : base("DefineIndicatorInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.Goal, nullable: false).Description($"The outcome goal it serves (e.g. Veiligheid, Bereikbaarheid); at most {PerformanceRules.MaxGoal} characters.");
        Field(x => x.Name, nullable: false).Description($"At most {PerformanceRules.MaxName} characters.");
        Field(x => x.Unit, nullable: true).Description($"The unit of its figures (at most {PerformanceRules.MaxUnit} characters); required for reported indicators, fixed for complaint-based ones.");
        Field<NonNullGraphType<DecimalGraphType>>("target").Description("At most four decimals.");
        Field<NonNullGraphType<IndicatorDirectionType>>("direction");
        Field<NonNullGraphType<ReportingPeriodType>>("period");
        Field<IndicatorSourceType>("source").Description("REPORTED when left out.");
        Field(x => x.ServiceCode, nullable: true).Description("The service it concerns; required for complaint-based indicators.");
        Field<CalendarDateGraphType>("appliesFrom").Description("The first day it measures (its period counts from there); today when left out, at most two years back and one ahead.");
    }
}

public sealed class RemoveIndicatorInputType : MutationInputType<PerformanceInput>
{
    public RemoveIndicatorInputType() : base("RemoveIndicatorInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.IndicatorKey, nullable: false);
    }
}

public sealed class ReportFigureInput : MutationInput, IArrangementInput
{
    public string? ArrangementId { get; set; }
    public string? IndicatorKey { get; set; }
    public string? Period { get; set; }
    public decimal? Value { get; set; }
    public string? Unit { get; set; }
    public string? Note { get; set; }
    public List<MemberFigureInputModel>? Members { get; set; }
}

public sealed class MemberFigureInputModel
{
    public string? MunicipalityCode { get; set; }
    public decimal? Value { get; set; }
}

public sealed class MemberFigureInputType : InputObjectGraphType<MemberFigureInputModel>
{
    public MemberFigureInputType()
    {
        Name = "MemberFigureInput";
        Description = "One member's share of a reported figure.";
        Field<NonNullGraphType<StringGraphType>>("municipalityCode").Description("A member of the arrangement, e.g. GM0405.");
        Field<NonNullGraphType<DecimalGraphType>>("value").Description("In the indicator's unit; at most four decimals.");
    }
}

public sealed class ReportIndicatorFigureInputType : MutationInputType<ReportFigureInput>
{
    public ReportIndicatorFigureInputType() : base("ReportIndicatorFigureInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.IndicatorKey, nullable: false);
        Field(x => x.Period, nullable: false).Description("The period reported: 2026-11, 2026-Q4 or 2026, as the indicator's period is.");
        Field<NonNullGraphType<DecimalGraphType>>("value").Description("At most four decimals.");
        Field(x => x.Unit, nullable: false).Description("The indicator's unit; another is refused (UNIT_MISMATCH).");
        Field(x => x.Note, nullable: true).Description($"At most {PerformanceRules.MaxNote} characters.");
        Field<ListGraphType<NonNullGraphType<MemberFigureInputType>>>("members").Description("Optional: the figure per member municipality, each compared with the target too.");
    }
}

public sealed class MakePerformanceAgreementDefinitiveInputType : MutationInputType<PerformanceInput>
{
    public MakePerformanceAgreementDefinitiveInputType() : base("MakePerformanceAgreementDefinitiveInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field<NonNullGraphType<IdGraphType>>("proposalId").Description("The adopted proposal (policy decision or plan adoption) that decides it.");
    }
}

public sealed class PerformanceAgreementPayloadType : PayloadType
{
    public PerformanceAgreementPayloadType() : base("PerformanceAgreementPayload")
    {
        Field<PerformanceAgreementType>("performanceAgreement").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? (await ctx.Grains().GetGrain<IPerformanceAgreementGrain>(id).ViewAsync()).Agreement : null);
    }
}
