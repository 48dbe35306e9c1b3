using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Platform.Deployment.Tests;

/// <summary>
/// Each process's container image, built by the .NET SDK (`dotnet publish -t:PublishContainer`, as the README says)
/// from the build output into an image archive, on a stand-in base image from a registry on 127.0.0.1.
/// </summary>
public sealed class ContainerImageTests : IAsyncLifetime
{
    private LocalRegistry registry = null!;

    public async Task InitializeAsync() => registry = await LocalRegistry.StartAsync();

    public async Task DisposeAsync() => await registry.DisposeAsync();

    private static async Task<Dictionary<string, byte[]>> EntriesAsync(string archive)
    {
        await using var file = File.OpenRead(archive);
        var magic = new byte[2];
        await file.ReadExactlyAsync(magic);
        file.Position = 0;
        Stream stream = magic is [0x1f, 0x8b] ? new GZipStream(file, CompressionMode.Decompress) : file;
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.DataStream is null) continue;
            using var copy = new MemoryStream();
            await entry.DataStream.CopyToAsync(copy);
            entries[entry.Name.TrimStart('.', '/')] = copy.ToArray();
        }
        return entries;
    }

    private static string BlobPath(JsonNode descriptor) => "blobs/" + descriptor["digest"]!.GetValue<string>().Replace(':', '/');

    private static async Task<HashSet<string>> LayerFilesAsync(byte[] layer)
    {
        Stream stream = layer is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(layer), CompressionMode.Decompress) : new MemoryStream(layer);
        var files = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync() is { } entry) files.Add(entry.Name.TrimStart('.', '/'));
        return files;
    }

    [Theory]
    [InlineData("services/Platform.Silo", "silo")]
    [InlineData("gateway/Platform.Gateway", "gateway")]
    [InlineData("services/Platform.Identity", "identity")]
    [InlineData("web-admin/Platform.WebAdmin", "webadmin")]
    public async Task Each_process_is_published_as_the_image_the_manifests_run(string project, string name)
    {
        var output = Directory.CreateTempSubdirectory($"image-{name}-");
        try
        {
            var archive = Path.Combine(output.FullName, $"{name}.tar.gz");
            var assembly = Path.GetFileName(project);
            var start = new System.Diagnostics.ProcessStartInfo("dotnet",
            [
                "publish", Path.Combine(Repository.Root, project), "-c", "Debug", "--no-build", "-t:PublishContainer", "-o", Path.Combine(output.FullName, "publish"),
                $"-p:ContainerBaseImage={registry.BaseImage}", $"-p:ContainerArchiveOutputPath={archive}", "-p:ContainerImageTag=rehearsal",
            ])
            { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
            // The stand-in registry speaks plain HTTP on loopback.
            start.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Address;
            using var process = System.Diagnostics.Process.Start(start)!;
            var log = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token);
            Assert.True(process.ExitCode == 0, $"dotnet publish exited {process.ExitCode}: {await errors}{await log}");

            // An OCI image layout: index.json names the image and its manifest; everything else is a blob by digest.
            var entries = await EntriesAsync(archive);
            JsonNode Blob(JsonNode descriptor) => JsonNode.Parse(entries[BlobPath(descriptor)])!;
            var image = Assert.Single(JsonNode.Parse(entries["index.json"])!["manifests"]!.AsArray())!;
            // The name the manifests use (an overlay points it at a registry and a tag).
            Assert.Equal($"docker.io/platform/{name}:rehearsal", image["annotations"]!["io.containerd.image.name"]!.GetValue<string>());
            var manifests = await File.ReadAllTextAsync(Path.Combine(Manifests.Folder, "base", $"{name}.yaml"));
            Assert.Contains($"image: platform/{name}\n", manifests.ReplaceLineEndings("\n"));

            var manifest = Blob(image);
            var config = Blob(manifest["config"]!)["config"]!;
            Assert.Equal("/app", config["WorkingDir"]!.GetValue<string>().TrimEnd('/'));
            var entrypoint = string.Join(' ', config["Entrypoint"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Contains(assembly, entrypoint);
            // The port the probes and Services use, taken from the base image's ASPNETCORE_HTTP_PORTS.
            Assert.NotNull(config["ExposedPorts"]?["8080/tcp"]);

            // The base layer below, the application above it.
            var layers = manifest["layers"]!.AsArray().Select(l => entries[BlobPath(l!)]).ToList();
            Assert.Equal(2, layers.Count);
            Assert.Contains(LocalRegistry.BaseFile, await LayerFilesAsync(layers[0]));
            var app = await LayerFilesAsync(layers[1]);
            Assert.Contains($"app/{assembly}.dll", app);
            Assert.Contains("app/appsettings.json", app);
            Assert.Contains(registry.Requests, r => r.StartsWith($"GET {LocalRegistry.Repository}/blobs/", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
