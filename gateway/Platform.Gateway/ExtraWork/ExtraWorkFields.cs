using GraphQL;
using GraphQL.Types;
using Platform.Domain.Calendar;
using Platform.Domain.Events;
using Platform.Domain.ExtraWork;
using Platform.Domain.Validation;
using Platform.Gateway.Arrangements;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Schema;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.ExtraWork;

namespace Platform.Gateway.ExtraWork;

/// <summary>
/// Extra work and its cost: a member asks, the executing organisation quotes, the member approves or declines, the work
/// is invoiced at most at the approved quote; a ledger per member and year against what the work cost before the
/// hand-over. The grains decide who may see and do what.
/// </summary>
public static class ExtraWorkFields
{
    public const string TypeName = "ExtraWork";

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ExtraWorkPayloadType>>("requestExtraWork")
            .Description("A member's contract manager or admin asks the executing organisation for work outside the agreement; the member pays for it.")
            .Argument<NonNullGraphType<RequestExtraWorkInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ExtraWorkInput>("input");
                return await ArrangementRecords.CreateAsync(ctx, input, input.ArrangementId, (arrangement, reservedId) =>
                    ctx.Grains().GetGrain<IExtraWorkGrain>($"xw-{reservedId}").RequestAsync(new(arrangement, input.Title, input.Description)));
            });

        Add<QuoteExtraWorkInputType>(mutation, "quoteExtraWork",
            "The executing organisation quotes the request, or revises its quote (an approved quote revised needs the member's approval again).",
            (grain, input) => grain.QuoteAsync(input.Amount ?? 0, input.Note));
        Add<ApproveExtraWorkQuoteInputType>(mutation, "approveExtraWorkQuote",
            "The member that asked approves the outstanding quote; the work may then be done and invoiced up to that amount. Approving twice is refused (ALREADY_EXISTS).",
            (grain, _) => grain.ApproveAsync());
        Add<DeclineExtraWorkQuoteInputType>(mutation, "declineExtraWorkQuote",
            "The member that asked declines the outstanding quote, with its reason; the request ends.",
            (grain, input) => grain.DeclineAsync(input.Reason));
        Add<InvoiceExtraWorkInputType>(mutation, "invoiceExtraWork",
            "The executing organisation invoices approved work, once. Above the approved quote it is refused (ABOVE_QUOTE): revise the quote for the member to approve first.",
            (grain, input) => grain.InvoiceAsync(input.Amount ?? 0, input.Note));

        mutation.Field<NonNullGraphType<ExtraWorkBaselinePayloadType>>("setExtraWorkBaseline")
            .Description("A member records what such work cost it a year before the hand-over (euros, zero or more); the ledger sets each year's invoices against it.")
            .Argument<NonNullGraphType<SetExtraWorkBaselineInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ExtraWorkInput>("input");
                return await ArrangementRecords.CreateAsync(ctx, input, input.ArrangementId, (arrangement, _) =>
                    ctx.Grains().GetGrain<IExtraWorkBaselinesGrain>(arrangement).SetAsync(input.MunicipalityCode, input.AnnualAmount ?? 0));
            });
    }

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<ExtraWorkType>("extraWork")
            .Description("A request for extra work, for the people of its executing organisation and members (others are refused); null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await ArrangementRecords.OneAsync(GlobalId.KeyOf(TypeName, ctx.GetArgument<string>("id")), View(ctx)));
    }

    /// <summary>The arrangement's extra work and its ledger, each request as its grain lets the caller see it.</summary>
    public static void AddTo(ArrangementType arrangement)
    {
        arrangement.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExtraWorkType>>>>("extraWork")
            .Description("Its requests for extra work, newest first (at most 200), optionally those asked in one year; for the people of its executing organisation and members, empty for everyone else.")
            .Argument<IntGraphType>("year")
            .ResolveAsync(async ctx =>
            {
                var year = ctx.GetArgument<int?>("year");
                if (year is not null) CheckYear(year.Value);
                var all = await RequestsAsync(ctx);
                return year is null ? all : all.Where(w => AmsterdamCalendar.DateOf(w.RequestedAt).Year == year).ToArray();
            });

        arrangement.Field<ExtraWorkLedgerType>("extraWorkLedger")
            .Description("Per member, the extra work asked in a year (default: this year): quotes awaiting approval, approved, invoiced, against the member's baseline. Null for those who may not see it.")
            .Argument<IntGraphType>("year")
            .ResolveAsync(async ctx =>
            {
                var year = ctx.GetArgument<int?>("year") ?? AmsterdamCalendar.DateOf(DateTimeOffset.UtcNow).Year;
                CheckYear(year);
                var baselines = await ctx.Grains().GetGrain<IExtraWorkBaselinesGrain>(ctx.Source.Id).ViewAsync();
                if (!baselines.Access.Succeeded) return null;
                var requests = await RequestsAsync(ctx);
                return new ExtraWorkLedger(year, ExtraWorkRules.Ledger(requests.Select(r => r.Entry), year, baselines.Baselines), baselines.SetOwn);
            });
    }

    private static void CheckYear(int year)
    {
        if (year is < 2000 or > 2100) throw new ExecutionError($"year must be between 2000 and 2100; got {year}.") { Code = ViolationCodes.OutOfRange };
    }

    private static Task<ExtraWorkSnapshot[]> RequestsAsync(IResolveFieldContext<Platform.Grains.Arrangements.ArrangementSnapshot> ctx) =>
        ArrangementRecords.ListAsync(ctx, ctx.Source.Id, EventTypes.ExtraWorkRequested, 200, View(ctx));

    private static Func<string, Task<(CommandResult, ExtraWorkSnapshot?)>> View(IResolveFieldContext ctx) =>
        async id =>
        {
            var view = await ctx.Grains().GetGrain<IExtraWorkGrain>(id).ViewAsync();
            return (view.Access, view.ExtraWork);
        };

    /// <summary>A mutation on one request: a missing request is a user error; what the caller may do with it, the grain decides.</summary>
    private static void Add<TInput>(ObjectGraphType mutation, string name, string description, Func<IExtraWorkGrain, ExtraWorkInput, Task<CommandResult>> run)
        where TInput : ExtraWorkStepInputType
    {
        mutation.Field<NonNullGraphType<ExtraWorkPayloadType>>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInput>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ExtraWorkInput>("input");
                return await ArrangementRecords.ActAsync(ctx, input, TypeName, "extraWorkId", input.ExtraWorkId, key => run(ctx.Grains().GetGrain<IExtraWorkGrain>(key), input));
            });
    }
}

