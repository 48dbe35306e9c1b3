using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Platform.Grains.Hosting;

namespace Platform.Grains.Tests;

/// <summary>The silo's providers come from configuration; a missing one stops the start with the key to set.</summary>
public sealed class SiloConfigurationTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    private static readonly Dictionary<string, string?> Complete = new()
    {
        ["Orleans:Clustering:ProviderType"] = "AzureTableStorage",
        ["Orleans:GrainStorage:grains:ProviderType"] = "AzureBlobStorage",
        ["Orleans:Reminders:ProviderType"] = "AzureTableStorage",
        ["Platform:Mail:Smtp:Host"] = "127.0.0.1",
        ["Platform:Mail:Smtp:From"] = "platform@regelingen.localhost",
    };

    [Theory]
    [InlineData("Orleans:Clustering:ProviderType")]
    [InlineData("Orleans:GrainStorage:grains:ProviderType")]
    [InlineData("Orleans:Reminders:ProviderType")]
    public void A_silo_without_a_provider_names_the_setting(string missing)
    {
        var builder = Builder(new(Complete) { [missing] = null });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPlatformSilo());

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_silo_with_every_provider_is_configured()
    {
        var builder = Builder(Complete);

        builder.AddPlatformSilo();

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IGrainFactory));
    }
}
