using System.Text;
using System.Text.RegularExpressions;
using Platform.Domain.Access;
using Platform.Domain.Proposals;
using Platform.Domain.Tariffs;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Proposals;

namespace Platform.Gateway.Exports;

/// <summary>
/// Open data per arrangement, without a key: its tariffs with their history, its decisions and its proposals with their
/// tallies, and a proposal's votes, each as CSV and JSON, with a README of the columns. Everything here is already public
/// through GraphQL; these files are for councils' spreadsheets, journalists and open-data portals.
/// <list type="bullet">
/// <item><c>GET /open-data/arrangements/{id}</c>: what there is (JSON), <c>…/README.md</c>: the columns.</item>
/// <item><c>GET /open-data/arrangements/{id}/{tariffs|decisions|proposals}.{csv|json}</c></item>
/// <item><c>GET /open-data/proposals/{id}/votes.{csv|json}</c></item>
/// </list>
/// </summary>
public static partial class OpenDataEndpoints
{
    public const string Prefix = "/open-data";
    public const int MaxIdLength = 100;

    public sealed record TariffRow(string Arrangement, TariffVersion Tariff, string? ServiceName);
    public sealed record BallotRow(ProposalSnapshot Proposal, Ballot Ballot, Vote? Vote, string? MunicipalityName);

    public static readonly DataTable<TariffRow> Tariffs = new("tariffs", "Tariffs",
        "Every tariff the arrangement has had, one row per service and period, oldest first; the row without `valid_to` is the current one (or a future one, when `valid_from` is still to come).",
        [
            new("arrangement", "The arrangement's id.", r => r.Arrangement),
            new("service_code", "The service's code within the arrangement.", r => r.Tariff.ServiceCode),
            new("service_name", "The service's name.", r => r.ServiceName),
            new("amount", "The price per unit, a decimal number with a point.", r => r.Tariff.Amount),
            new("currency", "ISO 4217 currency code.", r => r.Tariff.Currency),
            new("unit_quantity", "How much of the unit the amount is for.", r => r.Tariff.UnitQuantity),
            new("unit_measure", "The unit (m³, kg, container, …).", r => r.Tariff.UnitMeasure),
            new("unit", "The unit as people write it.", r => r.Tariff.Unit),
            new("valid_from", "First day the tariff applies (yyyy-mm-dd, Amsterdam time).", r => r.Tariff.ValidFrom),
            new("valid_to", "Last day it applies; empty while it has no end.", r => r.Tariff.ValidTo),
            new("decided_by", "The proposal whose adoption set it; empty for the schedule published when the arrangement started.", r => r.Tariff.DecidedBy),
        ]);

    public static readonly DataTable<ArrangementDecision> Decisions = new("decisions", "Decisions",
        "Every adopted proposal the arrangement carried out, oldest first.",
        [
            new("proposal", "The adopted proposal's id (see proposals).", d => d.ProposalId),
            new("kind", "TARIFF_CHANGE, SERVICE_LEVEL_CHANGE, PLAN_ADOPTION or POLICY_DECISION.", d => Constant(d.Kind)),
            new("title", "The proposal's title.", d => d.Title),
            new("decided_at", "When the vote closed (ISO 8601, UTC).", d => d.DecidedAt),
            new("effective_date", "The day the change takes effect; empty when it took effect on adoption.", d => d.EffectiveDate),
            new("applied_at", "When the arrangement carried it out (ISO 8601, UTC).", d => d.AppliedAt),
            new("effect", "What changed, in words.", d => d.Effect),
        ]);

    public static readonly DataTable<ProposalSnapshot> Proposals = new("proposals", "Proposals",
        "Every proposal put to the members, oldest first, with its tally: final once `phase` is CLOSED, as it stands before that. Weights are vote weights under the arrangement's rule.",
        [
            new("proposal", "The proposal's id.", p => p.Id),
            new("kind", "TARIFF_CHANGE, SERVICE_LEVEL_CHANGE, PLAN_ADOPTION or POLICY_DECISION.", p => Constant(p.Change.Kind)),
            new("title", "The proposal's title.", p => p.Change.Title),
            new("proposer_municipality", "The municipality (CBS code) or organisation that proposed it.", p => p.ProposerMunicipality),
            new("proposed_at", "When it was proposed (ISO 8601, UTC).", p => p.Schedule.ProposedAt),
            new("voting_opens_at", "When voting opens or opened (after the councils' opinion period).", p => p.Schedule.VotingOpensAt),
            new("voting_closes_at", "When voting closes or would have closed (it closes early once every member voted).", p => p.Schedule.VotingClosesAt),
            new("effective_date", "The day an adopted change takes effect; empty when it has none.", p => p.Change.EffectiveDate),
            new("phase", "OPINION, VOTING or CLOSED.", p => Constant(p.Phase)),
            new("closed_at", "When the vote closed; empty while open.", p => p.ClosedAt),
            new("outcome", "ADOPTED, REJECTED or NO_QUORUM once closed; empty while open.", p => p.Outcome is { } o ? Constant(o) : null),
            new("total_weight", "The weight of every member entitled to vote.", p => p.Tally.TotalWeight),
            new("yes", "Weight voting yes.", p => p.Tally.Yes),
            new("no", "Weight voting no.", p => p.Tally.No),
            new("abstain", "Weight abstaining.", p => p.Tally.Abstain),
            new("not_voted", "Weight that did not vote.", p => p.Tally.NotVoted),
            new("quorum_reached", "Whether enough weight voted for the vote to count.", p => p.Tally.QuorumReached),
            new("explanation", "The count in words, with the rule it was held to.", p => p.Tally.Explanation),
        ]);

