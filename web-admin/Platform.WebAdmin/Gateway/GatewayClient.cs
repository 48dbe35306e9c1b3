using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Platform.WebAdmin.Gateway;

public enum GatewayFailure
{
    /// <summary>The gateway did not answer (down, timed out).</summary>
    Unavailable,
    /// <summary>401: no session, or it ran out.</summary>
    SignInNeeded,
    /// <summary>403: signed in, but not allowed.</summary>
    Refused,
    /// <summary>The request itself was wrong (400, or errors in the answer).</summary>
    BadRequest,
}

/// <summary>A failure the page shows in words; the message is the gateway's own when it gave one.</summary>
public sealed class GatewayException(GatewayFailure failure, string message) : Exception(message)
{
    public GatewayFailure Failure { get; } = failure;
}

public sealed record UserError(string Field, string Code, string Message);

/// <summary>A mutation's payload, or the rules the input broke (nothing was changed then).</summary>
public sealed record MutationResult(JsonNode? Payload, IReadOnlyList<UserError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The payload read into <typeparamref name="T"/> (a record of the fields the mutation selects), or null without one.</summary>
    public T? Read<T>() where T : class
    {
        try
        {
            return Payload?.Deserialize<T>(Queries.Json);
        }
        catch (JsonException ex)
        {
            throw new GatewayException(GatewayFailure.BadRequest, $"The payload does not fit {typeof(T).Name}: {ex.Message}");
        }
    }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field || e.Field.StartsWith(field + ".", StringComparison.Ordinal))?.Message;
}

/// <summary>
/// The web app's only way to data: the platform's GraphQL gateway, the same API partners use, called
/// with the signed-in person's access token (or none).
/// </summary>
public sealed class GatewayClient(HttpClient http, IOptions<WebAdminSettings> settings, IHttpContextAccessor accessor)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs a query and reads its data into <typeparamref name="T"/> (a record of the fields the query names).</summary>
    public async Task<T> QueryAsync<T>(string query, object? variables = null, CancellationToken cancellationToken = default)
    {
        var data = (await SendAsync(query, variables, cancellationToken))["data"];
        try
        {
            return data.Deserialize<T>(Queries.Json) ?? throw new GatewayException(GatewayFailure.BadRequest, "The gateway answered no data.");
        }
        catch (JsonException ex)
        {
            // The schema and the record disagree: a fault of this app, named so it is found (WebAppQueryTests should catch it first).
            throw new GatewayException(GatewayFailure.BadRequest, $"The answer does not fit {typeof(T).Name}: {ex.Message}");
        }
    }

    /// <summary>Runs a mutation and returns its payload (the field <paramref name="field"/>) with its userErrors.</summary>
    public async Task<MutationResult> MutateAsync(string query, string field, object? variables = null, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(query, variables, cancellationToken);
        var payload = body["data"]?[field];
        var errors = payload?["userErrors"]?.AsArray()
            .Select(e => new UserError(e!["field"]?.GetValue<string>() ?? "", e["code"]?.GetValue<string>() ?? "", e["message"]?.GetValue<string>() ?? ""))
            .ToList() ?? [];
        return new(payload, errors);
    }

    /// <summary>Sends a photo of a complaint to the gateway's upload endpoint; returns the refusal in words, or null.</summary>
    public Task<string?> UploadPhotoAsync(string complaintKey, Stream photo, string? contentType, CancellationToken cancellationToken = default) =>
        SendImageAsync(HttpMethod.Post, $"/complaints/{Uri.EscapeDataString(complaintKey)}/photos", photo, contentType, cancellationToken);

    /// <summary>Gives a municipality's portal a logo, or removes it (<paramref name="logo"/> null); returns the refusal in words, or null.</summary>
    public Task<string?> SetPortalLogoAsync(string municipality, Stream? logo, string? contentType, CancellationToken cancellationToken = default) =>
        SendImageAsync(logo is null ? HttpMethod.Delete : HttpMethod.Put, $"/municipalities/{Uri.EscapeDataString(municipality)}/logo", logo, contentType, cancellationToken);

    private async Task<string?> SendImageAsync(HttpMethod method, string path, Stream? image, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(settings.Value.GatewayUrl, path));
        if (image is not null)
        {
            request.Content = new StreamContent(image);
            if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var type)) request.Content.Headers.ContentType = type;
        }
        await AuthorizeAsync(request);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode) return null;
            var problem = await ReadJsonAsync(response, cancellationToken);
            return problem?["detail"]?.GetValue<string>() ?? problem?["title"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new GatewayException(GatewayFailure.Unavailable, ex.Message);
        }
    }

    /// <summary>
    /// A file the gateway hands out (an export) at <paramref name="pathAndQuery"/>, asked with the signed-in person's token.
    /// The answer is returned as soon as its headers arrive, so the caller can stream it on; the caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> GetFileAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Value.GatewayUrl, pathAndQuery));
        await AuthorizeAsync(request);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new GatewayException(GatewayFailure.Unavailable, ex.Message);
        }
    }

    /// <summary>The gateway's own address for a public path (open data): links in pages point there directly.</summary>
    public Uri PublicUrl(string path) => new(settings.Value.GatewayUrl, path);

    private async Task<JsonNode> SendAsync(string query, object? variables, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Value.GatewayUrl)
        {
            Content = JsonContent.Create(new { query, variables }, options: Json),
        };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        await AuthorizeAsync(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new GatewayException(GatewayFailure.Unavailable, ex.Message);
        }
        using (response)
        {
            var body = await ReadJsonAsync(response, cancellationToken);
            var message = body?["errors"]?[0]?["message"]?.GetValue<string>();
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    throw new GatewayException(GatewayFailure.SignInNeeded, message ?? "Sign in first.");
                case HttpStatusCode.Forbidden:
                    throw new GatewayException(GatewayFailure.Refused, message ?? "Not allowed.");
                case >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout:
                    throw new GatewayException(GatewayFailure.Unavailable, message ?? $"HTTP {(int)response.StatusCode}");
            }
            if (body is null || message is not null && body["data"] is null)
            {
                throw new GatewayException(GatewayFailure.BadRequest, message ?? $"HTTP {(int)response.StatusCode}");
            }
            return body;
        }
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task AuthorizeAsync(HttpRequestMessage request)
    {
        if (accessor.HttpContext is { } context && context.User.Identity?.IsAuthenticated == true
            && await context.GetTokenAsync("access_token") is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }
}
