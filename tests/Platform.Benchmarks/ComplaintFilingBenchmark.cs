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
        await using var azurite = await LocalAzurite.StartAsync();
        await MeasureAsync(options, azurite.ConnectionString, azurite.BlobPort);
    }

    private static async Task MeasureAsync(LoadOptions options, string storage, int blobPort)
    {

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
}
