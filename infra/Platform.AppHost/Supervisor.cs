using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.AppHost;

/// <summary>
/// Brings a platform process back when it dies (a crash, an out-of-memory kill, <c>kill -9</c>): when a project resource
/// goes from running to exited without being asked to stop, it is restarted after a short pause, at most
/// <see cref="MaxRestarts"/> times in <see cref="Window"/>. Each restart is written to the resource's log and counted in
/// its "supervisor.restarts" property in the dashboard. A stop asked for in the dashboard is left alone.
/// </summary>
public sealed class Supervisor(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    ILogger<Supervisor> logger) : BackgroundService
{
    private const string RestartCommand = "resource-restart";
    public const int MaxRestarts = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, string> lastState = new();
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> restarts = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var supervised = model.Resources.OfType<ProjectResource>().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        try
        {
            await foreach (var e in notifications.WatchAsync(stoppingToken))
            {
                if (!supervised.Contains(e.Resource.Name)) continue;
                var state = e.Snapshot.State?.Text ?? "";
                var previous = lastState.GetValueOrDefault(e.ResourceId, "");
                lastState[e.ResourceId] = state;
                if (state != previous)
                {
                    logger.LogInformation("{Resource}: {State}{ExitCode}", e.ResourceId, state, e.Snapshot.ExitCode is { } code ? $" (exit code {code})" : "");
                }
                var died = state is "Exited" or "Finished" or "FailedToStart"
                    && previous is "Running"
                    && e.Snapshot.ExitCode is not 0;
                if (died && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    _ = RestartAsync(e.Resource, e.ResourceId, e.Snapshot.ExitCode, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(IResource resource, string resourceId, int? exitCode, CancellationToken stoppingToken)
    {
        var log = resourceLogs.GetLogger(resourceId);
        var now = DateTimeOffset.UtcNow;
        var history = restarts.GetOrAdd(resourceId, _ => []);
        int count;
        lock (history)
        {
            history.RemoveAll(t => now - t > Window);
            if (history.Count >= MaxRestarts)
            {
                log.LogError("supervisor: {Resource} exited with code {ExitCode}; it was restarted {Count} times in {Window} already, so it stays down. Restart it from the dashboard when the cause is fixed.",
                    resource.Name, exitCode, history.Count, Window);
                return;
            }
            history.Add(now);
            count = history.Count;
        }
        try
        {
            log.LogWarning("supervisor: {Resource} exited with code {ExitCode} without being asked to stop; restarting it in {Pause}", resource.Name, exitCode, Pause);
            await Task.Delay(Pause, stoppingToken);
            if (lifetime.ApplicationStopping.IsCancellationRequested) return;
            var result = await commands.ExecuteCommandAsync(resourceId, RestartCommand, stoppingToken);
            await notifications.PublishUpdateAsync(resource, resourceId, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != "supervisor.restarts"), new ResourcePropertySnapshot("supervisor.restarts", count)],
            });
            if (result.Success)
            {
                log.LogWarning("supervisor: {Resource} restarted (restart {Count} in the last {Window})", resource.Name, count, Window);
            }
            else
            {
                log.LogError("supervisor: restarting {Resource} failed: {Error}", resource.Name, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "supervisor: restarting {Resource} failed", resource.Name);
        }
    }

    public static void AddTo(IDistributedApplicationBuilder builder) => builder.Services.AddHostedService<Supervisor>();
}
