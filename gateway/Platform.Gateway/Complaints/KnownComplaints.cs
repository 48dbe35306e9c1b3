using Microsoft.EntityFrameworkCore;
using Platform.Gateway.GraphQL.Types;
using Platform.ReadModel;

namespace Platform.Gateway.Complaints;

/// <summary>
/// Asks the complaint list (one indexed lookup) whether a complaint id exists before any grain is asked, so
/// that lookups of guessed ids never activate a grain each. Every complaint's row is written before its filing
/// is acknowledged; one whose row write failed is found again once the grain repairs its row (on its next
/// activation or service-level tick). When the list cannot be read, the grain decides.
/// </summary>
public sealed partial class KnownComplaints(IDbContextFactory<ComplaintListStore> lists, ILogger<KnownComplaints> logger)
{
    public async Task<bool> MayExistAsync(string? key, CancellationToken cancellationToken)
    {
        if (!GlobalId.IsUsableKey(key)) return false;
        try
        {
            await using var store = await lists.CreateDbContextAsync(cancellationToken);
            return await store.Complaints.AsNoTracking().AnyAsync(r => r.Id == key, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            LogListUnreadable(logger, ex);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The complaint list could not be read; the grain is asked instead")]
    private static partial void LogListUnreadable(ILogger logger, Exception exception);
}
