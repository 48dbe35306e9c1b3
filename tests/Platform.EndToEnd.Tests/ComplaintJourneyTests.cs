using System.Net;
using System.Net.Http.Headers;

namespace Platform.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ComplaintJourneyTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_citizen_files_with_two_photos_the_executor_resolves_the_citizen_confirms_and_the_municipality_counts_it()
    {
        var citizen = await platform.Tokens.UserAccessTokenAsync("citizen@demo.test");
        var executor = await platform.Tokens.UserAccessTokenAsync("executor@demo.test");
        var manager = await platform.Tokens.UserAccessTokenAsync("manager@demo.test");
        const string Figures = """{ complaintFigures(arrangementId: "afval-nhn") { total open resolvedOnTimePercent } }""";
        var before = (await platform.GraphQLAsync(Figures, token: manager))["complaintFigures"]!;

        var filed = await platform.GraphQLAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "bouwpuin", description: "Debris dumped along the dike", location: { latitude: 52.66, longitude: 5.09, address: "Westfriese Omringdijk" } }) { complaint { key status } userErrors { message } } }
            """, token: citizen);
        var key = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        foreach (var photo in new[] { Platform.Tests.Shared.TestImages.Jpeg(), Platform.Tests.Shared.TestImages.Png() })
        {
            using var upload = new HttpRequestMessage(HttpMethod.Post, new Uri(platform.GatewayUrl, $"/complaints/{key}/photos")) { Content = new ByteArrayContent(photo) };
            upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", citizen);
            using var uploaded = await platform.Http.SendAsync(upload);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        const string Step = "mutation($id: ID!, $action: ComplaintAction!) { transitionComplaint(input: { complaintId: $id, action: $action }) { complaint { status } userErrors { message } } }";
        Assert.Equal("RESOLVED", (await platform.GraphQLAsync(Step, new { id = key, action = "RESOLVE" }, executor))["transitionComplaint"]!["complaint"]!["status"]!.GetValue<string>());
        Assert.Equal("CLOSED", (await platform.GraphQLAsync(Step, new { id = key, action = "CONFIRM" }, citizen))["transitionComplaint"]!["complaint"]!["status"]!.GetValue<string>());

        var seen = await platform.GraphQLAsync("query($id: ID!) { complaint(id: $id) { status photos { contentType } history { action actor } } }", new { id = key }, manager);
        Assert.Equal(2, seen["complaint"]!["photos"]!.AsArray().Count);
        Assert.Equal(["filed", "photo-added", "photo-added", "Resolve", "Confirm"], seen["complaint"]!["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
        var after = (await platform.GraphQLAsync(Figures, token: manager))["complaintFigures"]!;
        Assert.Equal(before["total"]!.GetValue<int>() + 1, after["total"]!.GetValue<int>());
        Assert.Equal(before["open"]!.GetValue<int>(), after["open"]!.GetValue<int>());
        Assert.Equal(100.0, after["resolvedOnTimePercent"]!.GetValue<double>());
        var listed = await platform.GraphQLAsync("""{ complaints(filter: { status: [CLOSED], text: "dumped along the dike" }) { nodes { key } } }""", token: manager);
        Assert.Contains(listed["complaints"]!["nodes"]!.AsArray(), n => n!["key"]!.GetValue<string>() == key);
    }
}
