using Azure.Storage.Blobs;
using Microsoft.EntityFrameworkCore;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Hosting;
using Platform.ReadModel;

namespace Platform.Gateway.Complaints;

/// <summary>
/// Asks the complaint list (one indexed lookup) whether a complaint id exists before any grain is asked, so
/// that lookups of guessed ids never activate a grain each. Every complaint's row is written before its filing
/// is acknowledged; one whose row write failed is found again once the grain repairs its row (on its next
/// activation or service-level tick). When the list cannot be read, or a restore left rows to write again
/// (<see cref="RestoredListRebuild"/>), the grain decides.
/// </summary>
public sealed partial class KnownComplaints(IDbContextFactory<ComplaintListStore> lists, IRestoredListRebuild rebuild, ILogger<KnownComplaints> logger)
{
    public async Task<bool> MayExistAsync(string? key, CancellationToken cancellationToken)
    {
        if (!GlobalId.IsUsableKey(key)) return false;
        try
        {
            await using var store = await lists.CreateDbContextAsync(cancellationToken);
            if (await store.Complaints.AsNoTracking().AnyAsync(r => r.Id == key, cancellationToken)) return true;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            LogListUnreadable(logger, ex);
            return true;
        }
        // After a restore the list is written again complaint by complaint; until then a missing row proves nothing.
        return await rebuild.PendingAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The complaint list could not be read; the grain is asked instead")]
    private static partial void LogListUnreadable(ILogger logger, Exception exception);
}

/// <summary>Whether a restore left the complaint list to be written again (the silo is still at it).</summary>
public interface IRestoredListRebuild
{
    ValueTask<bool> PendingAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Looks for the marker a restore leaves in the grain storage account (<see cref="ReadModelRebuild"/>), which the silo
/// removes once every complaint wrote its row again. The answer is kept for 5 s while the marker is there and for a
/// minute when it is not (a restore happens while the platform is stopped, so a gateway that saw none sees none until
/// it restarts); a storage account that cannot be reached counts as no rebuild, so a missing row is still not found.
/// </summary>
public sealed partial class RestoredListRebuild(IConfiguration configuration, TimeProvider time, ILogger<RestoredListRebuild> logger) : IRestoredListRebuild
{
    private static readonly TimeSpan WhilePending = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WhileNone = TimeSpan.FromMinutes(1);
    private readonly BlobClient? marker = ReadModelRebuild.GrainStorageAccount(configuration, new BlobClientOptions
    {
        Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) },
    })?.GetBlobContainerClient(ReadModelRebuild.MarkerContainer).GetBlobClient(ReadModelRebuild.MarkerBlob);
    private sealed record Seen(bool Pending, DateTimeOffset Until);
    private volatile Seen? known; // one reference, read and replaced whole by concurrent requests

    public async ValueTask<bool> PendingAsync(CancellationToken cancellationToken)
    {
        if (marker is null) return false;
        var now = time.GetUtcNow();
        if (known is { } seen && now < seen.Until) return seen.Pending;
        bool pending;
        try
        {
            pending = await marker.ExistsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException or HttpRequestException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)) // the 2-s network timeout
        {
            LogUnreachable(logger, ex);
            pending = false;
        }
        known = new(pending, now + (pending ? WhilePending : WhileNone));
        return pending;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for a restore's list rebuild; missing complaint rows count as missing")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
