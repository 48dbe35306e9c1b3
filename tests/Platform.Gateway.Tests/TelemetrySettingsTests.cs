using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

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

    [Fact]
    public void A_ratio_in_range_is_accepted()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceDefaultsExtensions.TraceSampleRatioKey] = "0.25" });

        builder.ConfigureOpenTelemetry();

        Assert.Contains(builder.Services, d => d.ServiceType.FullName?.Contains("TracerProvider", StringComparison.Ordinal) == true);
    }

}
