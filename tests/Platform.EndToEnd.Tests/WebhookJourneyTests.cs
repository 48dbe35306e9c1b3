using CloudNative.CloudEvents.SystemTextJson;
using Platform.Tests.Shared;
using StandardWebhooks;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// A partner's receiver through the whole platform as the run command starts it: Hoorn's admin registers it, a
/// resident files, the executing organisation acknowledges and resolves, and the receiver gets each event once as a
/// signed CloudEvent that it verifies with its secret; the arrangement's Atom feed is served by the same gateway.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookJourneyTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_partners_receiver_gets_every_event_of_a_complaint_once_signed_and_verifies_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await platform.Tokens.UserAccessTokenAsync("admin@demo.test");
        var registered = (await platform.GraphQLAsync("""
            mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id } secret userErrors { message } } }
            """, new { input = new { organisationId = "GM0405", url = receiver.Url.ToString(), eventTypes = new[] { "nl.regelingen.complaint.filed", "nl.regelingen.complaint.status-changed" } } }, admin))["registerWebhook"]!;
        Assert.Empty(registered["userErrors"]!.AsArray());
        var secret = registered["secret"]!.GetValue<string>();

        var filed = await platform.GraphQLAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "bouwpuin", description: "Puin bij de molen", location: { address: "Molenweg 1, Hoorn" } }) { complaint { key } userErrors { message } } }
            """, token: await platform.Tokens.UserAccessTokenAsync("citizen@demo.test"));
        var key = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        var executor = await platform.Tokens.UserAccessTokenAsync("executor@demo.test");
        const string Step = "mutation($id: ID!, $action: ComplaintAction!) { transitionComplaint(input: { complaintId: $id, action: $action }) { userErrors { message } } }";
        foreach (var action in new[] { "ACKNOWLEDGE", "RESOLVE" })
        {
            Assert.Empty((await platform.GraphQLAsync(Step, new { id = key, action }, executor))["transitionComplaint"]!["userErrors"]!.AsArray());
        }

        await receiver.WaitUntilAsync(r => r.Count(x => x.Body.Contains(key, StringComparison.Ordinal)) >= 3, "three deliveries");
        await Task.Delay(TimeSpan.FromSeconds(6)); // a notifier round or more: nothing is sent twice
        var mine = receiver.Received.Where(x => x.Body.Contains(key, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, mine.Count);
        var formatter = new JsonEventFormatter();
        var events = mine.Select(x =>
        {
            new StandardWebhook(secret).Verify(x.Body, x.Headers); // throws when the signature does not match
            return formatter.DecodeStructuredModeMessage(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(x.Body)), null, null);
        }).ToList();
        Assert.Equal(["nl.regelingen.complaint.filed", "nl.regelingen.complaint.status-changed", "nl.regelingen.complaint.status-changed"], events.Select(e => e.Type));
        Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
        Assert.All(events, e => Assert.Equal(key, e.Subject));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Verify(mine[0].Body, mine[0].Headers));

        await platform.GraphQLAsync("mutation($input: RemoveWebhookInput!) { removeWebhook(input: $input) { done } }",
            new { input = new { organisationId = "GM0405", webhookId = registered["webhook"]!["id"]!.GetValue<string>() } }, admin);

        using var feed = await platform.Http.GetAsync(new Uri(platform.GatewayUrl, "/arrangements/afval-nhn/feed.atom"));
        Assert.Equal("application/atom+xml", feed.Content.Headers.ContentType!.MediaType);
        Assert.Contains("proposal:p-demo-bouwpuin:proposal.voting-opened", await feed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
