using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Tests.Shared;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The whole platform as the AppHost runs it (Azurite from npm, silo, gateway, web admin, identity server,
/// smtp4dev), with its data in a fresh temporary folder. Started once per collection: a start takes 30–60 s.
/// This one runs with the demo data; <see cref="EmptyPlatformFixture"/> runs a second one without it.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string dataPath = Path.Combine(Path.GetTempPath(), $"platform-e2e-{Guid.NewGuid():N}");
    private readonly int offset;
    private readonly string[] extraArguments;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Declared before the arguments that use it: static fields start in the order they are written.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(40);

    public PlatformFixture() : this(0, [])
    {
    }

    /// <param name="offset">Added to every port, so two platforms (and a developer's, on the defaults) run side by side.</param>
    protected PlatformFixture(int offset, string[] extraArguments)
    {
        this.offset = offset;
        this.extraArguments = extraArguments;
        GatewayUrl = new($"http://127.0.0.1:{6080 + offset}/graphql");
        WebAdminUrl = new($"http://127.0.0.1:{6082 + offset}/");
        IdentityUrl = new($"http://127.0.0.1:{6081 + offset}/");
        Tokens = new(IdentityUrl);
        MailUrl = new($"http://127.0.0.1:{6085 + offset}/");
    }

    // Ports of their own, so the tests run beside a developer's platform on the default ports.
    private string[] Ports =>
    [
        $"--Platform:GatewayPort={6080 + offset}", $"--Platform:IdentityPort={6081 + offset}", $"--Platform:WebAdminPort={6082 + offset}", $"--Platform:SiloHttpPort={6083 + offset}",
        $"--Platform:BlobPort={10100 + offset}", $"--Platform:QueuePort={10101 + offset}", $"--Platform:TablePort={10102 + offset}", $"--Platform:MembershipTablePort={10105 + offset}",
        $"--Platform:SmtpPort={3525 + offset}", $"--Platform:MailWebPort={6085 + offset}",
        // Short-lived access tokens, so that the web app's sessions must refresh theirs during the browser
        // tests (it refreshes within a minute of expiry: with 40 s, on every request after sign-in).
        $"--Platform:AccessTokenLifetime={AccessTokenLifetime:c}",
        // Operations has 45 seconds instead of four hours before an incident moves up by itself, so a browser test sees
        // the reminder do it in the real cluster.
        $"--Platform:EscalationOperations={EscalationOperations:c}",
        // The contract managers have 75 seconds instead of a day, so the winter story sees an incident reach the aldermen by
        // itself (the other incident tests decide at that level within seconds of its arrival).
        $"--Platform:EscalationContractManagers={EscalationContractManagers:c}",
    ];

    public static readonly TimeSpan EscalationOperations = TimeSpan.FromSeconds(45);

    public static readonly TimeSpan EscalationContractManagers = TimeSpan.FromSeconds(75);

    public Uri GatewayUrl { get; }

    public Uri WebAdminUrl { get; }

    public TokenClient Tokens { get; }

    public Uri IdentityUrl { get; }

    // Azurite's documented development account, on this platform's ports.
    private const string DevAccount = "AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The table service of the platform's storage account (reminders).</summary>
    public string StorageTables => $"DefaultEndpointsProtocol=http;{DevAccount};TableEndpoint=http://127.0.0.1:{10102 + offset}/devstoreaccount1;";

    /// <summary>The table service that holds only the cluster's membership.</summary>
    public string MembershipTables => $"DefaultEndpointsProtocol=http;{DevAccount};TableEndpoint=http://127.0.0.1:{10105 + offset}/devstoreaccount1;";

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The platform's SMTP server (smtp4dev), read through its HTTP API.</summary>
    public Uri MailUrl { get; }

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

    /// <summary>
    /// The subjects and texts of the mails to <paramref name="address"/> whose subject contains <paramref name="subject"/>, oldest
    /// first, once there are at least <paramref name="expected"/> (waits up to 30 s, then answers what there is).
    /// </summary>
    public async Task<List<(string Subject, string Text)>> MailsAsync(string address, string subject, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await Http.GetFromJsonAsync<JsonNode>(new Uri(MailUrl, "api/messages?pageSize=1000"));
            var found = list!["results"]!.AsArray()
                .Where(m => m!["to"]!.AsArray().Any(t => string.Equals(t!.GetValue<string>(), address, StringComparison.OrdinalIgnoreCase))
                    && m["subject"]!.GetValue<string>().Contains(subject, StringComparison.OrdinalIgnoreCase))
                .OrderBy(m => m!["receivedDate"]!.GetValue<DateTimeOffset>())
                .ToList();
            if (found.Count >= expected || DateTime.UtcNow > deadline)
            {
                var mails = new List<(string, string)>();
                foreach (var m in found) mails.Add((m!["subject"]!.GetValue<string>(), await Http.GetStringAsync(new Uri(MailUrl, $"api/messages/{m["id"]!.GetValue<string>()}/plaintext"))));
                return mails;
            }
            await Task.Delay(250);
        }
    }

    public Task InitializeAsync() => StartPlatformAsync();

    /// <summary>
    /// The maps' tiles and address search, from a folder the web app serves itself: a blank tile for every place, and one
    /// answer of the address search (in PDOK Locatieserver's shape) for whatever is asked.
    /// </summary>
    public static readonly (string Label, double Latitude, double Longitude) GeocodedAddress = ("Grote Oost 2, 1621BR Hoorn", 52.64012, 5.06321);

    private string MapFolder()
    {
        var folder = Path.Combine(dataPath, "map");
        Directory.CreateDirectory(Path.Combine(folder, "tiles"));
        File.WriteAllBytes(Path.Combine(folder, "tiles", "blank.png"), TestImages.Png(256, 256));
        var (label, latitude, longitude) = GeocodedAddress;
        File.WriteAllText(Path.Combine(folder, "geocoder.json"), new JsonObject
        {
            ["response"] = new JsonObject
            {
                ["numFound"] = 1,
                ["docs"] = new JsonArray(new JsonObject
                {
                    ["type"] = "adres", ["weergavenaam"] = label,
                    ["centroide_ll"] = FormattableString.Invariant($"POINT({longitude} {latitude})"),
                }),
            },
        }.ToJsonString());
        return folder;
    }

    private async Task StartPlatformAsync()
    {
        // The AppHost runs npm install for Azurite as well, but without a lock: other assemblies may be installing it now.
        await AzuriteInstall.EnsureAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
            [$"--Platform:AzuriteDataPath={dataPath}", $"--Platform:MailDataPath={Path.Combine(dataPath, "smtp4dev")}", $"--Platform:IdentityDatabasePath={Path.Combine(dataPath, "identity.db")}", $"--Platform:ReadModelPath={Path.Combine(dataPath, "complaints.db")}", $"--Platform:WebAdminDatabasePath={Path.Combine(dataPath, "webadmin.db")}", "--DcpPublisher:RandomizePorts=false", $"--Platform:MapFolder={MapFolder()}", .. Ports, .. extraArguments],
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

/// <summary>A second platform, started as a new deployment is: demo data off, only an operator whose password is configured.</summary>
public sealed class EmptyPlatformFixture() : PlatformFixture(10, ["--Platform:DemoData=false", $"--Platform:OperatorPassword={OperatorPassword}"])
{
    public const string OperatorEmail = "operator@platform.localhost";
    public const string OperatorPassword = "Demo!2345";
}

[CollectionDefinition(Name)]
public sealed class EmptyPlatformCollection : ICollectionFixture<EmptyPlatformFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "empty-platform";
}
