using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ComplaintTests(GatewayFixture fixture)
{
    private const string File = """
        mutation($input: FileComplaintInput!) {
          fileComplaint(input: $input) { complaint { key status municipality executingOrganisation { key } acknowledgeBy resolveBy viewerRole allowedActions } userErrors { field code message } }
        }
        """;

    private const string Transition = """
        mutation($input: TransitionComplaintInput!) {
          transitionComplaint(input: $input) { complaint { status allowedActions reason referral duplicateOf history { actor action detail } } userErrors { field code message } }
        }
        """;

    private const string Read = "query($id: ID!) { complaint(id: $id) { key status viewerRole description } }";

    private static object Complaint(string service = "bouwpuin", string arrangement = "afval-nhn", object? location = null, string? key = null) => new
    {
        input = new
        {
            clientMutationId = key,
            arrangementId = arrangement,
            serviceCode = service,
            description = "Construction debris dumped at the edge of the polder road",
            location = location ?? new { latitude = 52.6424, longitude = 5.0602, address = "Westfriese Omringdijk, Hoorn" },
        },
    };

    private async Task<string> FileAsync(string? key = null)
    {
        var payload = (await fixture.DataAsync(File, Complaint(key: key), token: await fixture.TokenAsync("citizen@demo.test")))["fileComplaint"]!;
        Assert.Empty(payload["userErrors"]!.AsArray());
        return payload["complaint"]!["key"]!.GetValue<string>();
    }

    private async Task<JsonNode> StepAsync(string who, string id, string action, object? extra = null)
    {
        var input = new JsonObject { ["complaintId"] = id, ["action"] = action };
        if (extra is not null) foreach (var (k, v) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject()) input[k] = v?.DeepClone();
        return (await fixture.DataAsync(Transition, new { input }, token: await fixture.TokenAsync(who)))["transitionComplaint"]!;
    }

    [Fact]
    public async Task A_filed_complaint_goes_to_the_executing_organisation_with_service_level_dates()
    {
        var payload = (await fixture.DataAsync(File, Complaint(), token: await fixture.TokenAsync("citizen@demo.test")))["fileComplaint"]!;

        var complaint = payload["complaint"]!;
        Assert.Equal(("SUBMITTED", "GM0405", "afvalbedrijf-nhn", "AUTHOR"),
            (complaint["status"]!.GetValue<string>(), complaint["municipality"]!.GetValue<string>(), complaint["executingOrganisation"]!["key"]!.GetValue<string>(), complaint["viewerRole"]!.GetValue<string>()));
        var acknowledgeBy = DateOnly.Parse(complaint["acknowledgeBy"]!.GetValue<string>());
        var resolveBy = DateOnly.Parse(complaint["resolveBy"]!.GetValue<string>());
        Assert.True(resolveBy > acknowledgeBy);
        Assert.Empty(complaint["allowedActions"]!.AsArray());
    }

    [Fact]
    public async Task The_author_their_municipality_and_the_executor_see_it_and_nobody_else()
    {
        var id = await FileAsync();

        async Task<string?> RoleOf(string who)
        {
            var data = await fixture.DataAsync(Read, new { id }, token: who == "anonymous" ? null : await fixture.TokenAsync(who));
            return data["complaint"]?["viewerRole"]?.GetValue<string>();
        }

        Assert.Equal("AUTHOR", await RoleOf("citizen@demo.test"));
        Assert.Equal("MUNICIPALITY_STAFF", await RoleOf("manager@demo.test"));
        Assert.Equal("MUNICIPALITY_STAFF", await RoleOf("demo-partner"));
        Assert.Equal("EXECUTOR_STAFF", await RoleOf("executor@demo.test"));
        foreach (var outsider in new[] { "anonymous", "admin.amsterdam@demo.test", "citizen.amsterdam@demo.test", "executor.amstelland@demo.test", "demo-partner-amsterdam", "operator@demo.test" })
        {
            Assert.Null(await RoleOf(outsider));
        }
    }

    [Fact]
    public async Task Executor_resolves_citizen_confirms_and_may_reopen_with_every_step_recorded()
    {
        var id = await FileAsync();

        Assert.Equal("ACKNOWLEDGED", (await StepAsync("executor@demo.test", id, "ACKNOWLEDGE", new { note = "Team sent" }))["complaint"]!["status"]!.GetValue<string>());
        Assert.Equal("IN_PROGRESS", (await StepAsync("executor@demo.test", id, "START_WORK"))["complaint"]!["status"]!.GetValue<string>());
        var resolved = (await StepAsync("executor@demo.test", id, "RESOLVE", new { note = "Debris removed" }))["complaint"]!;
        Assert.Equal("RESOLVED", resolved["status"]!.GetValue<string>());
        var closed = (await StepAsync("citizen@demo.test", id, "CONFIRM"))["complaint"]!;
        Assert.Equal("CLOSED", closed["status"]!.GetValue<string>());
        Assert.Equal(["REOPEN"], closed["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        var reopened = (await StepAsync("citizen@demo.test", id, "REOPEN", new { note = "It is back" }))["complaint"]!;

        Assert.Equal("REOPENED", reopened["status"]!.GetValue<string>());
        var history = reopened["history"]!.AsArray();
        Assert.Equal(["filed", "Acknowledge", "StartWork", "Resolve", "Confirm", "Reopen"], history.Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("executor@demo.test", history[3]!["actor"]!.GetValue<string>());
        Assert.Contains("Debris removed", history[3]!["detail"]!.GetValue<string>());
        Assert.Equal("citizen@demo.test", history[4]!["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_step_the_caller_may_not_take_is_403_and_an_illegal_one_names_what_is_possible()
    {
        var id = await FileAsync();

        var (citizenResolves, body) = await fixture.PostAsync(Transition, new { input = new { complaintId = id, action = "RESOLVE" } }, token: await fixture.TokenAsync("citizen@demo.test"));
        var (executorConfirms, _) = await fixture.PostAsync(Transition, new { input = new { complaintId = id, action = "CONFIRM" } }, token: await fixture.TokenAsync("executor@demo.test"));
        await StepAsync("executor@demo.test", id, "ACKNOWLEDGE");
        var again = await StepAsync("executor@demo.test", id, "ACKNOWLEDGE");

        Assert.Equal(HttpStatusCode.Forbidden, citizenResolves);
        Assert.Equal("FORBIDDEN", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, executorConfirms);
        Assert.Equal("ILLEGAL_TRANSITION", again["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("possible now", again["userErrors"]![0]!["message"]!.GetValue<string>());
        var now = await fixture.DataAsync(Read, new { id }, token: await fixture.TokenAsync("citizen@demo.test"));
        Assert.Equal("ACKNOWLEDGED", now["complaint"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rejection_carries_a_reason_and_a_referral_and_a_duplicate_links_to_its_original()
    {
        var original = await FileAsync();
        var rejected = await FileAsync();
        var duplicate = await FileAsync();

        var noReason = await StepAsync("manager@demo.test", rejected, "REJECT");
        var reject = (await StepAsync("manager@demo.test", rejected, "REJECT", new { reason = "This is a provincial road", referral = "Provincie Noord-Holland" }))["complaint"]!;
        var linked = (await StepAsync("executor@demo.test", duplicate, "MARK_DUPLICATE", new { duplicateOf = original }))["complaint"]!;

        Assert.Equal(("reason", "REQUIRED"), (noReason["userErrors"]![0]!["field"]!.GetValue<string>(), noReason["userErrors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(("REJECTED", "Provincie Noord-Holland"), (reject["status"]!.GetValue<string>(), reject["referral"]!.GetValue<string>()));
        Assert.Equal(("DUPLICATE", original), (linked["status"]!.GetValue<string>(), linked["duplicateOf"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("bouwpuin", "afval-nhn", "none", "location", "REQUIRED")]
    [InlineData("bouwpuin", "afval-nhn", "abroad", "location", "OUT_OF_RANGE")]
    [InlineData("asbest", "afval-nhn", "ok", "serviceCode", "UNKNOWN_SERVICE")]
    [InlineData("strooien-fietspaden", "gladheid-amstelland", "ok", "arrangementId", "OUT_OF_RANGE")]
    [InlineData("bouwpuin", "no-such-arrangement", "ok", "arrangementId", "NOT_FOUND")]
    public async Task A_bad_complaint_is_refused_with_the_field_named_and_nothing_filed(string service, string arrangement, string where, string field, string code)
    {
        object location = where switch
        {
            "none" => new { address = (string?)null },
            "abroad" => new { latitude = 48.85, longitude = 2.35 },
            _ => new { address = "Grote Oost 1, Hoorn" },
        };

        var payload = (await fixture.DataAsync(File, Complaint(service, arrangement, location), token: await fixture.TokenAsync("citizen@demo.test")))["fileComplaint"]!;

        Assert.Equal((field, code), (payload["userErrors"]![0]!["field"]!.GetValue<string>(), payload["userErrors"]![0]!["code"]!.GetValue<string>()));
        Assert.Null(payload["complaint"]);
    }

    [Fact]
    public async Task A_replayed_step_with_the_same_key_is_taken_once()
    {
        var id = await FileAsync();
        var input = new { input = new { clientMutationId = $"ack-{id}", complaintId = id, action = "ACKNOWLEDGE" } };
        var executor = await fixture.TokenAsync("executor@demo.test");

        var first = (await fixture.DataAsync(Transition, input, token: executor))["transitionComplaint"]!;
        var replay = (await fixture.DataAsync(Transition, input, token: executor))["transitionComplaint"]!;

        Assert.Empty(first["userErrors"]!.AsArray());
        Assert.Empty(replay["userErrors"]!.AsArray()); // not ILLEGAL_TRANSITION: the first answer again
        Assert.Single(replay["complaint"]!["history"]!.AsArray(), h => h!["action"]!.GetValue<string>() == "Acknowledge");
    }

    [Fact]
    public async Task Only_a_signed_in_resident_files()
    {
        var (anonymous, _) = await fixture.PostAsync(File, Complaint());
        var (staff, _) = await fixture.PostAsync(File, Complaint(), token: await fixture.TokenAsync("manager@demo.test"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.Forbidden, staff);
    }

    [Fact]
    public async Task A_replayed_filing_with_the_same_key_files_exactly_one_complaint()
    {
        var first = await FileAsync(key: "file-once-1");
        var replay = await FileAsync(key: "file-once-1");

        Assert.Equal(first, replay);
        var history = await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { history { action } } }", new { id = first }, token: await fixture.TokenAsync("citizen@demo.test"));
        Assert.Single(history["complaint"]!["history"]!.AsArray());
    }
}