    public static readonly DataTable<BallotRow> Votes = new("votes", "Votes",
        "A proposal's members, one row each, with the vote they cast (their last, if they changed it) and the proposal's outcome.",
        [
            new("proposal", "The proposal's id.", b => b.Proposal.Id),
            new("municipality", "The member's CBS code.", b => b.Ballot.MunicipalityCode),
            new("municipality_name", "The member's name.", b => b.MunicipalityName),
            new("weight", "The member's vote weight in this proposal.", b => b.Ballot.Weight),
            new("choice", "YES, NO or ABSTAIN; empty when the member did not vote.", b => b.Ballot.Choice is { } c ? Constant(c) : null),
            new("cast_at", "When the vote was cast (ISO 8601, UTC); empty when not voted.", b => b.Vote?.CastAt),
            new("changes", "How often the member changed its vote.", b => b.Vote?.Changes ?? 0),
            new("outcome", "The proposal's outcome once closed (ADOPTED, REJECTED, NO_QUORUM); empty while open.", b => b.Proposal.Outcome is { } o ? Constant(o) : null),
        ]);

    public static IEndpointRouteBuilder MapOpenData(this IEndpointRouteBuilder app)
    {
        app.MapGet(Prefix + "/arrangements/{id}", IndexAsync);
        app.MapGet(Prefix + "/arrangements/{id}/README.md", ReadmeAsync);
        app.MapGet(Prefix + "/arrangements/{id}/{file}", FileAsync);
        app.MapGet(Prefix + "/proposals/{id}/{file}", VotesAsync);
        return app;
    }