public sealed record ExtraWorkLedger(int Year, IReadOnlyList<ExtraWorkLedgerLine> Members, bool ViewerCanSetBaseline);

public sealed class ExtraWorkStatusType : EnumerationGraphType<ExtraWorkStatus>
{
    public ExtraWorkStatusType() => Name = "ExtraWorkStatus";
}

public sealed class ExtraWorkStepType : ObjectGraphType<ExtraWorkStep>
{
    public ExtraWorkStepType()
    {
        Name = "ExtraWorkStep";
        Description = "What happened to a request: when, by whom, what it became, for how much, and the note or reason.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field<NonNullGraphType<StringGraphType>>("by").Resolve(ctx => ctx.Source.By);
        Field<NonNullGraphType<ExtraWorkStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<DecimalGraphType>("amount").Description("In euros.").Resolve(ctx => ctx.Source.Amount);
        Field<StringGraphType>("note").Resolve(ctx => ctx.Source.Note);
    }
}

public sealed class ExtraWorkCapabilitiesType : ObjectGraphType<ExtraWorkCapabilities>
{
    public ExtraWorkCapabilitiesType()
    {
        Name = "ExtraWorkCapabilities";
        Field(x => x.Quote).Description("Quote it, or revise the quote.");
        Field(x => x.Approve).Description("Approve the outstanding quote.");
        Field(x => x.Decline).Description("Decline the outstanding quote.");
        Field(x => x.Invoice).Description("Invoice the approved work.");
    }
}

