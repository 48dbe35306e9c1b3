using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Platform.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class PlatformTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_gateway_answers_the_demo_debris_tariff_of_35_euros()
    {
        var data = await platform.GraphQLAsync("""{ arrangement(id: "afval-nhn") { tariffs { service { code } amount unit } } }""");

        var debris = data["arrangement"]!["tariffs"]!.AsArray().Single(t => t!["service"]!["code"]!.GetValue<string>() == "bouwpuin")!;
        Assert.Equal("35.00", debris["amount"]!.ToJsonString());
        Assert.Equal("per 0.5 m³", debris["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_cluster_membership_is_kept_on_a_table_service_of_its_own_apart_from_the_reminders()
    {
        // Azurite writes all of a service's tables to disk again after any change, and every silo writes its heartbeat
        // row every 10 s: beside the reminders (one per open complaint before the service-level sweep) that cost a core
        // seconds a minute at scale.
        var membership = new TableServiceClient(platform.MembershipTables);
        var storage = new TableServiceClient(platform.StorageTables);

        var membershipTables = await membership.QueryAsync().Select(t => t.Name).ToListAsync();
        var storageTables = await storage.QueryAsync().Select(t => t.Name).ToListAsync();
        var silos = await membership.GetTableClient("OrleansSiloInstances").QueryAsync<TableEntity>(e => e.PartitionKey == "platform-local").ToListAsync();

        Assert.Equal(["OrleansSiloInstances"], membershipTables);
        Assert.Contains("OrleansReminders", storageTables);
        Assert.DoesNotContain("OrleansSiloInstances", storageTables);
        Assert.Contains(silos, row => row.GetString("Status") == "Active");
    }

    [Fact]
    public async Task One_reminder_keeps_the_service_level_clock_of_every_complaint()
    {
        // The demo data's complaints are open, each with a next check in its list row; none has a reminder row of its own.
        var reminders = new TableServiceClient(platform.StorageTables).GetTableClient("OrleansReminders");
        List<TableEntity> rows = [];
        for (var attempt = 0; attempt < 60; attempt++)
        {
            rows = await reminders.QueryAsync<TableEntity>().ToListAsync();
            if (rows.Any(r => r.GetString("ReminderName") == "service-level-sweep")) break;
            await Task.Delay(500); // each silo stores it, unless stored, once it is active
        }

        Assert.Single(rows, r => r.GetString("ReminderName") == "service-level-sweep");
        Assert.DoesNotContain(rows, r => r.GetString("ReminderName") == "service-level");
    }

    [Fact]
    public async Task Data_created_through_mutations_survives_stopping_and_starting_the_whole_platform()
    {
        var key = $"e2e-{Guid.NewGuid():N}"[..16];
        var token = await platform.Tokens.UserAccessTokenAsync("operator@demo.test");
        // One mutation per request, as the gateway requires.
        await platform.GraphQLAsync("""
            mutation { onboardMunicipality(input: { code: "GM0034", name: "Almere", inhabitants: 226000, inhabitantsReferenceDate: "2024-01-01" }) { userErrors { code } } }
            """, token: token);
        var created = await platform.GraphQLAsync("""
            mutation($key: String!) { createArrangement(input: { key: $key, name: "Afval Flevoland", executingOrganisationId: "afvalbedrijf-nhn", services: [{ code: "bouwpuin", name: "Bouwpuin" }] }) { userErrors { code message } } }
            """, new { key }, token);
        Assert.Empty(created["createArrangement"]!["userErrors"]!.AsArray());
        var member = await platform.GraphQLAsync("""
            mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: "GM0034" }) { userErrors { code message } } }
            """, new { key }, token);
        var tariffs = await platform.GraphQLAsync("""
            mutation($key: ID!) { publishTariffSchedule(input: { arrangementId: $key, decidedBy: "AB-E2E", tariffs: [{ serviceCode: "bouwpuin", amount: 27.50, unitQuantity: 0.5, unitMeasure: "m³", validFrom: "2025-01-01" }] }) { userErrors { code message } } }
            """, new { key }, token);
        Assert.Empty(member["addMember"]!["userErrors"]!.AsArray());
        Assert.Empty(tariffs["publishTariffSchedule"]!["userErrors"]!.AsArray());

        await platform.RestartPlatformAsync();

        var after = await platform.GraphQLAsync("""
            query($key: ID!) { arrangement(id: $key) { name members { municipality { code name } } tariffs(on: "2026-01-01") { amount decidedBy } } }
            """, new { key });
        var arrangement = after["arrangement"]!;
        Assert.Equal("Afval Flevoland", arrangement["name"]!.GetValue<string>());
        Assert.Equal("Almere", arrangement["members"]![0]!["municipality"]!["name"]!.GetValue<string>());
        Assert.Equal(("27.50", "AB-E2E"), (arrangement["tariffs"]![0]!["amount"]!.ToJsonString(), arrangement["tariffs"]![0]!["decidedBy"]!.GetValue<string>()));

        // Read back from JSON grain state in one silo, each arrangement keeps its own vote-weight rule
        // (a shared default object, filled in place on reload, once gave every arrangement the last one read).
        var weights = await platform.GraphQLAsync("""
            query($key: ID!) { mine: arrangement(id: $key) { voteWeight { kind } } waste: arrangement(id: "afval-nhn") { voteWeight { kind inhabitantsPerVote } }
              grit: arrangement(id: "gladheid-amstelland") { voteWeight { kind } } }
            """, new { key });
        Assert.Equal(("ONE_PER_MEMBER", "BY_INHABITANTS", "ONE_PER_MEMBER"), (weights["mine"]!["voteWeight"]!["kind"]!.GetValue<string>(),
            weights["waste"]!["voteWeight"]!["kind"]!.GetValue<string>(), weights["grit"]!["voteWeight"]!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_partner_token_from_the_identity_server_is_accepted_by_the_gateway()
    {
        var token = await platform.Tokens.AccessTokenAsync("demo-partner", "demo-partner-secret");

        var data = await platform.GraphQLAsync("{ viewer { kind subject organisation scopes } }", token: token);

        var viewer = data["viewer"]!;
        Assert.Equal(("PARTNER", "demo-partner", "GM0405"), (viewer["kind"]!.GetValue<string>(), viewer["subject"]!.GetValue<string>(), viewer["organisation"]!.GetValue<string>()));
        Assert.Contains("arrangements:write", viewer["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task The_portal_shows_a_municipalitys_arrangements_and_tariffs_it_reads_from_the_gateway_without_javascript()
    {
        var hoorn = WebUtility.HtmlDecode(await platform.Http.GetStringAsync(new Uri(platform.WebAdminUrl, "/?gemeente=GM0405")));
        var amsterdam = WebUtility.HtmlDecode(await platform.Http.GetStringAsync(new Uri(platform.WebAdminUrl, "/?gemeente=GM0363")));

        Assert.Contains("Gemeenschappelijke Regeling Afval Noord-Holland Noord", hoorn);
        Assert.Contains("€ 35,00 per 0.5 m³", hoorn);
        Assert.DoesNotContain("Samenwerking Gladheidbestrijding Amstelland", hoorn);
        Assert.Contains("Samenwerking Gladheidbestrijding Amstelland", amsterdam);
        Assert.DoesNotContain("role=\"alert\"", hoorn);
        Assert.DoesNotContain("<script", hoorn); // static server rendering: the portal works without JavaScript
    }

    [Fact]
    public async Task The_graphql_http_audit_reports_no_errors_and_at_most_two_warnings()
    {
        var auditFolder = Path.Combine(Repository.Root, "tests", "graphql-audit");
        await Repository.RunOrThrowAsync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], auditFolder);

        var output = await Repository.RunOrThrowAsync("node", ["audit.mjs", platform.GatewayUrl.ToString()], auditFolder);

        var summary = JsonNode.Parse(output)!;
        var failures = summary["results"]!.AsArray().Where(r => r!["status"]!.GetValue<string>() != "ok").Select(r => r!.ToJsonString());
        Assert.True(summary["error"]!.GetValue<int>() == 0, string.Join("\n", failures));
        Assert.InRange(summary["warn"]!.GetValue<int>(), 0, 2);
        Assert.True(summary["ok"]!.GetValue<int>() >= 59, $"only {summary["ok"]} audits passed");
    }
}
