using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Platform.Tests.Shared;

namespace Platform.Benchmarks;

/// <summary>
/// Complaints filed per second end to end (GraphQL → complaint grain → grain state in Azurite →
/// read-model row), against raw blob writes of the same size to the same Azurite, in the same run.
/// Starts its own Azurite (from infra/azurite), identity server, silo and gateway, all on 127.0.0.1.
/// </summary>
public static class ComplaintFilingBenchmark
{
    public static async Task RunAsync(LoadOptions options)
    {
        var root = RepositoryRoot();
        var folder = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var (blobPort, queuePort, tablePort) = (LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());
        using var azurite = StartAzurite(root, folder, blobPort, queuePort, tablePort);
        try
        {
            await MeasureAsync(options, blobPort, queuePort, tablePort);
        }
        finally
        {
            azurite.Kill(entireProcessTree: true);
            await azurite.WaitForExitAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task MeasureAsync(LoadOptions options, int blobPort, int queuePort, int tablePort)
    {
        var storage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
        await WaitForPortAsync(blobPort);
        await WaitForPortAsync(tablePort);

        await using var identity = await IdentityHost.StartAsync();
        var citizen = await new TokenClient(identity.Url).UserAccessTokenAsync("citizen@demo.test");
        await using var gateway = await GatewayHost.StartAsync(documentCache: true, storage, identity.Url);
        var graphql = new Uri(gateway.Root, "/graphql");

        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            query = "mutation($i: FileComplaintInput!) { fileComplaint(input: $i) { complaint { key } userErrors { message } } }",
            variables = new { i = new { arrangementId = "afval-nhn", serviceCode = "grofvuil", description = "Bulky waste not collected on the agreed day", location = new { latitude = 52.64, longitude = 5.06, address = "Grote Oost 1, Hoorn" } } },
        }));
        HttpRequestMessage File()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, graphql) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", citizen);
            return request;
        }

        var container = new BlobServiceClient(storage).GetBlobContainerClient("bench-baseline");
        await container.CreateIfNotExistsAsync();
        var state = BinaryData.FromBytes(new byte[1_500]); // about the size of a new complaint's grain state
        async Task WriteBlobAsync() => await container.GetBlobClient(Guid.NewGuid().ToString("N")).UploadAsync(state);

        using (var probe = new HttpClient())
        {
            // Every request of the run is this one: make sure it files a complaint, not a refusal.
            using var answer = await probe.SendAsync(File());
            var text = await answer.Content.ReadAsStringAsync();
            if (!text.Contains("\"key\"", StringComparison.Ordinal)) throw new InvalidOperationException($"Filing failed: {text}");
        }
        Console.WriteLine($"Complaint filing: {options.Concurrency} clients, {options.Rounds} rounds of {options.RoundSeconds} s, Azurite on 127.0.0.1:{blobPort}");
        await LoadRun.RoundAsync(File, options with { RoundSeconds = 3 }); // warm-up
        await Round(WriteBlobAsync, options with { RoundSeconds = 3 });
        var filed = new List<double>();
        var blobs = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            blobs.Add(await Round(WriteBlobAsync, options));
            filed.Add(await LoadRun.RoundAsync(File, options));
        }
        var f = filed.Order().ElementAt(filed.Count / 2);
        var b = blobs.Order().ElementAt(blobs.Count / 2);
        Console.WriteLine();
        Console.WriteLine($"{"measure",-52} {"per second (median)",20}");
        Console.WriteLine($"{"raw blob writes (1.5 KB) to Azurite",-52} {b,20:N0}");
        Console.WriteLine($"{"complaints filed end to end (GraphQL → grain → blob → list)",-52} {f,20:N0}");
        Console.WriteLine($"ratio: {f / b:P0} of the raw blob write rate");
    }

    private static async Task<double> Round(Func<Task> operation, LoadOptions options)
    {
        var count = 0L;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(options.RoundSeconds);
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (clock.Elapsed < until)
            {
                await operation();
                Interlocked.Increment(ref count);
            }
        }));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static Process StartAzurite(string root, string folder, int blob, int queue, int table)
    {
        var package = Path.Combine(root, "infra", "azurite");
        if (!Directory.Exists(Path.Combine(package, "node_modules", "azurite")))
        {
            using var install = Process.Start(new ProcessStartInfo("npm", "install --no-audit --no-fund --loglevel=error") { WorkingDirectory = package })!;
            install.WaitForExit();
        }
        return Process.Start(new ProcessStartInfo("node",
            $"node_modules/azurite/dist/src/azurite.js --silent --location {folder} --blobHost 127.0.0.1 --blobPort {blob} --queueHost 127.0.0.1 --queuePort {queue} --tableHost 127.0.0.1 --tablePort {table} --skipApiVersionCheck --disableTelemetry --loose")
        { WorkingDirectory = package, RedirectStandardOutput = true, RedirectStandardError = true })!;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"Azurite did not listen on {port}.");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Platform.sln not found");
    }
}
