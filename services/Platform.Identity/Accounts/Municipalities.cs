using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Platform.Identity.Accounts;

/// <summary>
/// The onboarded municipalities a resident can choose from when registering, read from the gateway's public
/// GraphQL API (<c>Platform:Identity:GatewayUrl</c>) and kept for five minutes. Null when the gateway cannot be
/// reached: the form then asks for the CBS code.
/// </summary>
public sealed partial class Municipalities(HttpClient http, IOptions<IdentitySettings> settings, IMemoryCache cache, ILogger<Municipalities> logger)
{
    public sealed record Municipality(string Code, string Name);

    private sealed record Response(Data? Data);
    private sealed record Data(Page? Municipalities);
    private sealed record Page(List<Municipality>? Nodes);

    public async Task<IReadOnlyList<Municipality>?> ListAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue<IReadOnlyList<Municipality>>(nameof(Municipalities), out var known)) return known;
        if (settings.Value.GatewayUrl is not { } gateway) return null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.PostAsJsonAsync(gateway, new { query = "{ municipalities(first: 100) { nodes { code name } } }" }, timeout.Token);
            var body = await response.Content.ReadFromJsonAsync<Response>(timeout.Token);
            var list = body?.Data?.Municipalities?.Nodes?.OrderBy(m => m.Name, StringComparer.CurrentCulture).ToList();
            if (list is null) return null;
            cache.Set(nameof(Municipalities), (IReadOnlyList<Municipality>)list, TimeSpan.FromMinutes(5));
            return list;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogUnreachable(logger, ex);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The municipalities could not be read from the gateway; registration asks for the CBS code")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
