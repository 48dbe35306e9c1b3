using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Tests.Shared;

namespace Platform.EndToEnd.Tests;

/// <summary>Photos go to Azurite through the real gateway; only the AppHost has blob storage.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ComplaintPhotoTests(PlatformFixture platform)
{
    private static byte[] Jpeg(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[3] = 0xE0;
        return bytes;
    }

    private static byte[] Png(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return bytes;
    }

    private async Task<string> FileAsync(string token)
    {
        var data = await platform.GraphQLAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: "Bulky waste not collected", location: { address: "Grote Oost 1, Hoorn" } }) { complaint { key } userErrors { message } } }
            """, token: token);
        return data["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> UploadAsync(string complaint, byte[] bytes, string? token, string contentType = "image/jpeg", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(platform.GatewayUrl, $"/complaints/{complaint}/photos")) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await platform.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task An_upload_retried_with_its_Idempotency_Key_stores_one_photo_and_the_key_with_other_bytes_is_refused()
    {
        var citizen = await platform.Tokens.UserAccessTokenAsync("citizen@demo.test");
        var complaint = await FileAsync(citizen);
        var photo = TestImages.Jpeg(200, 150, noise: true);
        var key = $"upload-{Guid.NewGuid():N}";

        var (firstStatus, first) = await UploadAsync(complaint, photo, citizen, idempotencyKey: key);
        var (againStatus, again) = await UploadAsync(complaint, photo, citizen, idempotencyKey: key);
        var (otherStatus, other) = await UploadAsync(complaint, TestImages.Png(40, 30), citizen, idempotencyKey: key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (firstStatus, againStatus));
        Assert.Equal(first!.ToJsonString(), again!.ToJsonString());
        Assert.Equal((HttpStatusCode)422, otherStatus);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", other!["code"]!.GetValue<string>());
        var seen = await platform.GraphQLAsync("query($id: ID!) { complaint(id: $id) { photos { id } } }", new { id = complaint }, citizen);
        Assert.Equal([first["id"]!.GetValue<string>()], seen["complaint"]!["photos"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_citizen_attaches_photos_that_those_who_may_see_the_complaint_can_download()
    {
        var citizen = await platform.Tokens.UserAccessTokenAsync("citizen@demo.test");
        var complaint = await FileAsync(citizen);
        var first = TestImages.Jpeg(320, 320, noise: true);
        var second = TestImages.Png(120, 90);

        var (s1, uploaded) = await UploadAsync(complaint, first, citizen);
        var (s2, _) = await UploadAsync(complaint, second, citizen, "application/octet-stream");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (s1, s2));
        var executor = await platform.Tokens.UserAccessTokenAsync("executor@demo.test");
        var seen = await platform.GraphQLAsync("query($id: ID!) { complaint(id: $id) { photos { contentType size url } } }", new { id = complaint }, executor);
        var photos = seen["complaint"]!["photos"]!.AsArray();
        Assert.Equal(["image/jpeg", "image/png"], photos.Select(p => p!["contentType"]!.GetValue<string>()));
        var downloaded = await platform.Http.GetByteArrayAsync(photos[0]!["url"]!.GetValue<string>());
        // What is stored is the photo encoded again (no metadata): the same picture, the bytes the upload answered for.
        Assert.Equal(uploaded!["sha256"]!.GetValue<string>(), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(downloaded)).ToLowerInvariant());
        using (var picture = SkiaSharp.SKBitmap.Decode(downloaded)) Assert.Equal((320, 320), (picture.Width, picture.Height));
        Assert.Contains("sig=", photos[0]!["url"]!.GetValue<string>());

        var outsider = await platform.Tokens.UserAccessTokenAsync("admin.amsterdam@demo.test");
        var hidden = await platform.GraphQLAsync("query($id: ID!) { complaint(id: $id) { photos { url } } }", new { id = complaint }, outsider);
        Assert.Null(hidden["complaint"]);
    }

    [Fact]
    public async Task Bad_photos_are_refused_and_nothing_is_attached()
    {
        var citizen = await platform.Tokens.UserAccessTokenAsync("citizen@demo.test");
        var complaint = await FileAsync(citizen);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Created, (await UploadAsync(complaint, TestImages.Jpeg(), citizen)).Status);

        var sixth = await UploadAsync(complaint, TestImages.Jpeg(), citizen);
        var large = await UploadAsync(await FileAsync(citizen), Jpeg(11 * 1024 * 1024), citizen);
        var text = await UploadAsync(await FileAsync(citizen), "this is not a photo"u8.ToArray(), citizen);
        var anonymous = await UploadAsync(complaint, Jpeg(1_000), null);
        var executor = await UploadAsync(complaint, Jpeg(1_000), await platform.Tokens.UserAccessTokenAsync("executor@demo.test"));
        var otherTenant = await UploadAsync(complaint, Jpeg(1_000), await platform.Tokens.UserAccessTokenAsync("citizen.amsterdam@demo.test"));

        Assert.Equal((HttpStatusCode.BadRequest, "TOO_LONG"), (sixth.Status, sixth.Body!["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.Status);
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "INVALID_FORMAT"), (text.Status, text.Body!["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Forbidden, executor.Status);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.Status);
        var seen = await platform.GraphQLAsync("query($id: ID!) { complaint(id: $id) { photos { id } } }", new { id = complaint }, citizen);
        Assert.Equal(5, seen["complaint"]!["photos"]!.AsArray().Count);
    }
}
