using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json.Nodes;
using Platform.Domain.Access;
using Platform.Grains;
using Platform.Grains.Complaints;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ComplaintListTests(GatewayFixture fixture)
{
    private const string List = """
        query($filter: ComplaintFilter, $first: Int, $after: String) {
          complaints(filter: $filter, first: $first, after: $after) { totalCount nodes { key status description } pageInfo { hasNextPage endCursor } }
        }
        """;

    private async Task<List<string>> FileAsync(string marker, int count, string who = "citizen@demo.test")
    {
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var data = await fixture.DataAsync("""
                mutation($d: String!) { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: $d, location: { address: "Kerkplein 1, Hoorn" } }) { complaint { key } } }
                """, new { d = $"Bulky waste left {marker} number {i}" }, token: await fixture.TokenAsync(who));
            keys.Add(data["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>());
        }
        return keys;
    }

    /// <summary>Files about afval-nhn as a resident of Hoorn with this address, straight through the grain.</summary>
    private async Task<string> FileAsResidentAsync(string email, string marker)
    {
        var key = $"c-{Guid.NewGuid():N}";
        using (CallerContext.As(new Caller(CallerKind.User, email, "GM0405", [Roles.Citizen], [])))
        {
            var filed = await fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<IComplaintGrain>(key).FileAsync(
                new FileComplaint("afval-nhn", "grofvuil", $"Bulky waste left {marker} by {email}", new Location(52.64, 5.06, "Kerkplein 1, Hoorn")));
            Assert.True(filed.Succeeded, string.Join("; ", filed.Errors));
        }
        return key;
    }

    private async Task<JsonNode> ListAsync(string who, object? filter = null, int? first = null, string? after = null) =>
        (await fixture.DataAsync(List, new { filter, first, after }, token: await fixture.TokenAsync(who)))["complaints"]!;

    private static List<string> Keys(JsonNode page) => page["nodes"]!.AsArray().Select(n => n!["key"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Each_caller_lists_exactly_the_complaints_they_may_see_newest_first()
    {
        var marker = $"m{Guid.NewGuid():N}"[..10];
        var keys = await FileAsync(marker, 3);
        var filter = new { text = marker };

        var citizen = Keys(await ListAsync("citizen@demo.test", filter));
        var manager = Keys(await ListAsync("manager@demo.test", filter));
        var executor = Keys(await ListAsync("executor@demo.test", filter));
        var partner = Keys(await ListAsync("demo-partner", filter));
        var otherMunicipality = Keys(await ListAsync("admin.amsterdam@demo.test", filter));
        var otherExecutor = Keys(await ListAsync("executor.amstelland@demo.test", filter));
        var otherCitizen = Keys(await ListAsync("citizen.amsterdam@demo.test", filter));

        var newestFirst = Enumerable.Reverse(keys).ToList();
        Assert.Equal(newestFirst, citizen);
        Assert.Equal(newestFirst, manager);
        Assert.Equal(newestFirst, executor);
        Assert.Equal(newestFirst, partner);
        Assert.Empty(otherMunicipality);
        Assert.Empty(otherExecutor);
        Assert.Empty(otherCitizen);
        var (anonymous, _) = await fixture.PostAsync(List, new { filter });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    [Fact]
    public async Task Filters_narrow_the_list_and_pages_follow_the_cursor()
    {
        var marker = $"f{Guid.NewGuid():N}"[..10];
        var keys = await FileAsync(marker, 3);
        await fixture.DataAsync("mutation($id: ID!) { transitionComplaint(input: { complaintId: $id, action: ACKNOWLEDGE }) { userErrors { code } } }",
            new { id = keys[0] }, token: await fixture.TokenAsync("executor@demo.test"));

        var acknowledged = Keys(await ListAsync("manager@demo.test", new { text = marker, status = new[] { "ACKNOWLEDGED" } }));
        var submitted = Keys(await ListAsync("manager@demo.test", new { text = marker, status = new[] { "SUBMITTED" }, serviceCode = "grofvuil", arrangementId = "afval-nhn" }));
        var otherService = Keys(await ListAsync("manager@demo.test", new { text = marker, serviceCode = "bouwpuin" }));
        var future = Keys(await ListAsync("manager@demo.test", new { text = marker, filedFrom = "2100-01-01" }));
        var firstPage = await ListAsync("manager@demo.test", new { text = marker }, first: 2);
        var secondPage = await ListAsync("manager@demo.test", new { text = marker }, first: 2, after: firstPage["pageInfo"]!["endCursor"]!.GetValue<string>());

        Assert.Equal([keys[0]], acknowledged);
        Assert.Equal([keys[2], keys[1]], submitted);
        Assert.Empty(otherService);
        Assert.Empty(future);
        Assert.Equal(3, firstPage["totalCount"]!.GetValue<int>());
        Assert.True(firstPage["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal([keys[2], keys[1]], Keys(firstPage));
        Assert.Equal([keys[0]], Keys(secondPage));
        Assert.False(secondPage["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_word_search_finds_the_text_as_written_whatever_its_case_with_no_wildcards()
    {
        // On PostgreSQL the search is an ILIKE pattern (which the trigram index answers): % and _ in the words must not
        // act as wildcards there, and case must not matter on either engine.
        var marker = $"w{Guid.NewGuid():N}"[..10];
        var token = await fixture.TokenAsync("citizen@demo.test");
        async Task<string> FileAsync(string description) => (await fixture.DataAsync("""
            mutation($d: String!) { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: $d, location: { address: "Kerkplein 1, Hoorn" } }) { complaint { key } } }
            """, new { d = description }, token: token))["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        var percent = await FileAsync($"Glass left, 50%{marker} of the container");
        var letter = await FileAsync($"Glass left, 50x{marker} of the container");
        var underscore = await FileAsync($"Glass left, 5_{marker} at the back\\door");

        Assert.Equal([percent], Keys(await ListAsync("manager@demo.test", new { text = $"50%{marker}" })));
        Assert.Equal([underscore], Keys(await ListAsync("manager@demo.test", new { text = $"_{marker}" })));
        Assert.Equal([underscore], Keys(await ListAsync("manager@demo.test", new { text = $"{marker} at the back\\door" })));
        Assert.Equal([underscore, letter, percent], Keys(await ListAsync("manager@demo.test", new { text = marker.ToUpperInvariant() })));
        Assert.Equal(3, (await ListAsync("manager@demo.test", new { text = $"  {marker} " }))["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Staff_see_their_own_complaints_and_their_organisations_each_once_in_filing_order_across_pages()
    {
        var marker = $"o{Guid.NewGuid():N}"[..10];
        var residents = await FileAsync(marker, 1);
        // Staff may also be residents (a complaint confirmed by mail with their address before they signed in is theirs).
        var managers = new[] { await FileAsResidentAsync("manager@demo.test", marker), await FileAsResidentAsync("manager@demo.test", marker) };
        var strangers = new[] { await FileAsResidentAsync("executor.amstelland@demo.test", marker) }; // theirs (and Hoorn's), not their organisation's
        var more = await FileAsync(marker, 1);
        var filter = new { text = marker };

        var manager = await ListAsync("manager@demo.test", filter);
        var stranger = await ListAsync("executor.amstelland@demo.test", filter);
        var walked = new List<string>();
        string? after = null;
        for (var i = 0; i < 10; i++)
        {
            var page = await ListAsync("manager@demo.test", filter, first: 1, after: after);
            Assert.Equal(5, page["totalCount"]!.GetValue<int>());
            walked.AddRange(Keys(page));
            if (!page["pageInfo"]!["hasNextPage"]!.GetValue<bool>()) break;
            after = page["pageInfo"]!["endCursor"]!.GetValue<string>();
        }

        List<string> expected = [more[0], strangers[0], managers[1], managers[0], residents[0]];
        Assert.Equal(expected, Keys(manager));
        Assert.Equal(5, manager["totalCount"]!.GetValue<int>());
        Assert.Equal(expected, walked);
        Assert.Equal(strangers, Keys(stranger));
        Assert.Equal(1, stranger["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_search_text_over_200_characters_is_refused()
    {
        var (_, body) = await fixture.PostAsync(List, new { filter = new { text = new string('a', 201) } }, token: await fixture.TokenAsync("manager@demo.test"));

        Assert.Equal("BAD_USER_INPUT", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("200", body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_foreign_cursor_is_refused()
    {
        var (_, body) = await fixture.PostAsync(List, new { after = "garbage" }, token: await fixture.TokenAsync("manager@demo.test"));

        Assert.Equal("BAD_USER_INPUT", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Municipal_staff_see_figures_for_their_municipality_and_citizens_do_not()
    {
        var marker = $"g{Guid.NewGuid():N}"[..10];
        var keys = await FileAsync(marker, 2);
        var executor = await fixture.TokenAsync("executor@demo.test");
        await fixture.DataAsync("mutation($id: ID!) { transitionComplaint(input: { complaintId: $id, action: RESOLVE }) { userErrors { code } } }", new { id = keys[0] }, token: executor);
        const string Figures = """{ complaintFigures(arrangementId: "afval-nhn") { total open overdue resolvedOnTimePercent medianDaysToResolve } }""";

        var figures = (await fixture.DataAsync(Figures, token: await fixture.TokenAsync("manager@demo.test")))["complaintFigures"]!;
        var (citizen, _) = await fixture.PostAsync(Figures, token: await fixture.TokenAsync("citizen@demo.test"));

        Assert.True(figures["total"]!.GetValue<int>() >= 2);
        Assert.True(figures["open"]!.GetValue<int>() >= 1);
        Assert.Equal(100.0, figures["resolvedOnTimePercent"]!.GetValue<double>());
        Assert.True(figures["medianDaysToResolve"]!.GetValue<double>() < 1);
        Assert.Equal(HttpStatusCode.Forbidden, citizen);
    }

    private const string Seen = """
        query($filter: ComplaintFilter) { complaints(filter: $filter, first: 20) { nodes { key status viewerRole allowedActions history { action } } } }
        """;

    private const string One = """
        query($id: ID!) { complaint(id: $id) { key status viewerRole allowedActions history { action } } }
        """;

    private (long Kept, long FromGrains) Counts() => fixture.Services.GetRequiredService<Platform.Gateway.Complaints.ListedComplaints>().Counts;

    [Fact]
    public async Task A_listed_complaint_is_kept_per_version_and_read_again_once_its_row_moves_on_also_after_a_change_made_past_the_gateway()
    {
        var marker = $"k{Guid.NewGuid():N}"[..10];
        var keys = await FileAsync(marker, 2);
        var filter = new { text = marker };
        await ListAsync("executor@demo.test", filter); // read from the grains, and kept

        var before = Counts();
        var again = await ListAsync("executor@demo.test", filter);
        var kept = Counts();
        // Acknowledged straight through the grain, as the silo's own work does: the gateway is not told.
        using (CallerContext.As(new Caller(CallerKind.User, "executor@demo.test", DemoAccounts.WasteExecutor, [Roles.ExecutorStaff], [])))
        {
            var acknowledged = await fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<IComplaintGrain>(keys[0])
                .TransitionAsync(new ComplaintTransition(Platform.Domain.Complaints.ComplaintAction.Acknowledge, null, null, null, null));
            Assert.True(acknowledged.Succeeded, string.Join("; ", acknowledged.Errors));
        }
        var after = (await fixture.DataAsync(Seen, new { filter }, token: await fixture.TokenAsync("executor@demo.test")))["complaints"]!["nodes"]!.AsArray();
        var moved = Counts();

        Assert.Equal(["SUBMITTED", "SUBMITTED"], again["nodes"]!.AsArray().Select(n => n!["status"]!.GetValue<string>()));
        Assert.Equal((before.Kept + 2, before.FromGrains), kept);
        Assert.Equal(keys[0], after[1]!["key"]!.GetValue<string>());
        Assert.Equal("ACKNOWLEDGED", after[1]!["status"]!.GetValue<string>());
        Assert.Equal("SUBMITTED", after[0]!["status"]!.GetValue<string>());
        Assert.Equal((kept.Kept + 1, kept.FromGrains + 1), moved);
    }

    private (long Kept, long Counted) TotalCounts() => fixture.Services.GetRequiredService<Platform.Gateway.Complaints.ListCounts>().Counts;

    private async Task<long?> ListVersionAsync()
    {
        await using var store = await fixture.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Platform.ReadModel.ComplaintListStore>>().CreateDbContextAsync();
        return await Platform.ReadModel.ComplaintListVersion.ReadAsync(store, CancellationToken.None);
    }

    [Fact]
    public async Task A_lists_total_is_told_again_while_no_row_changed_and_counted_again_after_any_change_also_past_the_gateway()
    {
        var marker = $"t{Guid.NewGuid():N}"[..10];
        await FileAsync(marker, 2);
        var filter = new { text = marker };
        Assert.Equal(2, (await ListAsync("executor@demo.test", filter))["totalCount"]!.GetValue<int>()); // counted, and kept

        var version = await ListVersionAsync();
        var before = TotalCounts();
        var again = await ListAsync("executor@demo.test", filter);
        var told = TotalCounts();
        var unchanged = version == await ListVersionAsync();
        // Filed straight through the grain, as another gateway's request would be: this gateway is not told, the database is.
        await FileAsResidentAsync("citizen@demo.test", marker);
        var after = await ListAsync("executor@demo.test", filter);
        var recounted = TotalCounts();
        var otherCaller = await ListAsync("manager@demo.test", filter);

        Assert.Equal(2, again["totalCount"]!.GetValue<int>());
        // The executor's staff read two parts (the organisation's, and their own): both told again, unless some other
        // work of the platform changed a row in between (then both are counted, which is right too).
        if (unchanged) Assert.Equal((before.Kept + 2, before.Counted), told);
        Assert.Equal(3, after["totalCount"]!.GetValue<int>());
        Assert.Equal(3, after["nodes"]!.AsArray().Count);
        Assert.True(recounted.Counted >= told.Counted + 2, $"counted {told.Counted} → {recounted.Counted}");
        Assert.Equal(3, otherCaller["totalCount"]!.GetValue<int>()); // another part's count, never the executor's
    }

    [Fact]
    public async Task A_kept_complaint_shows_each_caller_their_own_role_and_actions_as_the_grain_does()
    {
        var marker = $"r{Guid.NewGuid():N}"[..10];
        var key = (await FileAsync(marker, 1))[0];
        var filter = new { text = marker };
        await ListAsync("executor@demo.test", filter); // kept as the executor's staff saw it

        foreach (var who in new[] { "citizen@demo.test", "manager@demo.test", "demo-partner", "executor@demo.test" })
        {
            var token = await fixture.TokenAsync(who);
            var before = Counts();
            var listed = (await fixture.DataAsync(Seen, new { filter }, token: token))["complaints"]!["nodes"]!.AsArray().Single()!;
            var served = Counts();
            var fromGrain = (await fixture.DataAsync(One, new { id = key }, token: token))["complaint"]!;

            Assert.Equal((before.Kept + 1, before.FromGrains), served);
            Assert.Equal(fromGrain.ToJsonString(), listed.ToJsonString());
        }
        var roles = new List<string>();
        foreach (var who in new[] { "citizen@demo.test", "manager@demo.test", "executor@demo.test" })
        {
            var listed = (await fixture.DataAsync(Seen, new { filter }, token: await fixture.TokenAsync(who)))["complaints"]!["nodes"]!.AsArray().Single()!;
            roles.Add(listed["viewerRole"]!.GetValue<string>());
        }
        Assert.Equal(["AUTHOR", "MUNICIPALITY_STAFF", "EXECUTOR_STAFF"], roles);
    }
}
