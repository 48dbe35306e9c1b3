using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Platform.Gateway.Tests;

public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData("2")]
    [InlineData("-0.5")]
    [InlineData("half")]
    public void A_trace_sample_ratio_outside_0_to_1_stops_the_start_and_names_the_setting(string ratio)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceDefaultsExtensions.TraceSampleRatioKey] = ratio });

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureOpenTelemetry());

        Assert.Contains("Platform:Telemetry:TraceSampleRatio", error.Message);
        Assert.Contains(ratio, error.Message);
    }

    /// <summary>
    /// How many of 1,000 new root spans of the application's own source the configured tracer records. The
    /// application name is unique, so no other tracer in this test process (every WebApplicationFactory here
    /// traces <c>Platform.*</c> in Development) listens to the source and records what this one would drop.
    /// </summary>
    private static int Recorded(string environment, string? ratio)
    {
        var application = $"SamplingProbe{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ApplicationName = application });
        if (ratio is not null) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceDefaultsExtensions.TraceSampleRatioKey] = ratio });
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
}
