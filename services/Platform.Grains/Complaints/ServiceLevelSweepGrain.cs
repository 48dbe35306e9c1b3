using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.ReadModel;

namespace Platform.Grains.Complaints;

/// <summary>
/// The service-level clock of every complaint. Each complaint writes the next moment its clock can change something
/// into its list row (<see cref="ComplaintRow.NextCheckAt"/>); one reminder wakes this grain each minute, and it asks
/// each complaint that is due to check itself (<see cref="IComplaintGrain.CheckServiceLevelAsync"/>), in the order they
/// became due, a few at a time. A check moves the row's moment on (or clears it), so a complaint leaves the due rows
/// when its check is stored; one whose check failed stays due and is tried again on the next sweep.
/// A filing no longer writes a reminder row of its own: one storage write less per filing, and one reminder row in the
/// table instead of one per open complaint.
/// </summary>
public sealed partial class ServiceLevelSweepGrain(
    IDbContextFactory<ComplaintListStore> lists,
    TimeProvider time,
    ILogger<ServiceLevelSweepGrain> logger) : Grain, IServiceLevelSweepGrain, IRemindable
{
    public const long Key = 0;
    public const string SweepReminder = "service-level-sweep";

    /// <summary>How often the sweep runs: Orleans' shortest reminder period. Due dates are whole Amsterdam days, so a complaint is marked at most a minute after midnight.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    /// <summary>Rows read at a time.</summary>
    public const int Batch = 200;

    /// <summary>Complaints checked side by side: each check may activate its grain (a storage read) and store a change.</summary>
    public const int Parallel = 8;

    /// <summary>A sweep stops after this long and the next tick goes on where the due rows start then.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(50);

    public async Task ArmAsync()
    {
        if (await this.GetReminder(SweepReminder) is null)
        {
            await this.RegisterOrUpdateReminder(SweepReminder, Every, Every);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SweepReminder) return;
        try
        {
            var sweep = await SweepAsync();
            if (sweep.Checked > 0 || sweep.Failed > 0) LogSwept(logger, sweep.Checked, sweep.Failed, sweep.Complete);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            LogSweepFailed(logger, ex);
        }
    }

    public Task<ServiceLevelSweep> SweepNowAsync()
    {
        if (CallerContext.Current.Kind != CallerKind.System) throw new UnauthorizedAccessException("Only the platform runs the service-level sweep.");
        return SweepAsync();
    }

    private async Task<ServiceLevelSweep> SweepAsync()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var watch = Stopwatch.StartNew();
        var (done, failed) = (0, 0);
        (long At, string Id)? after = null;
        while (true)
        {
            var due = await DueAsync(now, after);
            for (var i = 0; i < due.Count; i += Parallel)
            {
                var outcomes = await Task.WhenAll(due.Skip(i).Take(Parallel).Select(row => CheckAsync(row.Id)));
                done += outcomes.Count(ok => ok);
                failed += outcomes.Count(ok => !ok);
            }
            if (due.Count < Batch) return new(done, failed, Complete: true);
            if (watch.Elapsed > Budget) return new(done, failed, Complete: false);
            after = due[^1];
        }
    }

    /// <summary>The next rows due by <paramref name="now"/> after <paramref name="after"/>, in the order they became due (each row once per sweep, even one whose check fails).</summary>
    private async Task<List<(long At, string Id)>> DueAsync(long now, (long At, string Id)? after)
    {
        await using var store = await lists.CreateDbContextAsync();
        var rows = store.Complaints.AsNoTracking().Where(c => c.NextCheckAt != null && c.NextCheckAt <= now);
        if (after is var (at, id))
        {
            rows = rows.Where(c => c.NextCheckAt > at || (c.NextCheckAt == at && string.Compare(c.Id, id) > 0));
        }
        var page = await rows.OrderBy(c => c.NextCheckAt).ThenBy(c => c.Id).Take(Batch).Select(c => new { At = c.NextCheckAt!.Value, c.Id }).ToListAsync();
        return [.. page.Select(r => (r.At, r.Id))];
    }

    private async Task<bool> CheckAsync(string id)
    {
        try
        {
            await GrainFactory.GetGrain<IComplaintGrain>(id).CheckServiceLevelAsync();
            ServiceLevelMetrics.Checks.Add(1, new KeyValuePair<string, object?>("outcome", "checked"));
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
        {
            ServiceLevelMetrics.Checks.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            LogCheckFailed(logger, id, ex.GetType().Name, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Service-level sweep: {Checked} complaints checked, {Failed} failed (tried again next minute); complete: {Complete}")]
    private static partial void LogSwept(ILogger logger, int @checked, int failed, bool complete);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service-level sweep failed; the next tick tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service-level check of complaint {Id} failed ({Error}: {Message}); the next sweep tries again")]
    private static partial void LogCheckFailed(ILogger logger, string id, string error, string message);
}

/// <summary>
/// Each silo, once it is active, makes sure the sweep's reminder is stored (a read of the reminder table when it is),
/// so the sweep runs from the first start of a platform on. Not awaited by the start: tried a few times in the background.
/// Silos without the complaint list (some tests' clusters) have nothing to sweep.
/// </summary>
public sealed partial class ServiceLevelSweepArming(IServiceProvider services, IGrainFactory grains, ILogger<ServiceLevelSweepArming> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        if (services.GetService<IDbContextFactory<ComplaintListStore>>() is null) return;
        lifecycle.Subscribe(nameof(ServiceLevelSweepArming), ServiceLifecycleStage.Active, started =>
        {
            _ = Task.Run(ArmAsync, CancellationToken.None);
            return Task.CompletedTask;
        });
    }

    private async Task ArmAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<IServiceLevelSweepGrain>(ServiceLevelSweepGrain.Key).ArmAsync();
                return;
            }
            catch (Exception ex) when (attempt < 5 && ex is TimeoutException or OrleansException or InvalidOperationException)
            {
                await Task.Delay(TimeSpan.FromSeconds(5 * attempt));
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
            {
                LogNotArmed(logger, ex);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service-level sweep's reminder could not be stored; the next silo to start tries again")]
    private static partial void LogNotArmed(ILogger logger, Exception ex);
}

internal static class ServiceLevelMetrics
{
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("Platform.ServiceLevels");
    public static readonly System.Diagnostics.Metrics.Counter<long> Checks =
        Meter.CreateCounter<long>("platform.service_level.checks", description: "Complaints checked by the service-level sweep (tag outcome: checked, failed)");
}
