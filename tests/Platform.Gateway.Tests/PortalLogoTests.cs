using System.Net;
using System.Text.Json.Nodes;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

/// <summary>
/// A municipality's logo for its portal (issue 16): every refusal the upload endpoint makes before it stores anything. This
/// fixture has no blob storage, so a good logo is answered 503 here; storing, reading at its versioned address and removing
/// are tested against the whole platform with Azurite (ThemeJourneyTests). Hoorn (GM0405) here; other tenants' logos are in
/// the REST isolation matrix.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PortalLogoTests(GatewayFixture fixture)
{
    private const string Look = """{ municipality(code: "GM0405") { portalLogo { url contentType width height } history { action } } }""";

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, byte[]? body = null, string? token = null)
    {
        var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new ByteArrayContent(body);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true ? JsonNode.Parse(text) : null, response);
    }

    private Task<string> AdminAsync() => fixture.TokenAsync("admin@demo.test");

    private async Task<JsonNode?> LogoAsync() => (await fixture.DataAsync(Look))["municipality"]!["portalLogo"];

    [Fact]
    public async Task Wrong_uploads_are_named_with_their_status_and_the_logo_stays_as_it_was()
    {
        var admin = await AdminAsync();

        var cases = new (string What, string Path, byte[]? Body, string? Token, HttpStatusCode Status, string Code)[]
        {
            ("no token", "/municipalities/GM0405/logo", TestImages.Png(200, 60), null, HttpStatusCode.Unauthorized, "UNAUTHENTICATED"),
            ("a resident", "/municipalities/GM0405/logo", TestImages.Png(200, 60), await fixture.TokenAsync("citizen@demo.test"), HttpStatusCode.Forbidden, "FORBIDDEN"),
            ("a contract manager", "/municipalities/GM0405/logo", TestImages.Png(200, 60), await fixture.TokenAsync("manager@demo.test"), HttpStatusCode.Forbidden, "FORBIDDEN"),
            ("another municipality's admin", "/municipalities/GM0405/logo", TestImages.Png(200, 60), await fixture.TokenAsync("admin.amsterdam@demo.test"), HttpStatusCode.Forbidden, "FORBIDDEN"),
            ("not a code", "/municipalities/hoorn/logo", TestImages.Png(200, 60), admin, HttpStatusCode.NotFound, "NOT_FOUND"),
            ("not an image", "/municipalities/GM0405/logo", "<svg onload=alert(1)></svg>"u8.ToArray(), admin, HttpStatusCode.UnsupportedMediaType, "INVALID_FORMAT"),
            ("an image with a passenger", "/municipalities/GM0405/logo", [.. TestImages.Png(200, 60), .. "<html>"u8.ToArray()], admin, HttpStatusCode.UnsupportedMediaType, "INVALID_FORMAT"),
            ("far too large", "/municipalities/GM0405/logo", new byte[3 * 1024 * 1024], admin, HttpStatusCode.RequestEntityTooLarge, "TOO_LONG"),
            ("too large once stored", "/municipalities/GM0405/logo", TestImages.Png(700, 500, noise: true), admin, HttpStatusCode.RequestEntityTooLarge, "TOO_LONG"),
            ("too low to be sharp", "/municipalities/GM0405/logo", TestImages.Png(200, 20), admin, HttpStatusCode.BadRequest, "OUT_OF_RANGE"),
            ("taller than a header", "/municipalities/GM0405/logo", TestImages.Png(40, 200), admin, HttpStatusCode.BadRequest, "OUT_OF_RANGE"),
            ("no body", "/municipalities/GM0405/logo", [], admin, HttpStatusCode.BadRequest, "REQUIRED"),
        };
        foreach (var (what, path, bytes, token, expected, code) in cases)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Put, path, bytes, token);
            Assert.True(status == expected, $"{what}: {status} {body}");
            Assert.Equal(code, body?["code"]?.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(body?["detail"]?.GetValue<string>()), what);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "/municipalities/GM0405/logo", token: await fixture.TokenAsync("admin.amsterdam@demo.test"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Delete, "/municipalities/GM0405/logo")).Status);

        // A good logo passes every check and then finds no storage: a clear 503, and nothing recorded.
        var (status503, body503, _) = await SendAsync(HttpMethod.Put, "/municipalities/GM0405/logo", TestImages.Png(240, 80), admin);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "STORAGE_UNAVAILABLE"), (status503, body503!["code"]!.GetValue<string>()));

        Assert.Null(await LogoAsync());
        Assert.DoesNotContain((await fixture.DataAsync(Look))["municipality"]!["history"]!.AsArray(), h => h!["action"]!.GetValue<string>().StartsWith("portal-logo", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/municipalities/GM0405/logo")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/municipalities/not-a-code/logo")).Status);
        var (removedStatus, removed, _) = await SendAsync(HttpMethod.Delete, "/municipalities/GM0405/logo", token: admin);
        Assert.True(removedStatus == HttpStatusCode.OK, $"{removedStatus} {removed}");
        Assert.False(removed!["removed"]!.GetValue<bool>()); // there was none
    }
}
