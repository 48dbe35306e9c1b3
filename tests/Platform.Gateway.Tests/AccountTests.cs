using System.Net;
using System.Text.Json.Nodes;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

/// <summary>A resident closes their account: complaints stay without their details, the account and its tokens are gone.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AccountTests(GatewayFixture fixture)
{
    private const string Close = """
        mutation($confirm: Boolean!) { closeMyAccount(input: { confirm: $confirm }) { closed anonymisedComplaints userErrors { field code message } } }
        """;

    private async Task<string> FileAsync(string token, string marker)
    {
        var data = await fixture.DataAsync("""
            mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { message } } }
            """, new
        {
            input = new
            {
                arrangementId = "afval-nhn", serviceCode = "bouwpuin", description = $"Puin bij de haven {marker}",
                location = new { address = "Haven 3, Hoorn" },
            },
        }, token: token);
        return data["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_resident_closes_their_account_and_their_complaints_stay_without_their_details()
    {
        var email = $"sluit-{Guid.NewGuid():N}"[..18] + "@example.nl";
        var token = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");
        var marker = Guid.NewGuid().ToString("N");
        var key = await FileAsync(token, marker);

        // Not confirmed: refused, and nothing changes.
        var unconfirmed = (await fixture.DataAsync(Close, new { confirm = false }, token: token))["closeMyAccount"]!;
        Assert.Equal(("confirm", "REQUIRED"), (unconfirmed["userErrors"]![0]!["field"]!.GetValue<string>(), unconfirmed["userErrors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal("AUTHOR", (await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { viewerRole } }", new { id = key }, token: token))["complaint"]!["viewerRole"]!.GetValue<string>());

        var closed = (await fixture.DataAsync(Close, new { confirm = true }, token: token))["closeMyAccount"]!;
        Assert.Empty(closed["userErrors"]!.AsArray());
        Assert.True(closed["closed"]!.GetValue<bool>());
        Assert.Equal(1, closed["anonymisedComplaints"]!.GetValue<int>());

        // The same token is refused from the next request, and the account cannot sign in again.
        var (status, body) = await fixture.PostAsync("{ viewer { subject } }", token: token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("INVALID_TOKEN", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        await Assert.ThrowsAsync<SignInRefusedException>(() => fixture.Tokens.UserAccessTokenAsync(email));

        // The executing organisation still has the complaint to handle, with no trace of who filed it.
        var seen = (await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { status reporter { email } history { actor action } } }", new { id = key },
            token: await fixture.TokenAsync("executor@demo.test")))["complaint"]!;
        Assert.Equal("SUBMITTED", seen["status"]!.GetValue<string>());
        Assert.Null(seen["reporter"]);
        Assert.DoesNotContain(email, seen.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("author-anonymised", seen["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("admin@demo.test")]
    [InlineData("executor@demo.test")]
    [InlineData("demo-partner")]
    public async Task Staff_and_partner_systems_cannot_close_an_account_this_way_and_nothing_changes(string who)
    {
        var token = await fixture.TokenAsync(who);
        var (status, body) = await fixture.PostAsync(Close, new { confirm = true }, token: token);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var (after, _) = await fixture.PostAsync("{ viewer { subject } }", token: token);
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task Closing_without_signing_in_is_refused()
    {
        var (status, body) = await fixture.PostAsync(Close, new { confirm = true });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }
}
