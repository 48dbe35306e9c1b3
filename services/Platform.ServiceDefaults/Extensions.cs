using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every process of the platform has: telemetry, health endpoints, resilient HTTP, service discovery.</summary>
public static class ServiceDefaultsExtensions
{
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        // Platform:Telemetry:SlowSpanMs: Orleans' and the platform's spans slower than that, logged (off by default).
        Platform.ServiceDefaults.Telemetry.SlowSpanLog.AddTo(builder.Services, builder.Configuration);
        builder.AddDefaultHealthChecks();
        builder.AddShutdownDrain();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var sampleRatio = TraceSampleRatio(builder.Configuration, builder.Environment.IsDevelopment());
        var maxTracesPerSecond = MaxTracesPerSecond(builder.Configuration);
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.Orleans")
                .AddMeter("Platform.*"))
            .WithTracing(tracing => tracing
                // Platform:Telemetry:TraceSampleRatio (0 to 1) traces a share of the requests; a sampled caller's trace is
                // kept whole. Default: every request in Development (the dashboard shows each one), a tenth elsewhere:
                // measured with tools/load/run.sh, 0.1 against 1 reads tariffs at 5,515 against 4,656 req/s (an Activity
                // per grain call, every span exported). Of those, at most Platform:Telemetry:MaxTracesPerSecond new
                // traces a second in each process (default 20), so that a load does not spend the core on exporting.
                .SetSampler(new ParentBasedSampler(new Platform.ServiceDefaults.Telemetry.CappedRatioSampler(sampleRatio, maxTracesPerSecond)))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("Microsoft.Orleans.Runtime")
                .AddSource("Microsoft.Orleans.Application")
                .AddSource("Platform.*")
                .AddAspNetCoreInstrumentation(o =>
                    // Probes would drown the traces that matter.
                    o.Filter = context => !context.Request.Path.StartsWithSegments(HealthPath) && !context.Request.Path.StartsWithSegments(AlivePath))
                .AddHttpClientInstrumentation());

        // The AppHost sets the endpoint of its dashboard; elsewhere nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>On SIGTERM, answer on for <c>Platform:Shutdown:Drain</c> while reporting not ready (see <see cref="Platform.ServiceDefaults.Hosting.ShutdownSettings"/>).</summary>
    public static TBuilder AddShutdownDrain<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<Platform.ServiceDefaults.Hosting.ShutdownSettings>().BindConfiguration(Platform.ServiceDefaults.Hosting.ShutdownSettings.Section);
        builder.Services.AddSingleton<Platform.ServiceDefaults.Hosting.ShutdownDrain>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Platform.ServiceDefaults.Hosting.ShutdownDrain>());
        builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(services => services.GetRequiredService<Platform.ServiceDefaults.Hosting.ShutdownDrain>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("draining",
            services => services.GetRequiredService<Platform.ServiceDefaults.Hosting.ShutdownDrain>(), HealthStatus.Unhealthy, ["ready"]));
        return builder;
    }

    public const string TraceSampleRatioKey = "Platform:Telemetry:TraceSampleRatio";
    public const string MaxTracesPerSecondKey = "Platform:Telemetry:MaxTracesPerSecond";
    public const int DefaultMaxTracesPerSecond = 20;

    private static int MaxTracesPerSecond(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var text = configuration[MaxTracesPerSecondKey];
        if (string.IsNullOrWhiteSpace(text)) return DefaultMaxTracesPerSecond;
        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var max) && max >= 1
            ? max
            : throw new InvalidOperationException($"{MaxTracesPerSecondKey} is '{text}'; it must be a whole number of at least 1.");
    }

    private static double TraceSampleRatio(Microsoft.Extensions.Configuration.IConfiguration configuration, bool development)
    {
        var text = configuration[TraceSampleRatioKey];
        if (string.IsNullOrWhiteSpace(text)) return development ? 1 : 0.1;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1
            ? ratio
            : throw new InvalidOperationException($"{TraceSampleRatioKey} is '{text}'; it must be a number from 0 to 1.");
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// A readiness check that runs <paramref name="probe"/> (e.g. one grain call that reads storage) with a
    /// time limit; <c>/health</c> reports unhealthy while it fails, <c>/alive</c> does not look at it.
    /// </summary>
    public static TBuilder AddReadinessProbe<TBuilder>(this TBuilder builder, string name, Func<IServiceProvider, CancellationToken, Task> probe)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(name, services => new ProbeHealthCheck(services, probe), HealthStatus.Unhealthy, ["ready"]));
        return builder;
    }

    private sealed class ProbeHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await probe(services, timeout.Token).WaitAsync(timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy(ex.Message, ex);
            }
        }
    }

    /// <summary><c>/health</c>: ready for traffic (every check); <c>/alive</c>: the process runs (checks tagged "live").</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }
}
