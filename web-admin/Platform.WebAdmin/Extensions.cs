using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Platform.WebAdmin.Gateway;

namespace Platform.WebAdmin;

public sealed class WebAdminSettings
{
    public const string Section = "Platform:WebAdmin";

    /// <summary>The gateway's GraphQL endpoint: the web app's only source of data.</summary>
    public Uri GatewayUrl { get; set; } = new("http://127.0.0.1:5080/graphql");
}

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebAdminSettings>().BindConfiguration(WebAdminSettings.Section);
        builder.Services.AddRazorComponents();
        // Dutch text (€, ë, m³) as characters, not numeric entities.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddHttpClient<GatewayClient>();
        return builder;
    }
}
