extern alias identity;
using Platform.ServiceDefaults.Mail;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Grains.DemoData;
using Platform.Grains.Hosting;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

/// <summary>
/// The real gateway (Program, endpoint, schema) with a silo co-hosted in the same process on memory
/// storage and free ports, seeded with the demo data. One per test assembly.
/// </summary>
public sealed class GatewayFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<string>> tokens = new();

    public IdentityHost Identity { get; private set; } = null!;

    /// <summary>The SMTP server the identity server sends through; tests read the mail back from it.</summary>
    public MailServer Mail { get; private set; } = null!;

    public TokenClient Tokens { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The test server speaks plain HTTP; outside Development that is refused unless allowed.
        builder.UseSetting("Platform:Http:AllowPlainHttp", "true");
        builder.UseSetting("Platform:Gateway:Orleans", "External");
        builder.UseSetting("Platform:Gateway:Authority", Identity.Url.ToString());
        builder.UseSetting("Platform:Gateway:ServiceClientSecret", "platform-gateway-secret");
        builder.UseSetting("Platform:Open311:ApiKeys:0:Key", "demo-open311-key");
        builder.UseSetting("Platform:Open311:ApiKeys:0:Organisation", "GM0405");
        builder.UseSetting("Platform:Open311:ApiKeys:0:Name", "demo-partner");
        builder.UseSetting("Platform:Open311:ApiKeys:1:Key", "amsterdam-open311-key");
        builder.UseSetting("Platform:Open311:ApiKeys:1:Organisation", "GM0363");
        builder.UseSetting("Platform:Open311:ApiKeys:1:Name", "amsterdam-app");
        builder.UseSetting("Platform:Gateway:WebAppUrl", "http://127.0.0.1:5999/");
        builder.UseSetting("Platform:Notifications:WebAppUrl", "http://127.0.0.1:5999/");
        builder.UseSetting("Platform:Notifications:LinkKey", LinkKey);
        // Webhook receivers in the tests listen on 127.0.0.1 over plain HTTP; retries come fast so a test sees four attempts.
        builder.UseSetting("Platform:Notifications:AllowPrivateWebhookTargets", "true");
        builder.UseSetting("Platform:Notifications:RetryAfter", "00:00:00.2");
        builder.UseSetting("Platform:Notifications:RoundEvery", "00:00:00.5");
        // Pauses between attempts stop growing at 2 s: the mail-server outage test sees the mail soon after the server is back.
        builder.UseSetting("Platform:Notifications:LongestRetryPause", "00:00:02");
        // The co-hosted silo mails complaint confirmations through the same SMTP server as the identity server.
        foreach (var (name, value) in Mail.Settings) builder.UseSetting(name, value);
        foreach (var (name, value) in readModel) builder.UseSetting(name, value);
        builder.ConfigureServices(services => services.AddPlatformSilo(new SiloSettings
        {
            Storage = "Memory",
            SiloPort = LoopbackPort.Free(),
            GatewayPort = LoopbackPort.Free(),
            ClusterId = "gateway-tests",
            SeedDemoData = false,
        }, connectionString: null).AddSmtpMail());
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter>(new ClientAddressFilter());
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>The factory registers Kestrel again after the program did: the program's front goes in front of that one.</summary>
    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder)
    {
        builder.ConfigureServices((_, services) => Platform.ServiceDefaults.Hosting.FrontDoor.PutInFront(services));
        return base.CreateHost(builder);
    }

    /// <summary>The key unsubscribe links are signed with here (not the development default, as outside Development).</summary>
    public const string LinkKey = "gateway-tests-unsubscribe-link-key-0123456789abcdef";

    /// <summary>Everything the gateway logged at Warning and above, with the trace id of the request it was logged in.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// Test-only: every request seems to come from its own address (as the users of a real deployment do),
    /// unless it names one in <see cref="ClientAddressHeader"/>, so that tests of per-address limits choose
    /// their address and the rest of the suite never shares one.
    /// </summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                http.Connection.RemoteIpAddress = http.Request.Headers.TryGetValue(ClientAddressHeader, out var given) && IPAddress.TryParse(given, out var address)
                    ? address
                    : new IPAddress([10, (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(1, 255)]);
                return following(http);
            });
            next(app);
        };
    }

    /// <summary>
    /// The gateway's and silo's clock. Tests that need time to pass (a vote closing) shift it, make
    /// their grain calls, and shift it back; tokens are not validated while it is shifted.
    /// </summary>
    public ShiftableClock Clock { get; } = new();

    private Dictionary<string, string?> readModel = [];

    public async Task InitializeAsync()
    {
        readModel = await TestDatabase.SettingsAsync("readmodel", Path.Combine(Path.GetTempPath(), $"gateway-tests-{Guid.NewGuid():N}"));
        Mail = await MailServer.StartAsync();
        Identity = await IdentityHost.StartAsync(Mail.Settings);
        Tokens = new TokenClient(Identity.Url);
        // Real HTTP on 127.0.0.1, as partners and the web app reach the gateway.
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer(); // starts the host, and the silo with it
        await DemoDataSeeder.SeedAsync(Services.GetRequiredService<IGrainFactory>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Identity.DisposeAsync();
        await Mail.DisposeAsync();
    }

    /// <summary>An access token of a demo account (signed in through the form once) or a demo partner client.</summary>
    public Task<string> TokenAsync(string who) => tokens.GetOrAdd(who, name => name switch
    {
        "demo-partner" or "demo-partner-readonly" or "demo-partner-amsterdam" => Tokens.AccessTokenAsync(name, $"{name}-secret"),
        _ => Tokens.UserAccessTokenAsync(name),
    });

    public Task<string> OperatorAsync() => TokenAsync("operator@demo.test");

    /// <summary>
    /// A partner client of Hoorn's used by no other test (read scope only), so that a test may spend its
    /// whole rate limit and count exactly without leaving other tests short.
    /// </summary>
    public Task<string> DedicatedPartnerTokenAsync(string clientId) => tokens.GetOrAdd(clientId, async name =>
    {
        using var scope = Identity.Services.CreateScope();
        var applications = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
        var descriptor = new OpenIddict.Abstractions.OpenIddictApplicationDescriptor
        {
            ClientId = name,
            ClientSecret = $"{name}-secret",
            ClientType = OpenIddict.Abstractions.OpenIddictConstants.ClientTypes.Confidential,
            DisplayName = name,
            Permissions =
            {
                OpenIddict.Abstractions.OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddict.Abstractions.OpenIddictConstants.Permissions.GrantTypes.ClientCredentials,
                OpenIddict.Abstractions.OpenIddictConstants.Permissions.Prefixes.Scope + "arrangements:read",
            },
        };
        descriptor.Properties["organisation"] = JsonSerializer.SerializeToElement("GM0405");
        await applications.CreateAsync(descriptor);
        return await Tokens.AccessTokenAsync(name, $"{name}-secret");
    });

    /// <summary>A resident account used by no other test, signed in through the form like the demo accounts.</summary>
    public Task<string> DedicatedCitizenTokenAsync(string email, string municipality) => DedicatedUserTokenAsync(email, municipality, "citizen");

    /// <summary>A platform operator used by no other test, so that its writes spend no other test's rate limit.</summary>
    public Task<string> DedicatedOperatorTokenAsync(string email) => DedicatedUserTokenAsync(email, null, "operator");

    /// <summary>A person of an organisation in a role, used by no other test (the organisation does not list them, so the token's role holds).</summary>
    public Task<string> DedicatedStaffTokenAsync(string email, string organisation, string role) => DedicatedUserTokenAsync(email, organisation, role);

    private Task<string> DedicatedUserTokenAsync(string email, string? organisation, string role) => tokens.GetOrAdd(email, async name =>
    {
        using (var scope = Identity.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<identity::Platform.Identity.Persistence.PlatformUser>>();
            var user = new identity::Platform.Identity.Persistence.PlatformUser { UserName = name, Email = name, EmailConfirmed = true, DisplayName = name, Organisation = organisation };
            Assert.True((await users.CreateAsync(user, TokenClient.DemoPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }
        // Signed in from a loopback address of their own (127.0.0.2–5): the identity server allows 30 sign-ins a minute per
        // address, and the demo accounts' sign-ins from 127.0.0.1 must not share that budget with every dedicated account.
        return await Tokens.From(System.Net.IPAddress.Parse($"127.0.0.{2 + name.Sum(c => c) % 4}")).UserAccessTokenAsync(name);
    });

    /// <summary>Opens the invitation link mailed to <paramref name="email"/> and sets <paramref name="password"/>; returns an access token of the new account.</summary>
    public async Task<string> AcceptInvitationAsync(string email, string password = "Nieuw!2345")
    {
        var mail = await Mail.WaitForAsync(email, "account");
        var link = System.Text.RegularExpressions.Regex.Match(mail.Text, @"http://127\.0\.0\.1:\d+/account/invitation\?user=[^\s<]+");
        Assert.True(link.Success, $"no invitation link in the mail to {email}");
        using var browser = new HttpClient();
        var form = await browser.GetStringAsync(link.Value);
        var antiforgery = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link.Value).Query);
        using var set = await browser.PostAsync(new Uri(Identity.Url, "account/invitation"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = query["user"]!, ["Token"] = query["token"]!, ["Password"] = password, ["Confirm"] = password, ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        return await Tokens.UserAccessTokenAsync(email, password);
    }

    /// <summary>POSTs a GraphQL request and returns the status and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string query, object? variables = null, string accept = "application/graphql-response+json", string? idempotencyKey = null, string? token = null, string path = "/graphql", Dictionary<string, string>? headers = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd(accept);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        foreach (var (name, value) in headers ?? []) request.Headers.Add(name, value);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>POSTs and expects an executed operation; returns <c>data</c>.</summary>
    public async Task<JsonNode> DataAsync(string query, object? variables = null, string? idempotencyKey = null, string? token = null, Dictionary<string, string>? headers = null)
    {
        var (status, body) = await PostAsync(query, variables, idempotencyKey: idempotencyKey, token: token, headers: headers);
        Assert.True(status == HttpStatusCode.OK, $"HTTP {(int)status}: {body.ToJsonString()}");
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!;
    }

}

public sealed class ShiftableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
