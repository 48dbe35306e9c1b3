using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Grains.Complaints;

namespace Platform.Grains.Hosting;

/// <summary>
/// The complaint lists are derived from the complaint grains, so a restore does not copy them: it leaves
/// a marker in the storage account (<see cref="MarkerContainer"/>/<see cref="MarkerBlob"/>), and the silo
/// that finds it asks every stored complaint to write its row again, then removes the marker. Several
/// silos doing it at once is harmless: a row is only replaced by a newer version.
/// </summary>
public sealed class ReadModelRebuild(IConfiguration configuration, IGrainFactory grains, ILogger<ReadModelRebuild> logger) : BackgroundService
{
    public const string MarkerContainer = "platform-operations";
    public const string MarkerBlob = "rebuild-read-model";
    /// <summary>Orleans names a state blob <c>{state name}-{grain id}.json</c>; the complaint grain's state is named "complaint".</summary>
    private const string ComplaintStatePrefix = "complaint-";

    /// <summary>
    /// The storage account that holds the grain state and the marker, or null when grain state is not in Azure Blob
    /// Storage. A process that is not a silo (the gateway, which looks for the marker too) has no grain storage section and
    /// finds the account by the platform's connection name, <c>storage</c>.
    /// </summary>
    public static BlobServiceClient? GrainStorageAccount(IConfiguration configuration, BlobClientOptions? options = null)
    {
        var storage = configuration.GetSection($"Orleans:GrainStorage:{StorageNames.Grains}");
        if (storage.Exists() && !string.Equals(storage["ProviderType"], "AzureBlobStorage", StringComparison.Ordinal)) return null;
        var connection = configuration.GetConnectionString(storage["ConnectionName"] ?? storage["ServiceKey"] ?? "storage");
        return string.IsNullOrWhiteSpace(connection) ? null : new BlobServiceClient(connection, options);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = configuration.GetSection($"Orleans:GrainStorage:{StorageNames.Grains}");
        if (!string.Equals(storage["ProviderType"], "AzureBlobStorage", StringComparison.Ordinal)) return;
        var service = GrainStorageAccount(configuration);
        if (service is null) return;
        var marker = service.GetBlobContainerClient(MarkerContainer).GetBlobClient(MarkerBlob);
        try
        {
            if (!await marker.ExistsAsync(stoppingToken)) return;
            var container = service.GetBlobContainerClient(storage["ContainerName"] is { Length: > 0 } name ? name : "grainstate");
            int rewritten = 0, failed = 0;
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, ComplaintStatePrefix, stoppingToken))
            {
                var id = blob.Name[ComplaintStatePrefix.Length..^".json".Length];
                try
                {
                    if (await grains.GetGrain<IComplaintGrain>(GrainId.Parse(id)).RewriteListRowAsync()) rewritten++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed++;
                    logger.LogWarning(ex, "Complaint {Id}: its list row was not rewritten", id);
                }
            }
            if (failed == 0) await marker.DeleteIfExistsAsync(cancellationToken: stoppingToken);
            logger.LogWarning("Read model rebuilt after a restore: {Rewritten} complaint rows written, {Failed} failed{Kept}", rewritten, failed, failed > 0 ? " (the marker stays: the next start tries again)" : "");
        }
        catch (Azure.RequestFailedException ex)
        {
            logger.LogWarning(ex, "Could not check for a read-model rebuild; the next start tries again");
        }
    }
}
