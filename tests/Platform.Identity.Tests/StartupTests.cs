extern alias identity;
using identity::Platform.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Platform.Identity.Tests;

public sealed class StartupTests
{
    private static WebApplicationBuilder Builder(string environment, string urls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = urls,
            ["ConnectionStrings:identity-db"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"identity-startup-{Guid.NewGuid():N}.db")}",
        });
        return builder;
    }

    [Fact]
    public void Outside_Development_the_server_refuses_to_start_without_certificates_and_says_which()
    {
        var builder = Builder("Production", "https://0.0.0.0:443");

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddIdentityServer());

        Assert.Contains("Platform:Identity:SigningCertificate:Path", error.Message);
    }

    [Fact]
    public void Outside_Development_a_missing_certificate_file_is_named()
    {
        var builder = Builder("Production", "https://0.0.0.0:443");
        builder.Configuration["Platform:Identity:SigningCertificate:Path"] = "/nowhere/signing.pfx";

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddIdentityServer());

        Assert.Contains("/nowhere/signing.pfx", error.Message);
    }

    [Fact]
    public void In_Development_plain_HTTP_is_refused_on_a_non_loopback_address()
    {
        var builder = Builder("Development", "http://0.0.0.0:5081");

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddIdentityServer());

        Assert.Contains("loopback", error.Message);
    }
}
