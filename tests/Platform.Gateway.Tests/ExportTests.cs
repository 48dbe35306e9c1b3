using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ReadModel;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

/// <summary>
/// Taking data out: an arrangement's open data (tariffs with their history, decisions, proposals with tallies, a proposal's
/// votes; CSV and JSON with a README of the columns) without a key, and the staff's CSV export of complaints with the triage
/// page's filters. Each file is read back the way a spreadsheet or a script would and compared with what GraphQL says.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ExportTests(GatewayFixture fixture)
{
    private static readonly string[] ComplaintColumns =
        ["complaint", "arrangement", "municipality", "executing_organisation", "service", "status", "filed_at", "resolve_by", "overdue", "resolved_at", "description"];

    private async Task<HttpResponseMessage> GetAsync(string url, string? token = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await fixture.CreateClient().SendAsync(request);
    }

    private async Task<List<Dictionary<string, string>>> CsvAsync(string url, string? token = null)
    {
        using var response = await GetAsync(url, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        return Records(body);
    }

    private static List<Dictionary<string, string>> Records(string text) => CsvText.Records(text);

    private static List<string> Header(string text) => CsvText.Header(text);

    [Fact]
    public async Task Open_data_tariffs_hold_every_tariff_with_its_history_as_CSV_and_JSON_alike_and_the_README_explains_each_column()
    {
        var data = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { tariffs { service { code name } amount validFrom } tariffHistory { service { code } amount validFrom validTo decidedBy } } }""");
        var history = data["arrangement"]!["tariffHistory"]!.AsArray();
        var current = data["arrangement"]!["tariffs"]!.AsArray();

        var rows = await CsvAsync("/open-data/arrangements/afval-nhn/tariffs.csv");
        Assert.Equal(history.Count, rows.Count);
        foreach (var tariff in history)
        {
            Assert.Single(rows, r => r["service_code"] == tariff!["service"]!["code"]!.GetValue<string>()
                && decimal.Parse(r["amount"], System.Globalization.CultureInfo.InvariantCulture) == tariff["amount"]!.GetValue<decimal>()
                && r["valid_from"] == tariff["validFrom"]!.GetValue<string>()
                && r["valid_to"] == (tariff["validTo"]?.GetValue<string>() ?? "")
                && r["decided_by"] == (tariff["decidedBy"]?.GetValue<string>() ?? ""));
        }
        foreach (var tariff in current)
        {
            var code = tariff!["service"]!["code"]!.GetValue<string>();
            Assert.Contains(rows, r => r["service_code"] == code && r["service_name"] == tariff["service"]!["name"]!.GetValue<string>() && r["valid_from"] == tariff["validFrom"]!.GetValue<string>());
        }

        using var json = await GetAsync("/open-data/arrangements/afval-nhn/tariffs.json");
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        var items = JsonNode.Parse(await json.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(rows.Count, items.Count);
        // Typed: the amount is a number, and the same number as in the CSV.
        Assert.Equal(decimal.Parse(rows[0]["amount"], System.Globalization.CultureInfo.InvariantCulture), items[0]!["amount"]!.GetValue<decimal>());
        Assert.Equal(rows[0]["service_code"], items[0]!["service_code"]!.GetValue<string>());

        using var readme = await GetAsync("/open-data/arrangements/afval-nhn/README.md");
        var text = await readme.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, readme.StatusCode);
        foreach (var file in new[] { "tariffs", "decisions", "proposals" })
        {
            using var csv = await GetAsync($"/open-data/arrangements/afval-nhn/{file}.csv");
            foreach (var column in Header(await csv.Content.ReadAsStringAsync())) Assert.Contains($"| `{column}` |", text, StringComparison.Ordinal);
        }
        using var index = await GetAsync("/open-data/arrangements/afval-nhn");
        var files = JsonNode.Parse(await index.Content.ReadAsStringAsync())!["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["tariffs.csv", "tariffs.json", "decisions.csv", "decisions.json", "proposals.csv", "proposals.json"], files);
    }

    [Fact]
    public async Task Open_data_files_revalidate_with_their_ETag_and_a_new_tariff_changes_the_file()
    {
        var key = $"open-{Guid.NewGuid():N}"[..20];
        var token = await fixture.DedicatedOperatorTokenAsync("opendata.operator@demo.test");
        var created = await fixture.DataAsync("mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { userErrors { code } } }",
            new { input = new { key, name = $"Regeling {key}", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "bouwpuin", name = "Bouwpuin" } } } }, token: token);
        Assert.Empty(created["createArrangement"]!["userErrors"]!.AsArray());

        using var empty = await GetAsync($"/open-data/arrangements/{key}/tariffs.csv");
        var etag = empty.Headers.ETag!.ToString();
        Assert.Equal("tariffs.csv", empty.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Contains("max-age=60", empty.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Empty(Records(await empty.Content.ReadAsStringAsync()));
        using var unchanged = await GetAsync($"/open-data/arrangements/{key}/tariffs.csv", ifNoneMatch: etag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        var published = await fixture.DataAsync("""
            mutation($id: ID!) { publishTariffSchedule(input: { arrangementId: $id, tariffs: [{ serviceCode: "bouwpuin", amount: 31.50, unitQuantity: 0.5, unitMeasure: "m³", validFrom: "2026-01-01" }] }) { userErrors { code message } } }
            """, new { id = key }, token: token);
        Assert.Empty(published["publishTariffSchedule"]!["userErrors"]!.AsArray());

        using var changed = await GetAsync($"/open-data/arrangements/{key}/tariffs.csv", ifNoneMatch: etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag!.ToString());
        var row = Assert.Single(Records(await changed.Content.ReadAsStringAsync()));
        Assert.Equal(("bouwpuin", "Bouwpuin", "31.50", "per 0.5 m³", "2026-01-01", ""), (row["service_code"], row["service_name"], row["amount"], row["unit"], row["valid_from"], row["valid_to"]));
    }

    [Fact]
    public async Task A_proposals_votes_and_the_arrangements_proposals_and_decisions_match_what_GraphQL_says()
    {
        var data = await fixture.DataAsync("""
            { proposal(id: "p-demo-bouwpuin") { key title kind phase ballots { municipalityCode weight choice } votes { municipalityCode castAt } tally { totalWeight yes no abstain notVoted } }
              arrangement(id: "afval-nhn") { decisions { proposalKey title } proposals(first: 100) { totalCount } } }
            """);
        var proposal = data["proposal"]!;
        var votes = await CsvAsync("/open-data/proposals/p-demo-bouwpuin/votes.csv");
        var ballots = proposal["ballots"]!.AsArray();
        Assert.Equal(ballots.Count, votes.Count);
        foreach (var ballot in ballots)
        {
            var row = Assert.Single(votes, r => r["municipality"] == ballot!["municipalityCode"]!.GetValue<string>());
            Assert.Equal(ballot!["weight"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), row["weight"]);
            Assert.Equal(ballot["choice"]?.GetValue<string>() ?? "", row["choice"]);
            Assert.NotEqual("", row["municipality_name"]);
        }
        Assert.Contains(votes, r => r["municipality_name"] == "Hoorn");

        var proposals = await CsvAsync("/open-data/arrangements/afval-nhn/proposals.csv");
        Assert.Equal(data["arrangement"]!["proposals"]!["totalCount"]!.GetValue<int>(), proposals.Count);
        var demo = Assert.Single(proposals, p => p["proposal"] == "p-demo-bouwpuin");
        var tally = proposal["tally"]!;
        Assert.Equal((proposal["title"]!.GetValue<string>(), proposal["kind"]!.GetValue<string>(), proposal["phase"]!.GetValue<string>()), (demo["title"], demo["kind"], demo["phase"]));
        Assert.Equal(new[] { "totalWeight", "yes", "no", "abstain", "notVoted" }.Select(f => tally[f]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new[] { "total_weight", "yes", "no", "abstain", "not_voted" }.Select(c => demo[c]));

        var decisions = await CsvAsync("/open-data/arrangements/afval-nhn/decisions.csv");
        Assert.Equal(data["arrangement"]!["decisions"]!.AsArray().Select(d => d!["proposalKey"]!.GetValue<string>()).Order(), decisions.Select(d => d["proposal"]).Order());
    }

    [Theory]
    [InlineData("/open-data/arrangements/does-not-exist/tariffs.csv", HttpStatusCode.NotFound, "does-not-exist")]
    [InlineData("/open-data/arrangements/afval-nhn/tariffs.xlsx", HttpStatusCode.NotFound, "tariffs, decisions and proposals")]
    [InlineData("/open-data/arrangements/afval-nhn/complaints.csv", HttpStatusCode.NotFound, "complaints.csv")]
    [InlineData("/open-data/proposals/does-not-exist/votes.csv", HttpStatusCode.NotFound, "does-not-exist")]
    [InlineData("/open-data/proposals/p-demo-bouwpuin/comments.csv", HttpStatusCode.NotFound, "votes.csv and votes.json")]
    public async Task Open_data_names_what_does_not_exist(string url, HttpStatusCode status, string named)
    {
        using var response = await GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overlong_arrangement_id_is_refused_without_asking_a_grain()
    {
        using var response = await GetAsync($"/open-data/arrangements/{new string('x', 5000)}/tariffs.csv");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 1000, "the answer repeats the whole id");
    }

    [Fact]
    public async Task The_executors_staff_export_the_filtered_complaints_with_formulas_made_harmless_and_quotes_and_commas_intact()
    {
        var marker = $"export-{Guid.NewGuid():N}"[..20];
        var description = $"=HYPERLINK(\"http://evil.test\",\"click\") bulky waste, \"again\" {marker}";
        var filed = await fixture.DataAsync("""
            mutation($d: String!) { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: $d, location: { address: "Kerkplein 1, Hoorn" } }) { complaint { key status filedAt resolveBy } userErrors { message } } }
            """, new { d = description }, token: await fixture.TokenAsync("citizen@demo.test"));
        var complaint = filed["fileComplaint"]!["complaint"]!;
        var key = complaint["key"]!.GetValue<string>();

        var executor = await fixture.TokenAsync("executor@demo.test");
        using var response = await GetAsync($"/exports/complaints.csv?arrangement=afval-nhn&text={marker}", executor);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("attachment; filename=\"complaints-", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(ComplaintColumns, Header(text));
        var row = Assert.Single(Records(text));
        Assert.Equal((key, "afval-nhn", "GM0405", "afvalbedrijf-nhn", "grofvuil", "SUBMITTED", complaint["resolveBy"]!.GetValue<string>(), "false", ""),
            (row["complaint"], row["arrangement"], row["municipality"], row["executing_organisation"], row["service"], row["status"], row["resolve_by"], row["overdue"], row["resolved_at"]));
        // A spreadsheet shows the text; it does not run it.
        Assert.Equal("'" + description, row["description"]);
        Assert.Equal(DateTimeOffset.Parse(complaint["filedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            DateTimeOffset.Parse(row["filed_at"], System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());

        // The filters narrow as the triage page's do.
        Assert.Empty(await CsvAsync($"/exports/complaints.csv?arrangement=afval-nhn&text={marker}&status=REJECTED,CLOSED", executor));
        Assert.Single(await CsvAsync($"/exports/complaints.csv?text={marker}&status=submitted&status=IN_PROGRESS&overdue=false&service=grofvuil", executor));
        Assert.Empty(await CsvAsync($"/exports/complaints.csv?text={marker}&filedTo=2020-01-01", executor));
        // Hoorn's staff see it too (filed in Hoorn), and only Hoorn's complaints.
        var manager = await fixture.TokenAsync("manager@demo.test");
        Assert.Single(await CsvAsync($"/exports/complaints.csv?text={marker}&member=GM0405", manager));
        Assert.All(await CsvAsync("/exports/complaints.csv", manager), r => Assert.Equal("GM0405", r["municipality"]));
    }

    [Fact]
    public async Task The_export_is_every_matching_row_not_a_page_and_matches_the_read_model()
    {
        var citizen = await fixture.TokenAsync("citizen@demo.test");
        for (var i = 0; i < 3; i++)
        {
            await fixture.DataAsync("""mutation($d: String!) { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: $d, location: { address: "Kerkplein 1, Hoorn" } }) { complaint { key } } }""",
                new { d = $"Bulky waste left for the export, number {i}" }, token: citizen);
        }
        var executor = await fixture.TokenAsync("executor@demo.test");
        var rows = await CsvAsync("/exports/complaints.csv?arrangement=afval-nhn", executor);
        await using var store = await fixture.Services.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync();
        var expected = await store.Complaints.AsNoTracking().Where(r => r.ArrangementId == "afval-nhn" && r.ExecutingOrganisation == "afvalbedrijf-nhn").CountAsync();
        Assert.True(expected >= 3);
        Assert.Equal(expected, rows.Count);
        Assert.Equal(rows.Select(r => r["filed_at"]).OrderDescending(StringComparer.Ordinal), rows.Select(r => r["filed_at"]));
        Assert.Equal(rows.Count, rows.Select(r => r["complaint"]).Distinct().Count());
    }

    [Theory]
    [InlineData(null, "", HttpStatusCode.Unauthorized, "Sign in")]
    [InlineData("forged", "", HttpStatusCode.Unauthorized, "")]
    [InlineData("citizen@demo.test", "", HttpStatusCode.Forbidden, "residents follow their own")]
    [InlineData("manager@demo.test", "?member=GM0363", HttpStatusCode.Forbidden, "not GM0363's")]
    [InlineData("manager@demo.test", "?arrangement=gladheid-amstelland", HttpStatusCode.Forbidden, "not a party of the arrangement 'gladheid-amstelland'")]
    [InlineData("executor@demo.test", "?arrangement=gladheid-amstelland", HttpStatusCode.Forbidden, "not a party")]
    [InlineData("manager@demo.test", "?arrangement=does-not-exist", HttpStatusCode.NotFound, "does-not-exist")]
    [InlineData("manager@demo.test", "?status=LOST", HttpStatusCode.BadRequest, "'status' has 'LOST'; use SUBMITTED, ACKNOWLEDGED, IN_PROGRESS")]
    [InlineData("manager@demo.test", "?status=3", HttpStatusCode.BadRequest, "'status' has '3'")]
    [InlineData("manager@demo.test", "?overdue=yes", HttpStatusCode.BadRequest, "'overdue' is true or false")]
    [InlineData("manager@demo.test", "?filedFrom=01-12-2026", HttpStatusCode.BadRequest, "'filedFrom' is a date as yyyy-mm-dd")]
    [InlineData("manager@demo.test", "?filedFrom=2026-12-02&filedTo=2026-01-01", HttpStatusCode.BadRequest, "'filedFrom' is after 'filedTo'")]
    [InlineData("manager@demo.test", "?page=2", HttpStatusCode.BadRequest, "'page' is not a filter")]
    [InlineData("manager@demo.test", "?service=a&service=b", HttpStatusCode.BadRequest, "'service' is given more than once")]
    public async Task A_wrong_export_request_is_refused_by_name(string? who, string query, HttpStatusCode status, string named)
    {
        var token = who switch { null => null, "forged" => "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", _ => await fixture.TokenAsync(who) };
        using var response = await GetAsync("/exports/complaints.csv" + query, token);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Overlong_words_are_refused()
    {
        using var response = await GetAsync($"/exports/complaints.csv?text={new string('a', 201)}", await fixture.TokenAsync("manager@demo.test"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'text' is at most 200 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
