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

    private static string Certificate(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={name}", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509KeyUsageExtension(
            System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.DigitalSignature | System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var path = Path.Combine(Path.GetTempPath(), $"identity-{name}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pw"));
        return path;
    }

    /// <summary>The signing key OpenIddict signs with: the first of its ordered credentials; all of them are published.</summary>
    private static (string Signs, string[] Published, string Encrypts, int Decrypting) Keys(WebApplicationBuilder builder)
    {
        builder.AddIdentityServer();
        using var app = builder.Build();
        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIddict.Server.OpenIddictServerOptions>>(app.Services).CurrentValue;
        static string Subject(Microsoft.IdentityModel.Tokens.SecurityKey key) => ((Microsoft.IdentityModel.Tokens.X509SecurityKey)key).Certificate.Subject;
        return (Subject(options.SigningCredentials[0].Key), [.. options.SigningCredentials.Select(c => Subject(c.Key))],
            Subject(options.EncryptionCredentials[0].Key), options.EncryptionCredentials.Count);
    }

    [Fact]
    public void Keys_are_rotated_in_two_steps_without_signing_anyone_out()
    {
        var now = DateTimeOffset.UtcNow;
        var current = Certificate("current", now.AddDays(-300), now.AddDays(65));
        var next = Certificate("next", now.AddDays(2), now.AddDays(400));
        var nextNow = Certificate("next-valid", now.AddDays(-1), now.AddDays(400));
        WebApplicationBuilder With(string signing, params string[] additional)
        {
            var builder = Builder("Production", "https://0.0.0.0:443");
            builder.Configuration["Platform:Mail:Smtp:Host"] = "127.0.0.1";
            builder.Configuration["Platform:Mail:Smtp:From"] = "platform@platform.example";
            builder.Configuration["Platform:Identity:SigningCertificate:Path"] = signing;
            builder.Configuration["Platform:Identity:SigningCertificate:Password"] = "pw";
            builder.Configuration["Platform:Identity:EncryptionCertificate:Path"] = signing;
            builder.Configuration["Platform:Identity:EncryptionCertificate:Password"] = "pw";
            for (var i = 0; i < additional.Length; i++)
            {
                foreach (var kind in new[] { "AdditionalSigningCertificates", "AdditionalEncryptionCertificates" })
                {
                    builder.Configuration[$"Platform:Identity:{kind}:{i}:Path"] = additional[i];
                    builder.Configuration[$"Platform:Identity:{kind}:{i}:Password"] = "pw";
                }
            }
            return builder;
        }

        // Step 1: the next certificate, valid from the day after tomorrow, beside the current one: published, not yet used.
        var announced = Keys(With(current, next));
        Assert.Equal("CN=current", announced.Signs);
        Assert.Contains("CN=next", announced.Published);
        Assert.Equal("CN=current", announced.Encrypts);
        Assert.Equal(2, announced.Decrypting);

        // From its first day the next one signs and seals; the current one stays published and tried for decryption,
        // so access tokens it signed and refresh tokens it sealed keep working.
        var switched = Keys(With(current, nextNow));
        Assert.Equal("CN=next-valid", switched.Signs);
        Assert.Contains("CN=current", switched.Published);
        Assert.Equal("CN=next-valid", switched.Encrypts);
        Assert.Equal(2, switched.Decrypting);

        // A wrong path among the additional ones is named like the main one.
        var error = Assert.Throws<InvalidOperationException>(() => With(current, "/nowhere/next.pfx").AddIdentityServer());
        Assert.Contains("AdditionalSigningCertificates:0", error.Message);
    }

    [Fact]
    public void Configured_web_app_addresses_replace_the_loopback_default()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WebAppUrls:0"] = "https://www.platform.example/" })
            .Build().Get<IdentitySettings>()!;
        Assert.Equal([new Uri("https://www.platform.example/")], settings.WebAppUrlsOrDefault);
        Assert.Equal([new Uri("http://127.0.0.1:5082/")], new IdentitySettings().WebAppUrlsOrDefault);
    }
}
