using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Platform.WebAdmin.Auth;

/// <summary>
/// Access tokens live minutes; the session lives hours. Before a token runs out the cookie handler
/// trades the refresh token for a new pair (the identity server rotates refresh tokens). A refused
/// refresh ends the session, so the next page asks the person to sign in again.
/// </summary>
public sealed class TokenRefresher(IHttpClientFactory clients, IOptions<WebAdminSettings> settings, TimeProvider time, ILogger<TokenRefresher> logger)
{
    public const string HttpClientName = "token-refresh";
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public async Task RefreshIfNeededAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)) return;
        if (expires - time.GetUtcNow() > Margin) return;
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (refreshToken is null)
        {
            context.RejectPrincipal();
            return;
        }
        try
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
                context.RejectPrincipal();
                return;
            }
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = json.RootElement;
            context.Properties.UpdateTokenValue("access_token", root.GetProperty("access_token").GetString()!);
            if (root.TryGetProperty("refresh_token", out var refreshed)) context.Properties.UpdateTokenValue("refresh_token", refreshed.GetString()!);
            var lifetime = root.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 300;
            context.Properties.UpdateTokenValue("expires_at", time.GetUtcNow().AddSeconds(lifetime).ToString("o", CultureInfo.InvariantCulture));
            context.ShouldRenew = true;
        }
        catch (HttpRequestException ex)
        {
            // The identity server is unreachable: keep the session; the gateway will say if the token has run out.
            logger.LogWarning(ex, "Token refresh failed");
        }
    }
}
