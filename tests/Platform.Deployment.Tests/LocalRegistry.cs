using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.Deployment.Tests;

/// <summary>
/// A read-only container registry (the OCI distribution API's GET and HEAD) on 127.0.0.1, serving one stand-in base
/// image: this machine reaches no image registry, so the SDK's image build takes its base from here instead of
/// mcr.microsoft.com/dotnet/aspnet. The stand-in has one small layer and the aspnet image's settings that the SDK
/// reads (its environment with ASPNETCORE_HTTP_PORTS and APP_UID, linux/amd64).
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string Repository = "stand-in/aspnet";
    public const string Tag = "10.0";
    public const string BaseFile = "etc/stand-in-base-image";

    private readonly WebApplication app;
    private readonly Dictionary<string, (byte[] Bytes, string MediaType)> blobs = [];
    private readonly byte[] manifest;
    private readonly string manifestDigest;

    public string Address { get; }

    public string BaseImage => $"{Address}/{Repository}:{Tag}";

    private LocalRegistry(WebApplication app, string address, byte[] manifest, string manifestDigest, Dictionary<string, (byte[], string)> blobs)
    {
        this.app = app;
        Address = address;
        this.manifest = manifest;
        this.manifestDigest = manifestDigest;
        this.blobs = blobs;
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<LocalRegistry> StartAsync()
    {
        // The base layer: one file, as a tar, gzipped.
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, BaseFile) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("a stand-in for the aspnet base image\n")) };
            await writer.WriteEntryAsync(entry);
        }
        var layer = tar.ToArray();
        using var gz = new MemoryStream();
        await using (var zip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) await zip.WriteAsync(layer);
        var compressed = gz.ToArray();

        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            config = new
            {
                Env = new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654", "ASPNETCORE_HTTP_PORTS=8080", "DOTNET_RUNNING_IN_CONTAINER=true" },
                User = "1654",
                WorkingDir = "/",
            },
            rootfs = new { type = "layers", diff_ids = new[] { Digest(layer) } },
        });
        var blobs = new Dictionary<string, (byte[], string)>
        {
            [Digest(config)] = (config, "application/vnd.oci.image.config.v1+json"),
            [Digest(compressed)] = (compressed, "application/vnd.oci.image.layer.v1.tar+gzip"),
        };
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = Digest(config), size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = Digest(compressed), size = compressed.Length } },
        });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LocalRegistry? registry = null;
        app.MapMethods("/v2/", ["GET", "HEAD"], () => Results.Json(new { }));
        app.MapMethods("/v2/{**path}", ["GET", "HEAD"], (string path, HttpContext http) => registry!.Answer(path, http));
        await app.StartAsync();
        var address = app.Urls.Single().Replace("http://", "", StringComparison.Ordinal);
        registry = new LocalRegistry(app, address, manifest, Digest(manifest), blobs);
        return registry;
    }

    public List<string> Requests { get; } = [];

    private IResult Answer(string path, HttpContext http)
    {
        lock (Requests) Requests.Add($"{http.Request.Method} {path}");
        http.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        if (path == $"{Repository}/manifests/{Tag}" || path == $"{Repository}/manifests/{manifestDigest}")
        {
            http.Response.Headers["Docker-Content-Digest"] = manifestDigest;
            return Results.Bytes(manifest, "application/vnd.oci.image.manifest.v1+json");
        }
        var blob = $"{Repository}/blobs/";
        if (path.StartsWith(blob, StringComparison.Ordinal) && blobs.TryGetValue(path[blob.Length..], out var found))
        {
            http.Response.Headers["Docker-Content-Digest"] = path[blob.Length..];
            return Results.Bytes(found.Bytes, found.MediaType);
        }
        return Results.Json(new { errors = new[] { new { code = "NAME_UNKNOWN", message = path } } }, statusCode: 404);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
