using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Access;
using Platform.Gateway.GraphQL.Http;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;

namespace Platform.Gateway.Tests;

/// <summary>
/// The records of arrangements and municipalities a query run in full reads are kept under the public data feed, for
/// every caller, and never served after a change of them returned: through the gateway or past it.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PublicRecordsTests(GatewayFixture fixture)
{
    private const string Members = """
        query($id: ID!) { arrangement(id: $id) { key members { municipality { code portalTheme } } } }
        """;

    private long Served() => fixture.Services.GetRequiredService<PublicAnswerCache>().RecordsServed;

    /// <summary>Every signed-in request also reads its caller's tenant and access from kept records (the organisation's).</summary>
    private const int CallerRecords = 2;

    private async Task<JsonNode> ReadAsync(string key, string token, bool fresh = false) =>
        (await fixture.DataAsync(Members, new { id = key }, token: token, headers: fresh ? new() { ["Cache-Control"] = "no-cache" } : null))["arrangement"]!;

    private static string[] Codes(JsonNode arrangement) =>
        arrangement["members"]!.AsArray().Select(m => m!["municipality"]!["code"]!.GetValue<string>()).Order().ToArray();

    private static string ThemeOf(JsonNode arrangement, string code) =>
        arrangement["members"]!.AsArray().Single(m => m!["municipality"]!["code"]!.GetValue<string>() == code)!["municipality"]!["portalTheme"]!.GetValue<string>();

    [Fact]
    public async Task A_record_serves_signed_in_queries_until_its_grain_announces_a_change_made_through_the_gateway_or_past_it()
    {
        var key = $"records-{Guid.NewGuid():N}"[..20];
        var operatorToken = await fixture.OperatorAsync();
        var created = await fixture.DataAsync("mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { userErrors { code } } }",
            new { input = new { key, name = $"Regeling {key}", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "rest", name = "Restafval" } } } },
            token: operatorToken);
        Assert.Empty(created["createArrangement"]!["userErrors"]!.AsArray());
        var token = await fixture.TokenAsync("manager@demo.test"); // signed in: no kept answer serves this caller, the query runs
        var grains = fixture.Services.GetRequiredService<IGrainFactory>();

        await ReadAsync(key, token);
        var before = Served();
        var again = await ReadAsync(key, token);
        Assert.Equal(before + 1 + CallerRecords, Served()); // the arrangement, from its record
        Assert.Empty(Codes(again));

        var added = await fixture.DataAsync("mutation($input: AddMemberInput!) { addMember(input: $input) { userErrors { code } } }",
            new { input = new { arrangementId = key, municipalityCode = "GM0405" } }, token: operatorToken);
        Assert.Empty(added["addMember"]!["userErrors"]!.AsArray());
        Assert.Equal(["GM0405"], Codes(await ReadAsync(key, token)));

        // Past the gateway, as another silo's grain or a reminder would change it.
        using (CallerContext.As(Caller.System("records-test")))
        {
            var result = await grains.GetGrain<IArrangementGrain>(key).AddMemberAsync(new AddMember("GM0498"));
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        }
        Assert.Equal(["GM0405", "GM0498"], Codes(await ReadAsync(key, token)));
        before = Served();
        var kept = await ReadAsync(key, token);
        Assert.Equal(before + 3 + CallerRecords, Served()); // the arrangement and both municipalities

        // A municipality's own change, past the gateway, drops its record only.
        var admin = new Caller(CallerKind.User, "admin.records@demo.test", "GM0498", [Roles.MunicipalityAdmin], []);
        var municipality = grains.GetGrain<IMunicipalityGrain>("GM0498");
        var original = ThemeOf(kept, "GM0498");
        var other = original == "utrecht" ? "denhaag" : "utrecht";
        try
        {
            using (CallerContext.As(admin))
            {
                var set = await municipality.SetPortalThemeAsync(other);
                Assert.True(set.Succeeded, string.Join("; ", set.Errors.Select(e => e.Message)));
            }
            before = Served();
            var changed = await ReadAsync(key, token);
            Assert.Equal(other, ThemeOf(changed, "GM0498"));
            Assert.Equal(ThemeOf(kept, "GM0405"), ThemeOf(changed, "GM0405"));
            Assert.Equal(before + 2 + CallerRecords, Served()); // the arrangement and Hoorn; GM0498 read again from its grain

            // A caller who asks for a fresh answer gets every record of the answer from its grain (who they are is not
            // part of the answer: their tenant and access come from the kept records, which every change of them drops).
            before = Served();
            await ReadAsync(key, token, fresh: true);
            Assert.Equal(before + CallerRecords, Served());

            // A fresh read asks each grain whether the snapshot this gateway copied last is still its version: a change
            // made past the gateway since is in it.
            using (CallerContext.As(admin)) Assert.True((await municipality.SetPortalThemeAsync(original)).Succeeded);
            Assert.Equal(original, ThemeOf(await ReadAsync(key, token, fresh: true), "GM0498"));
        }
        finally
        {
            using (CallerContext.As(admin)) await municipality.SetPortalThemeAsync(original);
        }
    }

    [Fact]
    public async Task A_signed_in_requests_tenant_and_access_are_read_from_the_organisations_kept_record_and_read_again_after_it_changed()
    {
        var token = await fixture.TokenAsync("executor@demo.test");
        const string Viewer = "{ viewer { organisation roles } }";
        await fixture.DataAsync(Viewer, token: token);

        var before = Served();
        var again = (await fixture.DataAsync(Viewer, token: token))["viewer"]!;
        var kept = Served();
        // The organisation changes past the gateway (a person invited straight through its grain, and the invitation
        // cancelled): it announces the change, and the next request asks the grain again.
        using (CallerContext.As(Caller.System("records-test")))
        {
            var organisation = fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(DemoAccounts.WasteExecutor);
            var email = $"records-{Guid.NewGuid():N}"[..20] + "@afvalbedrijf-nhn.test";
            var invited = await organisation.InviteAsync(new(email, "Records test", Roles.ExecutorStaff));
            Assert.True(invited.Succeeded, string.Join("; ", invited.Errors.Select(e => e.Message)));
            await organisation.CancelInvitationAsync(email, "records test");
        }
        var afterChange = (await fixture.DataAsync(Viewer, token: token))["viewer"]!;
        var read = Served();

        Assert.Equal(DemoAccounts.WasteExecutor, again["organisation"]!.GetValue<string>());
        Assert.Equal(before + CallerRecords, kept);
        Assert.Equal(kept, read); // both read from the grain again
        Assert.Equal(again.ToJsonString(), afterChange.ToJsonString());
    }
}
