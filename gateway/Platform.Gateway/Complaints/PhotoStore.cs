using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace Platform.Gateway.Complaints;

/// <summary>
/// Complaint photos in Azure Blob storage (Azurite locally), one private container per tenant;
/// read only through short-lived SAS links handed to those allowed to see the complaint.
/// </summary>
public sealed class PhotoStore(BlobServiceClient blobs, TimeProvider time)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(5);

    /// <summary>"tenant-gm0405": container names are lower case.</summary>
    public static string ContainerOf(string tenant) => "tenant-" + tenant.ToLowerInvariant();

    public async Task UploadAsync(string container, string blobName, BinaryData bytes, string contentType, CancellationToken cancellationToken)
    {
        var client = blobs.GetBlobContainerClient(container);
        await client.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        await client.GetBlobClient(blobName).UploadAsync(bytes, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
    }

    /// <summary>The blob's bytes, or null when it is not there.</summary>
    public async Task<BinaryData?> DownloadAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            return (await blobs.GetBlobContainerClient(container).GetBlobClient(blobName).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public Task DeleteAsync(string container, string blobName, CancellationToken cancellationToken) =>
        blobs.GetBlobContainerClient(container).GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>A read-only link valid for <see cref="LinkLifetime"/>.</summary>
    public Uri ReadLink(string container, string blobName) =>
        blobs.GetBlobContainerClient(container).GetBlobClient(blobName).GenerateSasUri(BlobSasPermissions.Read, time.GetUtcNow() + LinkLifetime);
}