public sealed class ExtraWorkType : ObjectGraphType<ExtraWorkSnapshot>
{
    public ExtraWorkType()
    {
        Name = ExtraWorkFields.TypeName;
        Description = "Work outside the agreement that a member asked for and pays: its quote, approval and invoice.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(ExtraWorkFields.TypeName, ctx.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("arrangementKey").Resolve(ctx => ctx.Source.ArrangementId);
        Field<ArrangementType>("arrangement").ResolveAsync(async ctx => await ctx.ArrangementAsync(ctx.Source.ArrangementId));
        Field<NonNullGraphType<StringGraphType>>("municipalityCode").Description("The member that asked, and pays.").Resolve(ctx => ctx.Source.Municipality);
        Field(x => x.Title);
        Field(x => x.Description);
        Field<NonNullGraphType<ExtraWorkStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<DecimalGraphType>("quote").Description("The latest quote, in euros.").Resolve(ctx => ctx.Source.Quote);
        Field<DecimalGraphType>("approvedAmount").Description("The quote the member approved: the most the invoice may be.").Resolve(ctx => ctx.Source.ApprovedAmount);
        Field<DecimalGraphType>("invoicedAmount").Resolve(ctx => ctx.Source.InvoicedAmount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExtraWorkStepType>>>>("steps").Resolve(ctx => ctx.Source.Steps);
        Field(x => x.RequestedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("requestedAt").Resolve(ctx => ctx.Source.RequestedAt);
        Field<NonNullGraphType<ExtraWorkCapabilitiesType>>("viewerCan").Resolve(ctx => ctx.Source.ViewerCan);
    }
}

public sealed class ExtraWorkLedgerLineType : ObjectGraphType<ExtraWorkLedgerLine>
{
    public ExtraWorkLedgerLineType()
    {
        Name = "ExtraWorkLedgerLine";
        Description = "One member's extra work in the year, in euros.";
        Field<NonNullGraphType<StringGraphType>>("municipalityCode").Resolve(ctx => ctx.Source.Municipality);
        Field(x => x.Requests).Description("Requests asked in the year.");
        Field<NonNullGraphType<DecimalGraphType>>("awaitingApproval").Description("Quotes the member has not approved or declined yet.").Resolve(ctx => ctx.Source.AwaitingApproval);
        Field<NonNullGraphType<DecimalGraphType>>("approved").Description("Approved and not yet invoiced.").Resolve(ctx => ctx.Source.Approved);
        Field<NonNullGraphType<DecimalGraphType>>("invoiced").Resolve(ctx => ctx.Source.Invoiced);
        Field<DecimalGraphType>("baseline").Description("What such work cost the member a year before the hand-over; null when it gave none.").Resolve(ctx => ctx.Source.Baseline);
        Field<DecimalGraphType>("invoicedShareOfBaseline").Description("Invoiced divided by the baseline (1 = as much as before).").Resolve(ctx => ctx.Source.InvoicedShareOfBaseline);
    }
}

public sealed class ExtraWorkLedgerType : ObjectGraphType<ExtraWorkLedger>
{
    public ExtraWorkLedgerType()
    {
        Name = "ExtraWorkLedger";
        Field(x => x.Year);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExtraWorkLedgerLineType>>>>("members").Resolve(ctx => ctx.Source.Members);
        Field(x => x.ViewerCanSetBaseline).Description("Whether you may record your municipality's baseline.");
    }
}

public sealed class ExtraWorkInput : MutationInput
{
    public string? ArrangementId { get; set; }
    public string? ExtraWorkId { get; set; }
    public string? MunicipalityCode { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public decimal? Amount { get; set; }
    public decimal? AnnualAmount { get; set; }
    public string? Note { get; set; }
    public string? Reason { get; set; }
}

public sealed class RequestExtraWorkInputType : MutationInputType<ExtraWorkInput>
{
    public RequestExtraWorkInputType() : base("RequestExtraWorkInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.Title, nullable: false).Description($"At most {ExtraWorkRules.MaxTitle} characters.");
        Field(x => x.Description, nullable: false).Description($"What, where and when; at most {ExtraWorkRules.MaxText} characters.");
    }
}

/// <summary>The input of a step on one request: its id, and an amount, a note or a reason where the step takes one.</summary>
public abstract class ExtraWorkStepInputType : MutationInputType<ExtraWorkInput>
{
    protected ExtraWorkStepInputType(string name, bool amount = false, string? note = null, bool reason = false) : base(name)
    {
        Field<NonNullGraphType<IdGraphType>>("extraWorkId");
        if (amount) Field<NonNullGraphType<DecimalGraphType>>("amount").Description($"In euros, whole cents, more than zero and at most {ExtraWorkRules.MaxAmount:0}.");
        if (note is not null) Field(x => x.Note, nullable: true).Description(note);
        if (reason) Field(x => x.Reason, nullable: false).Description("Why the quote is declined.");
    }
}

public sealed class QuoteExtraWorkInputType() : ExtraWorkStepInputType("QuoteExtraWorkInput", amount: true, note: "What the quote covers.");

public sealed class ApproveExtraWorkQuoteInputType() : ExtraWorkStepInputType("ApproveExtraWorkQuoteInput");

public sealed class DeclineExtraWorkQuoteInputType() : ExtraWorkStepInputType("DeclineExtraWorkQuoteInput", reason: true);

public sealed class InvoiceExtraWorkInputType() : ExtraWorkStepInputType("InvoiceExtraWorkInput", amount: true, note: "The invoice's number or a remark.");

public sealed class SetExtraWorkBaselineInputType : MutationInputType<ExtraWorkInput>
{
    public SetExtraWorkBaselineInputType() : base("SetExtraWorkBaselineInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.MunicipalityCode, nullable: false).Description("Your municipality (CBS code), a member of the arrangement.");
        Field<NonNullGraphType<DecimalGraphType>>("annualAmount").Description("Euros a year before the hand-over; zero or more, whole cents.");
    }
}

public sealed class ExtraWorkPayloadType : PayloadType
{
    public ExtraWorkPayloadType() : base("ExtraWorkPayload")
    {
        Field<ExtraWorkType>("extraWork").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? (await ctx.Grains().GetGrain<IExtraWorkGrain>(id).ViewAsync()).ExtraWork : null);
    }
}

public sealed class ExtraWorkBaselinePayloadType : PayloadType
{
    public ExtraWorkBaselinePayloadType() : base("SetExtraWorkBaselinePayload")
    {
        Field<StringGraphType>("municipalityCode").Resolve(ctx => ctx.Source.Result.Id);
    }
}
