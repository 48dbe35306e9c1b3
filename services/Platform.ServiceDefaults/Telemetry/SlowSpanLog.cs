using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// Logs every span of Orleans' runtime (placing and activating a grain, registering it in the grain directory, reading
/// and writing its state) and of the platform that takes at least <c>Platform:Telemetry:SlowSpanMs</c> (off by default),
/// as a warning with its start, its parent and its tags. It sees every span, sampled or not, without marking any for
/// export: it answers on a machine where nothing collects traces where a request waited (the rolling rehearsal).
/// <see cref="AddTo"/> reads the setting once and adds the log only when it is set: when it is off, nothing listens.
/// </summary>
public sealed partial class SlowSpanLog(TimeSpan threshold, ILogger<SlowSpanLog> logger) : IHostedService, IDisposable
{
    public const string ThresholdKey = "Platform:Telemetry:SlowSpanMs";

    private ActivityListener? listener;

    /// <summary>Adds the log as a hosted service when <see cref="ThresholdKey"/> sets a threshold; a wrong value stops the start, naming the setting.</summary>
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        if (Threshold(configuration) is not { } threshold) return;
        services.AddHostedService(provider => new SlowSpanLog(threshold, provider.GetRequiredService<ILogger<SlowSpanLog>>()));
    }

    /// <summary>The threshold, or null when the log is off.</summary>
    public static TimeSpan? Threshold(IConfiguration configuration)
    {
        var text = configuration[ThresholdKey];
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0
            ? ms == 0 ? null : TimeSpan.FromMilliseconds(ms)
            : throw new InvalidOperationException($"{ThresholdKey} is '{text}'; it must be a whole number of milliseconds, 0 or more (0: off).");
    }

    /// <summary>The sources it listens to: Orleans' (runtime, lifecycle, storage, application) and the platform's own.</summary>
    public static bool Listens(ActivitySource source) =>
        source.Name.StartsWith("Microsoft.Orleans.", StringComparison.Ordinal) || source.Name.StartsWith("Platform", StringComparison.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = Listens,
            // Created, so that it can be timed, but not recorded: what the exporter's sampler decides stays as it was.
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Duration < threshold) return;
                LogSlowSpan(logger, activity.DisplayName, activity.Kind, (long)activity.Duration.TotalMilliseconds,
                    activity.StartTimeUtc.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), activity.Source.Name,
                    activity.Parent?.DisplayName ?? "-", Tags(activity));
            },
        };
        ActivitySource.AddActivityListener(listener);
        return Task.CompletedTask;
    }

    private static string Tags(Activity activity) =>
        string.Join(", ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}"));

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        listener?.Dispose();
        listener = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow span '{Name}' ({Kind}): {Milliseconds} ms from {Start} UTC ({Source}, in '{Parent}'): {Tags}")]
    private static partial void LogSlowSpan(ILogger logger, string name, ActivityKind kind, long milliseconds, string start, string source, string parent, string tags);
}
