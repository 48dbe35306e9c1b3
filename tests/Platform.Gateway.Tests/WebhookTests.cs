using System.Net;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents.SystemTextJson;
using Platform.Tests.Shared;
using StandardWebhooks;

namespace Platform.Gateway.Tests;

/// <summary>
/// Webhooks end to end: an admin registers a receiver (a real HTTP server on 127.0.0.1), the receiver gets signed
/// CloudEvents and verifies them with the secret it was given, a receiver that fails is tried again (and the log shows
/// every attempt), a redirect is not followed, and another organisation's admin cannot touch any of it.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WebhookTests(GatewayFixture fixture)
{
    private const string Register = """
        mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id url eventTypes } secret userErrors { field code message } } }
        """;

    private const string Deliveries = """
        query($org: ID!) { organisation(id: $org) { webhooks { id url deliveries(first: 50) { id eventId eventType status attempts lastError } } } }
        """;

    private async Task<string> AdminAsync() => await fixture.TokenAsync("admin@demo.test");

    private async Task<(string Id, string Secret)> RegisterAsync(WebhookReceiver receiver, params string[] types)
    {
        var registered = (await fixture.DataAsync(Register, new { input = new { organisationId = "GM0405", url = receiver.Url.ToString(), eventTypes = types } }, token: await AdminAsync()))["registerWebhook"]!;
        Assert.Empty(registered["userErrors"]!.AsArray());
        return (registered["webhook"]!["id"]!.GetValue<string>(), registered["secret"]!.GetValue<string>());
    }

    private async Task<string> FileAsync()
    {
        var data = await fixture.DataAsync("""
            mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { message } } }
            """, new { input = new { arrangementId = "afval-nhn", serviceCode = "bouwpuin", description = $"Puin bij de haven ({Guid.NewGuid():N})", location = new { address = "Haven 1, Hoorn" } } },
            token: await fixture.TokenAsync("citizen@demo.test"));
        return data["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
    }

    private async Task<JsonNode> DeliveriesOfAsync(string webhook) =>
        (await fixture.DataAsync(Deliveries, new { org = "GM0405" }, token: await AdminAsync()))["organisation"]!["webhooks"]!.AsArray().Single(w => w!["id"]!.GetValue<string>() == webhook)!["deliveries"]!;

    private static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    private async Task RemoveAsync(string webhook) => Assert.True((await fixture.DataAsync(
        "mutation($input: RemoveWebhookInput!) { removeWebhook(input: $input) { done } }", new { input = new { organisationId = "GM0405", webhookId = webhook } }, token: await AdminAsync()))["removeWebhook"]!["done"]!.GetValue<bool>());

    [Fact]
    public async Task The_receiver_gets_signed_CloudEvents_it_verifies_with_its_secret_and_a_forged_one_fails()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhook, secret) = await RegisterAsync(receiver, "nl.regelingen.complaint.filed");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var complaint = await FileAsync();
        await WaitUntilAsync(() => receiver.Received.Any(r => r.Body.Contains(complaint, StringComparison.Ordinal)), "the delivery");

        var (headers, body) = receiver.Received.First(r => r.Body.Contains(complaint, StringComparison.Ordinal));
        new StandardWebhook(secret).Verify(body, headers); // throws when the signature does not match
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Verify(body, headers));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook(secret).Verify(body.Replace("bouwpuin", "grofvuil", StringComparison.Ordinal), headers));
        Assert.StartsWith("application/cloudevents+json", headers.ContentType.ToString(), StringComparison.Ordinal);

        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)), null, null);
        Assert.Equal(("nl.regelingen.complaint.filed", complaint), (cloudEvent.Type, cloudEvent.Subject));
        Assert.Equal(headers["webhook-id"].ToString(), cloudEvent.Id);
        Assert.Contains("\"serviceCode\":\"bouwpuin\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("citizen@demo.test", body, StringComparison.OrdinalIgnoreCase);
        await RemoveAsync(webhook);
    }

    [Fact]
    public async Task A_receiver_that_answers_500_three_times_gets_the_event_on_the_fourth_attempt_and_the_log_shows_four()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        foreach (var status in new[] { 500, 500, 500 }) receiver.Script.Enqueue(status);
        var (webhook, _) = await RegisterAsync(receiver, "nl.regelingen.complaint.filed");
        var complaint = await FileAsync();
        await WaitUntilAsync(() => receiver.Received.Count(r => r.Body.Contains(complaint, StringComparison.Ordinal)) >= 4, "four attempts");

        var attempts = receiver.Received.Where(r => r.Body.Contains(complaint, StringComparison.Ordinal)).ToList();
        Assert.Single(attempts.Select(a => a.Headers["webhook-id"].ToString()).Distinct()); // the same message each time
        JsonNode? delivery = null;
        await WaitUntilAsync(() =>
        {
            delivery = DeliveriesOfAsync(webhook).GetAwaiter().GetResult().AsArray().FirstOrDefault(d => d!["status"]!.GetValue<string>() == "SENT");
            return delivery is not null;
        }, "the delivery marked sent");
        Assert.Equal(4, delivery!["attempts"]!.GetValue<int>());
        Assert.Null(delivery["lastError"]);
        await Task.Delay(1500); // a sent delivery is not sent again
        Assert.Equal(4, receiver.Received.Count(r => r.Body.Contains(complaint, StringComparison.Ordinal)));

        // Redelivered on request: the same event again, counted on.
        var redelivered = (await fixture.DataAsync("mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { done userErrors { code } } }",
            new { input = new { organisationId = "GM0405", deliveryId = delivery["id"]!.GetValue<string>() } }, token: await AdminAsync()))["redeliverWebhook"]!;
        Assert.True(redelivered["done"]!.GetValue<bool>());
        await WaitUntilAsync(() => receiver.Received.Count(r => r.Body.Contains(complaint, StringComparison.Ordinal)) == 5, "the redelivery");
        await RemoveAsync(webhook);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failure()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        for (var i = 0; i < 50; i++) receiver.Script.Enqueue(302);
        var (webhook, _) = await RegisterAsync(receiver, "nl.regelingen.complaint.filed");
        await FileAsync();
        JsonNode? delivery = null;
        await WaitUntilAsync(() =>
        {
            delivery = DeliveriesOfAsync(webhook).GetAwaiter().GetResult().AsArray().FirstOrDefault(d => d!["lastError"] is not null);
            return delivery is not null;
        }, "a failed attempt");
        Assert.Equal("PENDING", delivery!["status"]!.GetValue<string>());
        Assert.Contains("redirects are not followed", delivery["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        await RemoveAsync(webhook);
    }

    [Fact]
    public async Task Wrong_registrations_name_the_problem_and_another_organisations_admin_is_refused()
    {
        var admin = await AdminAsync();
        async Task<List<(string, string)>> ErrorsAsync(object input, string? token = null) =>
            [.. (await fixture.DataAsync(Register, new { input }, token: token ?? admin))["registerWebhook"]!["userErrors"]!.AsArray()
                .Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))];

        Assert.Equal([("eventTypes[0]", "OUT_OF_RANGE")], await ErrorsAsync(new { organisationId = "GM0405", url = "https://zaak.example.nl/hook", eventTypes = new[] { "nl.regelingen.everything" } }));
        Assert.Equal([("eventTypes", "REQUIRED")], await ErrorsAsync(new { organisationId = "GM0405", url = "https://zaak.example.nl/hook", eventTypes = Array.Empty<string>() }));
        Assert.Equal([("url", "REQUIRED")], await ErrorsAsync(new { organisationId = "GM0405", url = " ", eventTypes = new[] { "nl.regelingen.complaint.filed" } }));
        Assert.Equal([("url", "INVALID_FORMAT")], await ErrorsAsync(new { organisationId = "GM0405", url = "ftp://zaak.example.nl/hook", eventTypes = new[] { "nl.regelingen.complaint.filed" } }));
        Assert.Equal([("url", "TOO_LONG")], await ErrorsAsync(new { organisationId = "GM0405", url = "https://zaak.example.nl/" + new string('a', 2_100), eventTypes = new[] { "nl.regelingen.complaint.filed" } }));

        // Amsterdam's admin, on Hoorn's webhooks: refused, and nothing is registered.
        var amsterdam = await fixture.TokenAsync("admin.amsterdam@demo.test");
        var (status, body) = await fixture.PostAsync(Register, new { input = new { organisationId = "GM0405", url = "https://mole.example/hook", eventTypes = new[] { "nl.regelingen.complaint.filed" } } }, token: amsterdam);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var (_, read) = await fixture.PostAsync(Deliveries, new { org = "GM0405" }, token: amsterdam);
        Assert.NotNull(read["errors"]);
        var hoorn = (await fixture.DataAsync(Deliveries, new { org = "GM0405" }, token: admin))["organisation"]!["webhooks"]!.AsArray();
        Assert.DoesNotContain(hoorn, w => w!["url"]!.GetValue<string>().Contains("mole", StringComparison.Ordinal));
        var redeliver = (await fixture.DataAsync("mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { done userErrors { field code } } }",
            new { input = new { organisationId = "GM0405", deliveryId = "999999999" } }, token: admin))["redeliverWebhook"]!;
        Assert.Equal("NOT_FOUND", redeliver["userErrors"]![0]!["code"]!.GetValue<string>());
    }
}