    private static async Task<IResult> IndexAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (await ArrangementAsync(id, grains) is not { } arrangement) return Missing(id);
        var self = $"{http.Request.Scheme}://{http.Request.Host}{Prefix}/arrangements/{Uri.EscapeDataString(arrangement.Id)}";
        var index = new
        {
            arrangement = arrangement.Id,
            name = arrangement.Name,
            readme = self + "/README.md",
            files = new[] { Tariffs.File, Decisions.File, Proposals.File }
                .SelectMany(f => new[] { "csv", "json" }.Select(ext => new { name = $"{f}.{ext}", url = $"{self}/{f}.{ext}" })),
            votes = $"{http.Request.Scheme}://{http.Request.Host}{Prefix}/proposals/{{proposal}}/votes.csv",
        };
        return await DataFiles.PublicAsync(http, DataFiles.JsonType, "index.json",
            stream => System.Text.Json.JsonSerializer.SerializeAsync(stream, index, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static async Task<IResult> ReadmeAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (await ArrangementAsync(id, grains) is not { } arrangement) return Missing(id);
        var readme = new StringBuilder()
            .Append("# Open data: ").Append(arrangement.Name).Append("\n\n")
            .Append("The public record of the joint arrangement `").Append(arrangement.Id).Append("`, as the platform holds it at the moment of download. ")
            .Append("Each table comes as CSV (RFC 4180, UTF-8, comma-separated, a header row, decimal point) and as JSON (an array of objects with the same names). ")
            .Append("Times are ISO 8601 in UTC, dates are days in Amsterdam. Free to reuse; no key needed.\n\n");
        Tariffs.Describe(readme, "`tariffs.csv`, `tariffs.json`");
        Decisions.Describe(readme, "`decisions.csv`, `decisions.json`");
        Proposals.Describe(readme, "`proposals.csv`, `proposals.json`");
        Votes.Describe(readme, "`/open-data/proposals/{proposal}/votes.csv` and `votes.json`, one per proposal");
        var bytes = Encoding.UTF8.GetBytes(readme.ToString());
        return await DataFiles.PublicAsync(http, "text/markdown; charset=utf-8", "README.md", stream => stream.WriteAsync(bytes).AsTask());
    }

    private static async Task<IResult> FileAsync(string id, string file, HttpContext http, IGrainFactory grains)
    {
        if (FileName().Match(file) is not { Success: true } name)
        {
            return DataFiles.Problem(StatusCodes.Status404NotFound, "NOT_FOUND",
                $"No open-data file '{Shorten(file)}'; there are tariffs, decisions and proposals, each as .csv or .json, and README.md.");
        }
        if (await ArrangementAsync(id, grains) is not { } arrangement) return Missing(id);
        var (table, format) = (name.Groups["table"].Value, name.Groups["format"].Value);
        switch (table)
        {
            case "tariffs":
                var services = arrangement.Services.ToDictionary(s => s.Code, s => s.Name);
                var tariffs = arrangement.Tariffs.OrderBy(t => t.ServiceCode, StringComparer.Ordinal).ThenBy(t => t.ValidFrom)
                    .Select(t => new TariffRow(arrangement.Id, t, services.GetValueOrDefault(t.ServiceCode)));
                return await WriteAsync(http, Tariffs, format, tariffs);
            case "decisions":
                return await WriteAsync(http, Decisions, format, (arrangement.Decisions ?? []).OrderBy(d => d.DecidedAt));
            default:
                using (CallerContext.As(Caller.Anonymous))
                {
                    var proposals = await Task.WhenAll((arrangement.ProposalIds ?? []).Select(p => grains.GetGrain<IProposalGrain>(p).GetAsync()));
                    return await WriteAsync(http, Proposals, format, proposals.OfType<ProposalSnapshot>().OrderBy(p => p.Schedule.ProposedAt));
                }
        }
    }

    private static async Task<IResult> VotesAsync(string id, string file, HttpContext http, IGrainFactory grains)
    {
        if (file is not ("votes.csv" or "votes.json"))
        {
            return DataFiles.Problem(StatusCodes.Status404NotFound, "NOT_FOUND", $"No open-data file '{Shorten(file)}' for a proposal; there are votes.csv and votes.json.");
        }
        using var anonymous = CallerContext.As(Caller.Anonymous);
        if (id.Length > MaxIdLength || await grains.GetGrain<IProposalGrain>(id).GetAsync() is not { } proposal)
        {
            return DataFiles.Problem(StatusCodes.Status404NotFound, "NOT_FOUND", $"No proposal has the id '{Shorten(id)}'.");
        }
        var names = await Task.WhenAll(proposal.Ballots.Select(async b => (b.MunicipalityCode, (await grains.GetGrain<IMunicipalityGrain>(b.MunicipalityCode).GetAsync())?.Name)));
        var rows = proposal.Ballots.Select(b => new BallotRow(proposal, b, proposal.Votes.FirstOrDefault(v => v.MunicipalityCode == b.MunicipalityCode),
            names.FirstOrDefault(n => n.MunicipalityCode == b.MunicipalityCode).Name));
        return await WriteAsync(http, Votes, file[6..], rows);
    }

    private static Task<IResult> WriteAsync<T>(HttpContext http, DataTable<T> table, string format, IEnumerable<T> rows) =>
        format == "csv"
            ? DataFiles.PublicAsync(http, DataFiles.CsvType, table.File + ".csv", stream => table.WriteCsvAsync(stream, DataFiles.Async(rows), http.RequestAborted))
            : DataFiles.PublicAsync(http, DataFiles.JsonType, table.File + ".json", stream => table.WriteJsonAsync(stream, DataFiles.Async(rows), http.RequestAborted));

    private static async Task<ArrangementSnapshot?> ArrangementAsync(string id, IGrainFactory grains)
    {
        if (id.Length > MaxIdLength) return null;
        using var anonymous = CallerContext.As(Caller.Anonymous);
        return await grains.GetGrain<IArrangementGrain>(id).GetAsync();
    }

    private static IResult Missing(string id) =>
        DataFiles.Problem(StatusCodes.Status404NotFound, "NOT_FOUND", $"No arrangement has the id '{Shorten(id)}'.");

    private static string Shorten(string text) => text.Length > MaxIdLength ? text[..MaxIdLength] + "…" : text;

    /// <summary>An enum value as the GraphQL schema names it (<c>NoQuorum</c> → <c>NO_QUORUM</c>), by GraphQL.NET's own conversion.</summary>
    public static string Constant<TEnum>(TEnum value) where TEnum : struct, Enum => global::GraphQL.StringExtensions.ToConstantCase(value.ToString());

    [GeneratedRegex("^(?<table>tariffs|decisions|proposals)\\.(?<format>csv|json)$")]
    private static partial Regex FileName();
}
