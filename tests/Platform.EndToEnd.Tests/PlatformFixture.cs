using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Tests.Shared;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The whole platform as the AppHost runs it (Azurite from npm, silo, gateway, web admin), with
/// Azurite's files in a fresh temporary folder. Started once for the assembly: a start takes 30–60 s.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string dataPath = Path.Combine(Path.GetTempPath(), $"platform-e2e-{Guid.NewGuid():N}");

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Declared before the arguments that use it: static fields start in the order they are written.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(40);

    // Ports of their own, so the tests run beside a developer's platform on the default ports.
    private static readonly string[] Ports =
    [
        "--Platform:GatewayPort=6080", "--Platform:IdentityPort=6081", "--Platform:WebAdminPort=6082", "--Platform:SiloHttpPort=6083",
        "--Platform:SiloPort=21111", "--Platform:OrleansGatewayPort=31000",
        "--Platform:BlobPort=10100", "--Platform:QueuePort=10101", "--Platform:TablePort=10102",
        "--Platform:SmtpPort=3525", "--Platform:MailWebPort=6085",
        // Short-lived access tokens, so that the web app's sessions must refresh theirs during the browser
        // tests (it refreshes within a minute of expiry: with 40 s, on every request after sign-in).
        $"--Platform:AccessTokenLifetime={AccessTokenLifetime:c}",
    ];


    public Uri GatewayUrl { get; } = new("http://127.0.0.1:6080/graphql");

    public Uri WebAdminUrl { get; } = new("http://127.0.0.1:6082/");

    public TokenClient Tokens { get; } = new(new Uri("http://127.0.0.1:6081/"));

    public Uri IdentityUrl { get; } = new("http://127.0.0.1:6081/");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The platform's SMTP server (smtp4dev), read through its HTTP API.</summary>
    public Uri MailUrl { get; } = new("http://127.0.0.1:6085/");

    /// <summary>The newest mail to <paramref name="address"/> whose subject contains <paramref name="subject"/>, as plain text (waits up to 10 s).</summary>
    public async Task<string> MailTextAsync(string address, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var list = await Http.GetFromJsonAsync<JsonNode>(new Uri(MailUrl, "api/messages?pageSize=1000"));
            var found = list!["results"]!.AsArray().LastOrDefault(m =>
                m!["to"]!.AsArray().Any(t => string.Equals(t!.GetValue<string>(), address, StringComparison.OrdinalIgnoreCase))
                && m["subject"]!.GetValue<string>().Contains(subject, StringComparison.OrdinalIgnoreCase));
            if (found is not null) return await Http.GetStringAsync(new Uri(MailUrl, $"api/messages/{found["id"]!.GetValue<string>()}/plaintext"));
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"No mail '{subject}' reached {address}.");
            await Task.Delay(250);
        }
    }

    public Task InitializeAsync() => StartPlatformAsync();

    private async Task StartPlatformAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
            [$"--Platform:AzuriteDataPath={dataPath}", $"--Platform:MailDataPath={Path.Combine(dataPath, "smtp4dev")}", $"--Platform:IdentityDatabasePath={Path.Combine(dataPath, "identity.db")}", $"--Platform:ReadModelPath={Path.Combine(dataPath, "complaints.db")}", "--DcpPublisher:RandomizePorts=false", .. Ports],
            (options, _) => options.DisableDashboard = true);
        App = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(cts.Token);
        await WaitHealthyAsync("web-admin", cts.Token);
    }

    /// <summary>
    /// Stops the whole platform (every process, Azurite included) and starts it again on the same data
    /// folder, as a user does with Ctrl+C and the run command. (Aspire's per-resource stop command
    /// proved unreliable for the silo: its state sometimes stayed "Unknown" after the process ended.)
    /// </summary>
    public async Task RestartPlatformAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await StartPlatformAsync();
    }

    public async Task WaitHealthyAsync(string resource, CancellationToken cancellationToken) =>
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);

    public async Task<JsonNode> GraphQLAsync(string query, object? variables = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, GatewayUrl) { Content = JsonContent.Create(new { query, variables }) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode && body["errors"] is null, body.ToJsonString());
        return body["data"]!;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // Azurite may still be closing its files; the temp folder is cleaned by the OS.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "platform";
}
