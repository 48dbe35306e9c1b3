using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Access;
using Platform.Grains;
using Platform.Grains.Complaints;

namespace Platform.Gateway.Tests;

/// <summary>
/// Following a report someone else filed (issue 16): a resident who finds their problem reported nearby follows that
/// report instead of filing it again. Through GraphQL with real tokens; the mail itself is tested with the notifier.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FollowReportTests(GatewayFixture fixture)
{
    private const string Follow = """
        mutation($id: ID!) { followReport(input: { complaintId: $id }) { following userErrors { field code message } } }
        """;

    private const string Unfollow = """
        mutation($id: ID!) { unfollowReport(input: { complaintId: $id }) { following userErrors { field code message } } }
        """;

    private const string Followed = "{ followedReports { key serviceCode status open } }";

    /// <summary>A report the demo resident of Hoorn files, with an address only.</summary>
    private async Task<string> FileAsync()
    {
        var payload = (await fixture.DataAsync("""
            mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { message } } }
            """, new
        {
            input = new { arrangementId = "afval-nhn", serviceCode = "bouwpuin", description = "Puin langs het fietspad", location = new { address = "Westerdijk 10, Hoorn" } },
        }, token: await fixture.TokenAsync("citizen@demo.test")))["fileComplaint"]!;
        Assert.Empty(payload["userErrors"]!.AsArray());
        return payload["complaint"]!["key"]!.GetValue<string>();
    }

    private static async Task<IReadOnlyList<string>> FollowersAsync(GatewayFixture fixture, string key)
    {
        using (CallerContext.As(Caller.System("test:followers")))
        {
            return await fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<IComplaintGrain>(key).FollowersAsync();
        }
    }

    private async Task<JsonArray> FollowedAsync(string token) => (await fixture.DataAsync(Followed, token: token))["followedReports"]!.AsArray();

    private static string Neighbour() => $"buur-{Guid.NewGuid():N}"[..17] + "@example.nl";

    [Fact]
    public async Task A_resident_follows_a_report_of_their_municipality_sees_it_in_their_list_and_stops_following()
    {
        var key = await FileAsync();
        var email = Neighbour();
        var token = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");

        var followed = (await fixture.DataAsync(Follow, new { id = key }, token: token))["followReport"]!;
        var again = (await fixture.DataAsync(Follow, new { id = key }, token: token))["followReport"]!;

        Assert.Empty(followed["userErrors"]!.AsArray());
        Assert.True(followed["following"]!.GetValue<bool>());
        Assert.True(again["following"]!.GetValue<bool>());
        Assert.Equal([email], await FollowersAsync(fixture, key)); // once, however often asked
        var listed = Assert.Single(await FollowedAsync(token))!;
        Assert.Equal((key, "bouwpuin", "SUBMITTED", true), (listed["key"]!.GetValue<string>(), listed["serviceCode"]!.GetValue<string>(),
            listed["status"]!.GetValue<string>(), listed["open"]!.GetValue<bool>()));

        var stopped = (await fixture.DataAsync(Unfollow, new { id = key }, token: token))["unfollowReport"]!;
        var stoppedAgain = (await fixture.DataAsync(Unfollow, new { id = key }, token: token))["unfollowReport"]!;

        Assert.Empty(stopped["userErrors"]!.AsArray());
        Assert.False(stopped["following"]!.GetValue<bool>());
        Assert.Empty(stoppedAgain["userErrors"]!.AsArray());
        Assert.Empty(await FollowersAsync(fixture, key));
        Assert.Empty(await FollowedAsync(token));
    }

    [Fact]
    public async Task A_public_report_tells_its_author_alone_that_they_filed_it()
    {
        var key = await FileAsync();
        const string Reports = "{ publicReports(municipalityCode: \"GM0405\", open: true, first: 1000) { key viewerFiled } }";
        async Task<bool> FiledAsync(string? token) =>
            Assert.Single((await fixture.DataAsync(Reports, token: token))["publicReports"]!.AsArray(), r => r!["key"]!.GetValue<string>() == key)!["viewerFiled"]!.GetValue<bool>();

        Assert.True(await FiledAsync(await fixture.TokenAsync("citizen@demo.test")));
        Assert.False(await FiledAsync(await fixture.DedicatedCitizenTokenAsync(Neighbour(), "GM0405")));
        Assert.False(await FiledAsync(await fixture.TokenAsync("admin@demo.test")));
        Assert.False(await FiledAsync(null));
    }

    [Fact]
    public async Task Wrong_follows_are_named_and_add_no_follower()
    {
        var key = await FileAsync();
        var neighbour = await fixture.DedicatedCitizenTokenAsync(Neighbour(), "GM0405");
        var cases = new (string What, object Variables, string? Token, string Code)[]
        {
            ("the author", new { id = key }, await fixture.TokenAsync("citizen@demo.test"), "ALREADY_EXISTS"),
            ("another municipality's resident", new { id = key }, await fixture.TokenAsync("citizen.amsterdam@demo.test"), "NOT_FOUND"),
            ("an executing organisation's staff", new { id = key }, await fixture.TokenAsync("executor@demo.test"), "NOT_FOUND"),
            ("a report that does not exist", new { id = "c-does-not-exist" }, neighbour, "NOT_FOUND"),
            ("an id far too long", new { id = new string('c', 5_000) }, neighbour, "NOT_FOUND"),
        };
        foreach (var (what, variables, token, code) in cases)
        {
            var (status, body) = await fixture.PostAsync(Follow, variables, token: token);
            Assert.True(status == HttpStatusCode.OK, $"{what}: {status} {body}");
            var error = Assert.Single(body["data"]!["followReport"]!["userErrors"]!.AsArray())!;
            Assert.Equal(("complaintId", code), (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()), what);
            Assert.False(body["data"]!["followReport"]!["following"]!.GetValue<bool>(), what);
        }

        var (anonymous, anonymousBody) = await fixture.PostAsync(Follow, new { id = key });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal("UNAUTHENTICATED", anonymousBody["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var (missing, missingBody) = await fixture.PostAsync("mutation { followReport(input: {}) { following } }", token: neighbour);
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Contains("complaintId", missingBody["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var (wrongType, wrongTypeBody) = await fixture.PostAsync("mutation { followReport(input: { complaintId: [1, 2] }) { following } }", token: neighbour);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType);
        Assert.Contains("complaintId", wrongTypeBody["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Empty(await FollowersAsync(fixture, key));
        Assert.Empty(await FollowedAsync(await fixture.TokenAsync("citizen.amsterdam@demo.test")));
    }

    [Fact]
    public async Task A_settled_report_cannot_be_followed_any_more()
    {
        var key = await FileAsync();
        var resolved = (await fixture.DataAsync("""
            mutation($id: ID!) { transitionComplaint(input: { complaintId: $id, action: RESOLVE, note: "Opgeruimd" }) { userErrors { message } } }
            """, new { id = key }, token: await fixture.TokenAsync("executor@demo.test")))["transitionComplaint"]!;
        Assert.Empty(resolved["userErrors"]!.AsArray());

        var refused = (await fixture.DataAsync(Follow, new { id = key }, token: await fixture.DedicatedCitizenTokenAsync(Neighbour(), "GM0405")))["followReport"]!;

        Assert.Equal("CLOSED", Assert.Single(refused["userErrors"]!.AsArray())!["code"]!.GetValue<string>());
        Assert.Empty(await FollowersAsync(fixture, key));
    }

    [Fact]
    public async Task A_follower_stops_following_a_report_rejected_since_and_it_leaves_their_list()
    {
        var key = await FileAsync();
        var token = await fixture.DedicatedCitizenTokenAsync(Neighbour(), "GM0405");
        Assert.True((await fixture.DataAsync(Follow, new { id = key }, token: token))["followReport"]!["following"]!.GetValue<bool>());
        var rejected = (await fixture.DataAsync("""
            mutation($id: ID!) { transitionComplaint(input: { complaintId: $id, action: REJECT, reason: "Niet ons werk", referral: "Provincie" }) { userErrors { message } } }
            """, new { id = key }, token: await fixture.TokenAsync("executor@demo.test")))["transitionComplaint"]!;
        Assert.Empty(rejected["userErrors"]!.AsArray());

        // No longer public, so nobody new may follow it; its follower still stops.
        var other = (await fixture.DataAsync(Follow, new { id = key }, token: await fixture.DedicatedCitizenTokenAsync(Neighbour(), "GM0405")))["followReport"]!;
        Assert.Equal("NOT_FOUND", other["userErrors"]![0]!["code"]!.GetValue<string>());
        var stopped = (await fixture.DataAsync(Unfollow, new { id = key }, token: token))["unfollowReport"]!;

        Assert.Empty(stopped["userErrors"]!.AsArray());
        Assert.Empty(await FollowersAsync(fixture, key));
    }

    [Fact]
    public async Task A_replayed_follow_answers_the_first_answer_and_follows_once()
    {
        var key = await FileAsync();
        var email = Neighbour();
        var token = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");
        var idempotencyKey = Guid.NewGuid().ToString();

        var (firstStatus, first) = await fixture.PostAsync(Follow, new { id = key }, token: token, idempotencyKey: idempotencyKey);
        var (replayStatus, replay) = await fixture.PostAsync(Follow, new { id = key }, token: token, idempotencyKey: idempotencyKey);
        // The same key with another report is a different request under a used key: refused, nothing followed.
        var other = await FileAsync();
        var (_, reused) = await fixture.PostAsync(Follow, new { id = other }, token: token, idempotencyKey: idempotencyKey);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstStatus, replayStatus));
        Assert.Equal(first["data"]!.ToJsonString(), replay["data"]!.ToJsonString());
        Assert.Equal([email], await FollowersAsync(fixture, key));
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", reused["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>()
            ?? reused["data"]!["followReport"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(await FollowersAsync(fixture, other));
    }

    [Fact]
    public async Task Closing_the_account_takes_the_residents_address_off_every_report_they_follow()
    {
        var key = await FileAsync();
        var email = Neighbour();
        var token = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");
        Assert.True((await fixture.DataAsync(Follow, new { id = key }, token: token))["followReport"]!["following"]!.GetValue<bool>());
        Assert.Equal([email], await FollowersAsync(fixture, key));

        var closed = (await fixture.DataAsync("""
            mutation { closeMyAccount(input: { confirm: true }) { closed userErrors { message } } }
            """, token: token))["closeMyAccount"]!;

        Assert.True(closed["closed"]!.GetValue<bool>(), closed.ToJsonString());
        Assert.Empty(await FollowersAsync(fixture, key));
    }
}
