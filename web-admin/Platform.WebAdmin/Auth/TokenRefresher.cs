using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Platform.WebAdmin.Auth;

/// <summary>
/// Access tokens live minutes; the session lives hours. Before a token runs out the cookie handler
/// trades the refresh token for a new pair (the identity server rotates refresh tokens and treats a
/// reused one as theft). A browser loads a page and its stylesheet at once, so requests carrying the
/// same refresh token share one exchange instead of each spending it. A refused refresh ends the
/// session, so the next page asks the person to sign in again.
/// </summary>
public sealed class TokenRefresher(IHttpClientFactory clients, IOptions<WebAdminSettings> settings, TimeProvider time, ILogger<TokenRefresher> logger)
{
    public const string HttpClientName = "token-refresh";
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(2);

    private sealed record Tokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

    /// <summary>Exchanges in flight or just done, by the refresh token they spent (this instance only).</summary>
    private readonly ConcurrentDictionary<string, (Task<Tokens?> Exchange, DateTimeOffset At)> exchanges = new();

    public async Task RefreshIfNeededAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)) return;
        var now = time.GetUtcNow();
        if (expires - now > Margin) return;
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (refreshToken is null)
        {
            context.RejectPrincipal();
            return;
        }
        foreach (var (key, (_, at)) in exchanges)
        {
            if (now - at > RememberFor) exchanges.TryRemove(key, out _);
        }
        Tokens? tokens;
        try
        {
            tokens = await exchanges.GetOrAdd(refreshToken, token => (ExchangeAsync(token), now)).Exchange;
        }
        catch (HttpRequestException ex)
        {
            // The identity server is unreachable: keep the session; the gateway says so if the token has run out.
            exchanges.TryRemove(refreshToken, out _);
            logger.LogWarning(ex, "Token refresh failed");
            return;
        }
        if (tokens is null)
        {
            context.RejectPrincipal();
            return;
        }
        context.Properties.UpdateTokenValue("access_token", tokens.AccessToken);
        if (tokens.RefreshToken is not null) context.Properties.UpdateTokenValue("refresh_token", tokens.RefreshToken);
        context.Properties.UpdateTokenValue("expires_at", tokens.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    private async Task<Tokens?> ExchangeAsync(string refreshToken)
    {
        using var response = await clients.CreateClient(HttpClientName).PostAsync(new Uri(settings.Value.Authority, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = settings.Value.ClientId,
            ["client_secret"] = settings.Value.ClientSecret,
        }));
        if (!response.IsSuccessStatusCode)
        {
            logger.LogInformation("Refresh refused ({Status}); the session ends", (int)response.StatusCode);
            return null;
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var lifetime = root.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 300;
        return new(root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var refreshed) ? refreshed.GetString() : null,
            time.GetUtcNow().AddSeconds(lifetime));
    }
}
