using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Microsoft.Extensions.Time.Testing;
using Platform.ServiceDefaults.Telemetry;

namespace Platform.Gateway.Tests;

public sealed class TelemetrySettingsTests
{
    /// <summary>A wrong value of either setting stops the start with an error that names the setting and the value.</summary>
    [Theory]
    [InlineData(ServiceDefaultsExtensions.TraceSampleRatioKey, "2")]
    [InlineData(ServiceDefaultsExtensions.TraceSampleRatioKey, "-0.5")]
    [InlineData(ServiceDefaultsExtensions.TraceSampleRatioKey, "half")]
    [InlineData(ServiceDefaultsExtensions.MaxTracesPerSecondKey, "0")]
    [InlineData(ServiceDefaultsExtensions.MaxTracesPerSecondKey, "-3")]
    [InlineData(ServiceDefaultsExtensions.MaxTracesPerSecondKey, "2.5")]
    [InlineData(ServiceDefaultsExtensions.MaxTracesPerSecondKey, "many")]
    public void A_trace_ratio_outside_0_to_1_or_a_cap_below_1_or_not_whole_stops_the_start_and_names_the_setting(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureOpenTelemetry());

        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
    }

    /// <summary>
    /// How many of 1,000 new root spans of the application's own source the configured tracer records. The
    /// application name is unique, so no other tracer in this test process (every WebApplicationFactory here
    /// traces <c>Platform.*</c> in Development) listens to the source and records what this one would drop.
    /// </summary>
    private static int Recorded(string environment, string? ratio, string? maxPerSecond = "1000000")
    {
        var application = $"SamplingProbe{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ApplicationName = application });
        if (ratio is not null) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceDefaultsExtensions.TraceSampleRatioKey] = ratio });
        if (maxPerSecond is not null) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceDefaultsExtensions.MaxTracesPerSecondKey] = maxPerSecond });
        builder.ConfigureOpenTelemetry();
        using var host = builder.Build();
        _ = host.Services.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource(application);
        var recorded = 0;
        var previous = Activity.Current;
        Activity.Current = null; // roots, not children of whatever the test runner traces
        try
        {
            for (var i = 0; i < 1_000; i++)
            {
                using var activity = source.StartActivity("probe");
                if (activity?.Recorded == true) recorded++;
            }
        }
        finally
        {
            Activity.Current = previous;
        }
        return recorded;
    }

    [Fact]
    public void Every_request_is_traced_in_Development_a_tenth_elsewhere_and_the_setting_overrides_both()
    {
        Assert.Equal(1_000, Recorded("Development", null));
        Assert.InRange(Recorded("Production", null), 50, 150);
        Assert.Equal(0, Recorded("Development", "0"));
        Assert.Equal(1_000, Recorded("Production", "1"));
    }

    [Fact]
    public void By_default_a_burst_of_new_traces_is_cut_to_about_one_seconds_worth_of_the_cap()
    {
        // 1,000 roots at once in Development (ratio 1): the bucket holds 20; the loop may outlast a refill or two.
        Assert.InRange(Recorded("Development", null, maxPerSecond: null), ServiceDefaultsExtensions.DefaultMaxTracesPerSecond, 40);
        Assert.InRange(Recorded("Development", null, maxPerSecond: "100"), 100, 130);
    }

    private static int Sampled(CappedRatioSampler sampler, int roots)
    {
        var sampled = 0;
        for (var i = 0; i < roots; i++)
        {
            var parameters = new SamplingParameters(default, ActivityTraceId.CreateRandom(), "probe", ActivityKind.Server);
            if (sampler.ShouldSample(parameters).Decision == SamplingDecision.RecordAndSample) sampled++;
        }
        return sampled;
    }

    [Fact]
    public void The_cap_lets_through_one_seconds_worth_at_once_then_refills_at_its_rate()
    {
        var clock = new FakeTimeProvider();
        var sampler = new CappedRatioSampler(1, 20, clock);

        Assert.Equal(20, Sampled(sampler, 500));
        Assert.Equal(0, Sampled(sampler, 500));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, Sampled(sampler, 500));
        clock.Advance(TimeSpan.FromSeconds(5)); // five quiet seconds refill no more than the bucket holds
        Assert.Equal(20, Sampled(sampler, 500));
    }

    [Fact]
    public void The_ratio_decides_first_and_the_traces_it_drops_take_nothing_from_the_cap()
    {
        Assert.Equal(0, Sampled(new CappedRatioSampler(0, 1_000, new FakeTimeProvider()), 1_000));
        Assert.InRange(Sampled(new CappedRatioSampler(0.5, 1_000, new FakeTimeProvider()), 1_000), 420, 580);

        var tenth = new CappedRatioSampler(0.1, 10, new FakeTimeProvider());
        Assert.Equal(10, Sampled(tenth, 1_000)); // about 100 pass the ratio; the cap keeps 10
        Assert.Equal(1, Sampled(new CappedRatioSampler(1, 1, new FakeTimeProvider()), 10));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("2.5")]
    [InlineData("slow")]
    public void A_slow_span_threshold_that_is_not_a_whole_number_of_0_or_more_stops_the_start_and_names_the_setting(string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SlowSpanLog.ThresholdKey] = value });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceDefaults());

        Assert.Contains(SlowSpanLog.ThresholdKey, error.Message);
        Assert.Contains(value, error.Message);
    }

    private sealed class Lines : ILogger<SlowSpanLog>
    {
        public List<(LogLevel Level, string Text)> Logged { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Logged) Logged.Add((logLevel, formatter(state, exception)));
        }
    }

    /// <summary>Spans of a source of the platform's, one of them slow; what the log wrote of them.</summary>
    private static async Task<(List<(LogLevel Level, string Text)> Logged, bool AnyRecorded, int Logs)> SpansThrough(string? thresholdMs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SlowSpanLog.ThresholdKey] = thresholdMs });
        var lines = new Lines();
        builder.Services.AddSingleton<ILogger<SlowSpanLog>>(lines);
        builder.AddServiceDefaults();
        using var host = builder.Build();
        // What the host would start: the log only when a threshold is set, and nothing listening otherwise.
        var logs = host.Services.GetServices<IHostedService>().OfType<SlowSpanLog>().ToList();
        foreach (var log in logs) await log.StartAsync(CancellationToken.None);
        var name = $"PlatformSlowSpanProbe{Guid.NewGuid():N}"; // not under "Platform.", which the tracers of other tests here record
        using var source = new ActivitySource(name);
        var anyRecorded = false;
        using (var parent = source.StartActivity("register directory entry probe-parent"))
        {
            using (var fast = source.StartActivity("fast"))
            {
                fast?.SetTag("probe.kind", "fast");
                anyRecorded |= fast?.Recorded == true;
            }
            using (var slow = source.StartActivity("slow"))
            {
                slow?.SetTag("probe.kind", "slow");
                anyRecorded |= slow?.Recorded == true;
                await Task.Delay(TimeSpan.FromMilliseconds(120));
            }
            anyRecorded |= parent?.Recorded == true;
        }
        foreach (var log in logs) await log.StopAsync(CancellationToken.None);
        // Only this test's source: other tests of the assembly may start spans meanwhile.
        return (lines.Logged.Where(l => l.Text.Contains(name, StringComparison.Ordinal)).ToList(), anyRecorded, logs.Count);
    }

    [Fact]
    public async Task A_span_slower_than_the_threshold_is_logged_as_a_warning_with_its_parent_and_tags_and_a_fast_one_is_not()
    {
        var (logged, anyRecorded, logs) = await SpansThrough("100");

        Assert.Equal(1, logs);
        // The slow span and its parent (which lasted longer still); not the fast one.
        Assert.Equal(2, logged.Count);
        Assert.All(logged, l => Assert.Equal(LogLevel.Warning, l.Level));
        var slow = Assert.Single(logged, l => l.Text.StartsWith("Slow span 'slow'", StringComparison.Ordinal)).Text;
        Assert.Contains("in 'register directory entry probe-parent'", slow);
        Assert.Contains("probe.kind=slow", slow);
        Assert.DoesNotContain(logged, l => l.Text.Contains("probe.kind=fast", StringComparison.Ordinal));
        // Timing a span does not mark it for export.
        Assert.False(anyRecorded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    public async Task Without_a_threshold_or_with_0_no_span_is_logged(string? thresholdMs)
    {
        var (logged, _, logs) = await SpansThrough(thresholdMs);

        Assert.Empty(logged);
        Assert.Equal(0, logs); // not added at all: no listener creates spans nobody asked for
    }
}
