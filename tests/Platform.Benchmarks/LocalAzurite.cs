using System.Diagnostics;
using Platform.Tests.Shared;

namespace Platform.Benchmarks;

/// <summary>Azurite from infra/azurite on free loopback ports with a temporary data folder; stopped and removed on dispose.</summary>
public sealed class LocalAzurite : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;

    private LocalAzurite(Process process, string folder, int blobPort, int tablePort)
    {
        this.process = process;
        this.folder = folder;
        BlobPort = blobPort;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public int BlobPort { get; }

    public string ConnectionString { get; }

    public static async Task<LocalAzurite> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var (blob, queue, table) = (LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());
        var azurite = new LocalAzurite(StartAzurite(await AzuriteInstall.EnsureAsync(), folder, blob, queue, table), folder, blob, table);
        await WaitForPortAsync(blob);
        await WaitForPortAsync(table);
        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private static Process StartAzurite(string script, string folder, int blob, int queue, int table)
    {
        return Process.Start(new ProcessStartInfo("node",
            $"{script} --silent --location {folder} --blobHost 127.0.0.1 --blobPort {blob} --queueHost 127.0.0.1 --queuePort {queue} --tableHost 127.0.0.1 --tablePort {table} --skipApiVersionCheck --disableTelemetry --loose")
        { WorkingDirectory = AzuriteInstall.Package, RedirectStandardOutput = true, RedirectStandardError = true })!;
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
}
