using System.Diagnostics;
using System.Net.Sockets;
using Platform.Tests.Shared;

namespace Platform.Reliability.Tests;

/// <summary>
/// The platform as separate processes on 127.0.0.1, as the run command starts it but with two silos: Azurite (the
/// local Azure Storage, in a fresh folder), the identity server (in the test process: it is not what these tests
/// kill), two silo processes and the gateway process, all with the demo data. Shared by the tests of this assembly.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"platform-reliability-{Guid.NewGuid():N}");
    private readonly int siloCount;
    private readonly int gatewayCount;
    private readonly bool demoData;
    private readonly TimeSpan gatewayDrain;
    private readonly bool storageInMemory;
    private PlatformProcess azurite = null!;
    private readonly CpuGroups? cpu;

    /// <summary>The shared fixture: two silos and the demo data.</summary>
    public LocalCluster() : this(silos: 2, demoData: true)
    {
    }

    /// <param name="demoData">False for a platform whose data comes from elsewhere (a restore).</param>
    /// <param name="gatewayDrain">How long a gateway answers on after SIGTERM (Platform:Shutdown:Drain), as in a cluster.</param>
    /// <param name="storageInMemory">
    /// Azurite keeps its blobs and tables in memory (<c>--inMemoryPersistence</c>) instead of in files. On files, Azurite
    /// writes its whole index of blobs again within 5 s of any change, on its one thread: with 10,000 blobs every request
    /// to it waits up to 250 ms once every 5 s (measured 5 December), a pause Azure Storage does not have. For a test that
    /// measures latency and never restarts Azurite.
    /// </param>
    /// <param name="cpu">Each silo and gateway in a CPU group of its own, weighted as its manifest's pod (see <see cref="CpuGroups"/>).</param>
    internal LocalCluster(int silos, bool demoData, int gateways = 1, TimeSpan? gatewayDrain = null, bool storageInMemory = false, CpuGroups? cpu = null)
    {
        this.cpu = cpu;
        this.gatewayDrain = gatewayDrain ?? TimeSpan.Zero;
        this.storageInMemory = storageInMemory;
        siloCount = silos;
        gatewayCount = gateways;
        this.demoData = demoData;
    }

    public string StorageConnectionString { get; private set; } = "";
    public IdentityHost Identity { get; private set; } = null!;
    public TokenClient Tokens { get; private set; } = null!;
    public PlatformProcess[] Silos { get; private set; } = [];
    /// <summary>Each silo's Orleans port (its silo address), in the order of <see cref="Silos"/>.</summary>
    public int[] SiloPorts { get; private set; } = [];
    public string ClusterId { get; private set; } = "";
    public PlatformProcess[] Gateways { get; private set; } = [];
    public Uri[] GatewayUrls { get; private set; } = [];
    public PlatformProcess Gateway => Gateways[0];
    public Uri GatewayUrl => GatewayUrls[0];

    /// <summary>The identity server's database (engine and connection string), for backups.</summary>
    public Dictionary<string, string?> IdentityDatabase { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await StartStorageAsync();
        await StartPlatformAsync();
    }

    /// <summary>Azurite in a fresh folder, and empty databases (on PostgreSQL: this assembly's engine).</summary>
    public async Task StartStorageAsync()
    {
        Directory.CreateDirectory(folder);
        await StartAzuriteAsync();
        IdentityDatabase = await TestDatabase.SettingsAsync("identity-db", folder);
    }

    /// <summary>The identity server, the silos and the gateway, on the storage started before.</summary>
    public async Task StartPlatformAsync()
    {
        Identity = await IdentityHost.StartAsync(new(IdentityDatabase) { ["Platform:Identity:SeedDemoData"] = demoData ? "true" : "false" });
        Tokens = new TokenClient(Identity.Url);

        var clusterId = ClusterId = $"chaos-{Guid.NewGuid():N}"[..20];
        // The read model on PostgreSQL, as a production cluster has it: the silos write it, the gateway reads it.
        var readModel = await TestDatabase.SettingsAsync("readmodel", folder);
        var orleans = new Dictionary<string, string>
        {
            ["ConnectionStrings__storage"] = StorageConnectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["Platform__Database__Provider"] = readModel["Platform:Database:Provider"]!,
            ["ConnectionStrings__readmodel"] = readModel["ConnectionStrings:readmodel"]!,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["OTEL_SDK_DISABLED"] = "true",
        };
        SiloPorts = [.. Enumerable.Range(0, siloCount).Select(_ => LoopbackPort.Free())];
        Silos = [.. Enumerable.Range(1, siloCount).Select(i => PlatformProcess.Dotnet($"silo-{i}", "services/Platform.Silo", new Dictionary<string, string>(orleans)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPort.Free()}",
            ["Orleans__Endpoints__SiloPort"] = SiloPorts[i - 1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__Endpoints__GatewayPort"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Platform__Silo__SeedDemoData"] = demoData ? "true" : "false",
            // What a starting silo did before it joined, and how long it took (the rehearsal's figures show it).
            ["Logging__LogLevel__Platform.Grains.Hosting.SiloWarmUp"] = "Information",
            // When a change of public data waits for gateway leases (the feed moved to another silo), and how long.
            ["Logging__LogLevel__Platform.Grains.PublicData"] = "Information",
            // Mail is not what these tests look at: an SMTP port nobody listens on, retried by the outbox.
            ["Platform__Mail__Smtp__Host"] = "127.0.0.1",
            ["Platform__Mail__Smtp__Port"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Platform__Mail__Smtp__Security"] = "None",
            ["Platform__Mail__Smtp__From"] = "platform@regelingen.localhost",
            // Each retry of that unreachable server is a warning: 4,126 of the 4,134 lines the rehearsal kept (run ba).
            ["Logging__LogLevel__Platform.Grains.Notifications"] = "Error",
        }))];
        GatewayUrls = [.. Enumerable.Range(0, gatewayCount).Select(_ => new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/"))];
        Gateways = [.. GatewayUrls.Select((url, i) => PlatformProcess.Dotnet(gatewayCount == 1 ? "gateway" : $"gateway-{i + 1}", "gateway/Platform.Gateway", new Dictionary<string, string>(orleans)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["Platform__Gateway__Authority"] = Identity.Url.ToString(),
            ["Platform__Gateway__WebAppUrl"] = "http://127.0.0.1:5999/",
            // The load is a few people filing hundreds a minute: the per-person limits are not under test here.
            ["Platform__RateLimits__Enabled"] = "false",
            ["Platform__Shutdown__Drain"] = gatewayDrain.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        }))];
        if (cpu is not null)
        {
            var (siloRequest, siloLimit) = CpuGroups.Resources("silo.yaml");
            var (gatewayRequest, gatewayLimit) = CpuGroups.Resources("gateway.yaml");
            foreach (var silo in Silos) silo.CpuGroup = cpu.Add(silo.Name, siloRequest, siloLimit);
            foreach (var gateway in Gateways) gateway.CpuGroup = cpu.Add(gateway.Name, gatewayRequest, gatewayLimit);
        }
        foreach (var silo in Silos) silo.Start();
        foreach (var gateway in Gateways) gateway.Start();
        for (var i = 0; i < Gateways.Length; i++)
        {
            await WaitUntilReadyAsync(i, TimeSpan.FromMinutes(3));
        }
    }

    /// <summary>Every process's output, for a failing test's message.</summary>
    public string Logs(int tail = 6000) =>
        string.Join("\n", Silos.Concat(Gateways).Select(p => $"===== {p.Name}\n{Tail(p.Output, tail)}"));

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];

    /// <summary>Waits until this gateway process runs and reports ready (its own process: another on its port would not do).</summary>
    public Task WaitUntilReadyAsync(int gateway, TimeSpan timeout) =>
        WaitUntilAsync(async () => Gateways[gateway].Id is not null && await ReadyAsync(GatewayUrls[gateway]), timeout,
            $"{Gateways[gateway].Name} at {GatewayUrls[gateway]} to report ready (a grain call through the cluster)");

    public static async Task<bool> ReadyAsync(Uri baseUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(baseUrl, "health"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Asks <paramref name="condition"/> every 250 ms until it holds. A question the cluster could not answer (the test's
    /// own call lost or refused as a silo left: in the clean-clone run of 4 December, late evening, the rehearsal failed
    /// on its own membership poll, a management call unanswered for 30 s) counts as "not yet", not as the test's failure.
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await HoldsAsync())
        {
            if (watch.Elapsed > timeout) throw new TimeoutException($"Waited {timeout} for {what}.\n{Logs()}");
            await Task.Delay(250);
        }

        async Task<bool> HoldsAsync()
        {
            try
            {
                return await condition();
            }
            catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException && watch.Elapsed < timeout)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Azurite on free ports. If it ends before it listens (a port taken between choosing and binding it, or an install
    /// another assembly left half done), it is installed again and started on other ports, up to three times; the error
    /// then shows what it printed.
    /// </summary>
    private async Task StartAzuriteAsync()
    {
        var script = await AzuriteInstall.EnsureAsync();
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStartAzuriteAsync(script) is not { } ended) return;
            if (attempt == 3) throw new InvalidOperationException($"Azurite ended before it listened, three times. The last time:\n{ended}");
            script = await AzuriteInstall.EnsureAsync(again: true);
        }
    }

    /// <summary>Starts Azurite on free ports: null once it listens; how it ended and what it printed if it ended first.</summary>
    private async Task<string?> TryStartAzuriteAsync(string script)
    {
        int blob = LoopbackPort.Free(), queue = LoopbackPort.Free(), table = LoopbackPort.Free();
        azurite = new PlatformProcess("azurite", "node",
            [script, .. storageInMemory ? ["--inMemoryPersistence"] : new[] { "--location", Path.Combine(folder, "azurite") },
             "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
             "--tableHost", "127.0.0.1", "--tablePort", $"{table}", "--skipApiVersionCheck", "--disableTelemetry", "--loose"],
            AzuriteInstall.Package, new Dictionary<string, string>());
        azurite.Start();
        StorageConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{DevAccount};QueueEndpoint=http://127.0.0.1:{queue}/{DevAccount};" +
            $"TableEndpoint=http://127.0.0.1:{table}/{DevAccount};";
        var watch = Stopwatch.StartNew();
        while (!(await ListeningAsync(blob) && await ListeningAsync(table)))
        {
            if (azurite.ExitCode is { } code)
            {
                var ended = $"exit code {code}; its output:\n{azurite.Output}";
                await azurite.DisposeAsync();
                return ended;
            }
            if (watch.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"Waited 120 s for Azurite to listen on {blob} and {table}. Its output:\n{azurite.Output}");
            }
            await Task.Delay(250);
        }
        return null;
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Silos.Concat(Gateways))
        {
            if (process is not null) await process.DisposeAsync();
        }
        if (Identity is not null) await Identity.DisposeAsync();
        if (azurite is not null) await azurite.DisposeAsync();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "local cluster";
}
