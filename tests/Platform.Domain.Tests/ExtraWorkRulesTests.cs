using Platform.Domain.Access;
using Platform.Domain.ExtraWork;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class ExtraWorkRulesTests
{
    private static readonly string[] Members = ["GM0405", "GM0420"];
    private const string Executor = "afvalbedrijf-nhn";

    private static Caller Person(string organisation, params string[] roles) => new(CallerKind.User, $"p@{organisation}", organisation, roles, []);

    [Theory]
    [InlineData(ExtraWorkStatus.Requested, null)]
    [InlineData(ExtraWorkStatus.Quoted, null)]
    [InlineData(ExtraWorkStatus.Approved, null)]
    [InlineData(ExtraWorkStatus.Declined, ViolationCodes.IllegalTransition)]
    [InlineData(ExtraWorkStatus.Invoiced, ViolationCodes.IllegalTransition)]
    public void A_quote_answers_a_request_or_revises_an_outstanding_or_approved_one_never_after_the_end(ExtraWorkStatus status, string? refusedWith)
    {
        Assert.Equal(refusedWith, ExtraWorkRules.CheckQuote(status)?.Code);
    }

    [Theory]
    [InlineData(ExtraWorkStatus.Requested, ViolationCodes.IllegalTransition)]
    [InlineData(ExtraWorkStatus.Quoted, null)]
    [InlineData(ExtraWorkStatus.Approved, ViolationCodes.AlreadyExists)]
    [InlineData(ExtraWorkStatus.Declined, ViolationCodes.IllegalTransition)]
    [InlineData(ExtraWorkStatus.Invoiced, ViolationCodes.IllegalTransition)]
    public void Only_an_outstanding_quote_is_approved_and_only_once(ExtraWorkStatus status, string? refusedWith)
    {
        Assert.Equal(refusedWith, ExtraWorkRules.CheckApprove(status)?.Code);
        Assert.Equal(status == ExtraWorkStatus.Quoted, ExtraWorkRules.CheckDecline(status) is null);
    }

    [Theory]
    [InlineData(ExtraWorkStatus.Approved, 1000, 1000, null)]
    [InlineData(ExtraWorkStatus.Approved, 1000, 999.99, null)]
    [InlineData(ExtraWorkStatus.Approved, 1000, 1000.01, ExtraWorkRules.AboveQuote)]
    [InlineData(ExtraWorkStatus.Quoted, 1000, 500, ViolationCodes.IllegalTransition)]
    [InlineData(ExtraWorkStatus.Invoiced, 1000, 500, ViolationCodes.AlreadyExists)]
    public void An_invoice_follows_approval_once_and_stays_within_the_approved_quote(ExtraWorkStatus status, double approved, double amount, string? refusedWith)
    {
        var refused = ExtraWorkRules.CheckInvoice(status, (decimal)approved, (decimal)amount);
        Assert.Equal(refusedWith, refused?.Code);
        if (refusedWith == ExtraWorkRules.AboveQuote) Assert.Contains("€ 1000.00", refused!.Message);
    }

    [Theory]
    [InlineData(0, "OUT_OF_RANGE")]
    [InlineData(-5, "OUT_OF_RANGE")]
    [InlineData(10_000_000.01, "OUT_OF_RANGE")]
    [InlineData(12.345, "INVALID_FORMAT")]
    [InlineData(0.01, null)]
    [InlineData(10_000_000, null)]
    public void Amounts_are_positive_whole_cents_up_to_ten_million(double amount, string? code)
    {
        Assert.Equal(code, ExtraWorkRules.ValidateAmount((decimal)amount, null).SingleOrDefault()?.Code);
    }

    [Fact]
    public void A_member_asks_and_approves_its_own_the_executor_quotes_and_residents_and_strangers_see_nothing()
    {
        var manager = Person("GM0405", Roles.ContractManager);
        var admin = Person("GM0405", Roles.MunicipalityAdmin);
        var otherMember = Person("GM0420", Roles.ContractManager);
        var board = Person("GM0405", Roles.BoardMember);
        var resident = Person("GM0405", Roles.Citizen);
        var executor = Person(Executor, Roles.ExecutorStaff);
        var otherExecutor = Person("gladheidsdienst-amstelland", Roles.ExecutorStaff);
        var stranger = Person("GM0363", Roles.ContractManager);

        Assert.Equal([true, true, true, false, false, false, false], new[] { manager, admin, otherMember, board, resident, executor, stranger }.Select(c => ExtraWorkRules.MayRequest(c, Members).Allowed));
        Assert.Equal([true, false, false], new[] { executor, otherExecutor, manager }.Select(c => ExtraWorkRules.MayQuote(c, Executor).Allowed));
        Assert.Equal([true, true, false, false, false], new[] { manager, admin, otherMember, stranger, executor }.Select(c => ExtraWorkRules.MayApprove(c, "GM0405").Allowed));
        Assert.Equal([true, true, true, true, false, false, false], new[] { manager, otherMember, board, executor, resident, stranger, otherExecutor }.Select(c => ArrangementPolicy.SeesPartyRecords(c, Executor, Members)));
        Assert.False(ArrangementPolicy.SeesPartyRecords(new Caller(CallerKind.Anonymous, "", null, [], []), Executor, Members));
        // A member's own system (a partner client) reads them too, as it reads the member's incidents; a stranger's does not.
        Assert.True(ArrangementPolicy.SeesPartyRecords(new Caller(CallerKind.Partner, "partner", "GM0405", [], []), Executor, Members));
        Assert.False(ArrangementPolicy.SeesPartyRecords(new Caller(CallerKind.Partner, "partner", "GM0363", [], []), Executor, Members));
    }

    [Fact]
    public void The_ledger_counts_each_members_work_of_the_year_by_where_it_stands_against_its_baseline()
    {
        var winter = new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
        // 23:30 UTC on New Year's Eve is 00:30 on 1 January in Amsterdam: it belongs to the new year.
        var newYearsEve = new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.Zero);
        ExtraWorkEntry[] entries =
        [
            new("GM0405", winter, ExtraWorkStatus.Invoiced, 1000m, 1000m, 950m),
            new("GM0405", winter, ExtraWorkStatus.Invoiced, 300m, 300m, 300m),
            new("GM0405", winter, ExtraWorkStatus.Quoted, 200m, null, null),
            new("GM0405", winter, ExtraWorkStatus.Approved, 400m, 400m, null),
            new("GM0405", winter, ExtraWorkStatus.Declined, 999m, null, null),
            new("GM0420", newYearsEve, ExtraWorkStatus.Invoiced, 50m, 50m, 50m),
            new("GM0420", winter.AddYears(-1), ExtraWorkStatus.Invoiced, 70m, 70m, 70m),
        ];
        var ledger = ExtraWorkRules.Ledger(entries, 2026, new Dictionary<string, decimal> { ["GM0405"] = 1000m, ["GM0498"] = 0m });

        Assert.Equal(["GM0405", "GM0420", "GM0498"], ledger.Select(l => l.Municipality));
        var hoorn = ledger[0];
        Assert.Equal((5, 200m, 400m, 1250m, 1000m, 1.25m), (hoorn.Requests, hoorn.AwaitingApproval, hoorn.Approved, hoorn.Invoiced, hoorn.Baseline, hoorn.InvoicedShareOfBaseline));
        Assert.Equal((1, 50m, (decimal?)null, (decimal?)null), (ledger[1].Requests, ledger[1].Invoiced, ledger[1].Baseline, ledger[1].InvoicedShareOfBaseline));
        Assert.Equal((0, 0m, (decimal?)0m, (decimal?)null), (ledger[2].Requests, ledger[2].Invoiced, ledger[2].Baseline, ledger[2].InvoicedShareOfBaseline));
    }
}
