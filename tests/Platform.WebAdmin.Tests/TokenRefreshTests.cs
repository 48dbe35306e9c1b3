using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Tests.Shared;
using Platform.WebAdmin.Auth;

namespace Platform.WebAdmin.Tests;

/// <summary>
/// Two instances of the web app behind one load balancer, sharing their database, against the real
/// identity server (which rotates refresh tokens and revokes the chain when one is spent twice).
/// Requests carrying the same session cookie reach both at once: one exchange, one new pair for both.
/// </summary>
public sealed class TokenRefreshTests : IAsyncLifetime
{
    private IdentityHost identity = null!;
    private TokenClient tokens = null!;
    private Instance first = null!;
    private Instance second = null!;

    private sealed class Instance(Uri authority, Dictionary<string, string?> database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Platform:Http:AllowPlainHttp", "true");
            builder.UseSetting("Platform:WebAdmin:Authority", authority.ToString());
            // The refresh tokens here are the command-line demo client's (a public client: no secret).
            builder.UseSetting("Platform:WebAdmin:ClientId", TokenClient.CliClient);
            builder.UseSetting("Platform:WebAdmin:ClientSecret", "");
            foreach (var (name, value) in database) builder.UseSetting(name, value);
        }
    }

    public async Task InitializeAsync()
    {
        identity = await IdentityHost.StartAsync();
        tokens = new TokenClient(identity.Url);
        var database = await TestDatabase.SettingsAsync("webadmin-db", Path.Combine(Path.GetTempPath(), $"webadmin-refresh-{Guid.NewGuid():N}"));
        first = new Instance(identity.Url, database);
        second = new Instance(identity.Url, database);
        _ = first.Services;  // starts it: the schema is migrated
        _ = second.Services;
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        await identity.DisposeAsync();
    }

    /// <summary>A request of a session whose access token runs out in 30 seconds, as the cookie handler validates it.</summary>
    private static CookieValidatePrincipalContext Request(Instance instance, string refreshToken)
    {
        var properties = new AuthenticationProperties();
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = "access_token", Value = "old" },
            new AuthenticationToken { Name = "refresh_token", Value = refreshToken },
            new AuthenticationToken { Name = "expires_at", Value = DateTimeOffset.UtcNow.AddSeconds(30).ToString("o", CultureInfo.InvariantCulture) },
        ]);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity("test")), properties, CookieAuthenticationDefaults.AuthenticationScheme);
        var http = new DefaultHttpContext { RequestServices = instance.Services };
        var scheme = new AuthenticationScheme(CookieAuthenticationDefaults.AuthenticationScheme, null, typeof(CookieAuthenticationHandler));
        return new CookieValidatePrincipalContext(http, scheme, new CookieAuthenticationOptions(), ticket);
    }

    private static Task Refresh(Instance instance, CookieValidatePrincipalContext request) =>
        instance.Services.GetRequiredService<TokenRefresher>().RefreshIfNeededAsync(request);

    [Fact]
    public async Task Two_instances_refreshing_one_session_at_once_spend_the_refresh_token_once_and_keep_the_session()
    {
        var signedIn = await tokens.SignInAsync("board@demo.test");
        var refreshToken = signedIn["refresh_token"]!.GetValue<string>();
        var requests = new[] { Request(first, refreshToken), Request(second, refreshToken), Request(first, refreshToken), Request(second, refreshToken) };

        await Task.WhenAll(requests.Select((request, i) => Refresh(i % 2 == 0 ? first : second, request)));

        // Nobody was signed out (a second spend of the token would have been refused, and the chain revoked) ...
        Assert.All(requests, r => Assert.NotNull(r.Principal));
        Assert.All(requests, r => Assert.True(r.ShouldRenew));
        // ... every request carries the one new pair ...
        var pairs = requests.Select(r => (Access: r.Properties.GetTokenValue("access_token"), Refresh: r.Properties.GetTokenValue("refresh_token"))).Distinct().ToList();
        var pair = Assert.Single(pairs);
        Assert.NotEqual("old", pair.Access);
        Assert.NotEqual(refreshToken, pair.Refresh);
        // ... and that pair's refresh token is alive: the chain was not revoked.
        var (status, _) = await tokens.RefreshAsync(pair.Refresh!);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session_on_every_instance()
    {
        var requests = new[] { Request(first, "not-a-refresh-token"), Request(second, "not-a-refresh-token") };

        await Task.WhenAll(requests.Select((request, i) => Refresh(i == 0 ? first : second, request)));

        Assert.All(requests, r => Assert.Null(r.Principal));
    }

    [Fact]
    public async Task A_shared_result_this_instance_cannot_read_keeps_the_session_and_throws_nothing()
    {
        const string token = "refresh-token-with-a-tampered-result";
        var stores = first.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Platform.WebAdmin.Persistence.WebAdminStore>>();
        await using (var store = await stores.CreateDbContextAsync())
        {
            store.TokenExchanges.Add(new Platform.WebAdmin.Persistence.TokenExchange
            {
                SpentTokenHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))),
                ClaimedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Result = "not-protected-by-our-keys",
            });
            await store.SaveChangesAsync();
        }
        var request = Request(second, token);

        await Refresh(second, request);

        Assert.NotNull(request.Principal);
        Assert.Equal("old", request.Properties.GetTokenValue("access_token"));
        Assert.False(request.ShouldRenew);
    }
}
