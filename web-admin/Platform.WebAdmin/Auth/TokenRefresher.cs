using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.WebAdmin.Persistence;

namespace Platform.WebAdmin.Auth;

/// <summary>
/// Access tokens live minutes; the session lives hours. Before a token runs out the cookie handler
/// trades the refresh token for a new pair (the identity server rotates refresh tokens and treats a
/// reused one as theft). A browser loads a page and its stylesheet at once, possibly from two
/// instances of the web app behind a load balancer, so every request carrying the same refresh token
/// shares one exchange instead of each spending it: within an instance through a task, across instances
/// through a row in the shared database (the first instance to insert it trades; the others wait for
/// its result, protected with the shared Data Protection keys). A refused refresh ends the session,
/// so the next page asks the person to sign in again.
/// </summary>
public sealed class TokenRefresher(
    IHttpClientFactory clients,
    IDbContextFactory<WebAdminStore> stores,
    IDataProtectionProvider protection,
    IOptions<WebAdminSettings> settings,
    TimeProvider time,
    ILogger<TokenRefresher> logger)
{
    public const string HttpClientName = "token-refresh";
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(2);
    /// <summary>An exchange claimed longer ago than this without a result was abandoned (its instance died): another may take it over.</summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(30);

    private readonly IDataProtector protector = protection.CreateProtector("Platform.WebAdmin.TokenExchange");

    private sealed record Tokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

    /// <summary>Exchanges in flight or just done in this instance, by the refresh token they spent.</summary>
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
            tokens = await exchanges.GetOrAdd(refreshToken, token => (ExchangeOnceAsync(token), now)).Exchange;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or DbUpdateException or InvalidOperationException
            or System.Security.Cryptography.CryptographicException or JsonException)
        {
            // The identity server or the database is unreachable, or another instance's result cannot be read (not our
            // key ring, tampered): keep the session; the gateway says so if the token has run out.
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

    /// <summary>Trades the token if no instance has; otherwise waits for the instance that does and takes its result.</summary>
    private async Task<Tokens?> ExchangeOnceAsync(string refreshToken)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        await using var store = await stores.CreateDbContextAsync();
        var now = time.GetUtcNow();
        await store.TokenExchanges.Where(e => e.ClaimedAt < now.Add(-RememberFor).ToUnixTimeMilliseconds()).ExecuteDeleteAsync();
        var deadline = now + WaitAtMost;
        while (true)
        {
            if (await TryClaimAsync(store, hash)) return await ExchangeAndRecordAsync(store, hash, refreshToken);
            var row = await store.TokenExchanges.AsNoTracking().SingleOrDefaultAsync(e => e.SpentTokenHash == hash);
            if (row?.Result is { } result) return Read(result);
            if (row is not null && time.GetUtcNow().ToUnixTimeMilliseconds() - row.ClaimedAt > Abandoned.TotalMilliseconds)
            {
                // Its instance stopped mid-exchange: take it over, once (the claim time is the version).
                var taken = await store.TokenExchanges
                    .Where(e => e.SpentTokenHash == hash && e.ClaimedAt == row.ClaimedAt && e.Result == null)
                    .ExecuteUpdateAsync(e => e.SetProperty(x => x.ClaimedAt, time.GetUtcNow().ToUnixTimeMilliseconds()));
                if (taken == 1) return await ExchangeAndRecordAsync(store, hash, refreshToken);
            }
            if (time.GetUtcNow() > deadline) throw new TimeoutException("Another instance is still trading this refresh token");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task<bool> TryClaimAsync(WebAdminStore store, string hash)
    {
        store.TokenExchanges.Add(new TokenExchange { SpentTokenHash = hash, ClaimedAt = time.GetUtcNow().ToUnixTimeMilliseconds() });
        try
        {
            await store.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance claimed it first (or an exchange just ended and is remembered).
            store.ChangeTracker.Clear();
            return false;
        }
    }

    private async Task<Tokens?> ExchangeAndRecordAsync(WebAdminStore store, string hash, string refreshToken)
    {
        Tokens? tokens;
        try
        {
            tokens = await ExchangeAsync(refreshToken);
        }
        catch (HttpRequestException)
        {
            // Not spent (the server was not reached): let the next request try again.
            await store.TokenExchanges.Where(e => e.SpentTokenHash == hash).ExecuteDeleteAsync();
            throw;
        }
        var result = tokens is null ? "" : protector.Protect(JsonSerializer.Serialize(tokens));
        await store.TokenExchanges.Where(e => e.SpentTokenHash == hash).ExecuteUpdateAsync(e => e.SetProperty(x => x.Result, result));
        return tokens;
    }

    private Tokens? Read(string result) => result.Length == 0 ? null : JsonSerializer.Deserialize<Tokens>(protector.Unprotect(result));

    private async Task<Tokens?> ExchangeAsync(string refreshToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = settings.Value.ClientId,
        };
        if (settings.Value.ClientSecret is { Length: > 0 } secret) form["client_secret"] = secret;
        using var response = await clients.CreateClient(HttpClientName).PostAsync(new Uri(settings.Value.Authority, "connect/token"), new FormUrlEncodedContent(form));
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
