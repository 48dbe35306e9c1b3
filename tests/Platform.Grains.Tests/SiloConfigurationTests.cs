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

    [Theory]
    [InlineData("Kubernetes")] // only the silo's own host brings Orleans' Kubernetes hosting
    [InlineData("Kubernetess")]
    [InlineData("Docker")]
    public void A_hosting_this_host_cannot_give_is_refused_by_name(string hosting)
    {
        var builder = Builder(new(Complete) { ["Platform:Silo:Hosting"] = hosting });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPlatformSilo());

        Assert.Contains("Platform:Silo:Hosting", error.Message);
        Assert.Contains($"'{hosting}'", error.Message);
        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(IGrainFactory));
    }

    [Fact]
    public void Kubernetes_hosting_is_handed_to_the_host_that_brings_it()
    {
        var builder = Builder(new(Complete) { ["Platform:Silo:Hosting"] = "kubernetes" });
        var handed = new List<string>();

        builder.AddPlatformSilo((_, settings) => handed.Add(settings.Hosting));

        Assert.Equal(["kubernetes"], handed);
    }

    [Fact]
    public void A_silo_with_every_provider_is_configured()
    {
        var builder = Builder(Complete);

        builder.AddPlatformSilo();

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IGrainFactory));
    }
}
