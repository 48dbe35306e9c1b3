using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Hosting;

public sealed class ShutdownSettings
{
    public const string Section = "Platform:Shutdown";

    /// <summary>
    /// How long a process keeps answering after SIGTERM, reporting itself not ready and closing each connection after
    /// its response, before it stops listening: the time a load balancer needs to stop sending to it. Without it, a
    /// request sent on a kept-alive connection just as the server closes it is lost (the client sees the response end
    /// before it began). Zero (the default) stops at once, as a developer's Ctrl+C should; a cluster sets a few seconds.
    /// </summary>
    public TimeSpan Drain { get; set; } = TimeSpan.Zero;
}

/// <summary>The drain on SIGTERM (see <see cref="ShutdownSettings.Drain"/>): runs before the web server stops.</summary>
public sealed partial class ShutdownDrain(IOptions<ShutdownSettings> settings, ILogger<ShutdownDrain> logger) : IHostedLifecycleService, IHealthCheck, IStartupFilter
{
    private volatile bool draining;

    public bool Draining => draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var drain = settings.Value.Drain;
        if (drain <= TimeSpan.Zero) return;
        draining = true;
        LogDraining(logger, drain.TotalSeconds);
        try
        {
            await Task.Delay(drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's own shutdown timeout came first.
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(draining ? HealthCheckResult.Unhealthy("Stopping: taking no new traffic.") : HealthCheckResult.Healthy());

    /// <summary>First in every pipeline: while draining, each response closes its connection.</summary>
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (draining) context.Response.Headers.Connection = "close";
            return nextMiddleware(context);
        });
        next(app);
    };

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: answering for {Seconds} s more, not ready, closing each connection after its response")]
    private static partial void LogDraining(ILogger logger, double seconds);
}
