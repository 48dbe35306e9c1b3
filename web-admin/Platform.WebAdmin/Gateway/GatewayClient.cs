using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Platform.WebAdmin.Gateway;

/// <summary>Reads from the platform's GraphQL gateway, the same API partners use.</summary>
public sealed class GatewayClient(HttpClient http, IOptions<WebAdminSettings> settings)
{
    private const string ArrangementsQuery = """
        query Arrangements {
          arrangements(first: 100) {
            totalCount
            nodes {
              key name executingOrganisation
              members { weight municipality { code name } }
              tariffs { service { code name } amount currency unit validFrom validTo decidedBy }
            }
          }
        }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ArrangementSummary>> GetArrangementsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(settings.Value.GatewayUrl, new { query = ArrangementsQuery }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Response>(Json, cancellationToken)
            ?? throw new GatewayException("The gateway sent an empty answer.");
        if (body.Errors is { Count: > 0 } errors)
        {
            throw new GatewayException(string.Join("; ", errors.Select(e => e.Message)));
        }
        return body.Data?.Arrangements.Nodes ?? [];
    }

    private sealed record Response(Data? Data, List<Error>? Errors);
    private sealed record Data(Connection Arrangements);
    private sealed record Connection(int TotalCount, List<ArrangementSummary> Nodes);
    private sealed record Error(string Message);
}

public sealed class GatewayException(string message) : Exception(message);

public sealed record ArrangementSummary(
    string Key,
    string Name,
    string ExecutingOrganisation,
    IReadOnlyList<MemberSummary> Members,
    IReadOnlyList<TariffSummary> Tariffs);

public sealed record MemberSummary(int Weight, MunicipalitySummary Municipality);

public sealed record MunicipalitySummary(string Code, string Name);

public sealed record TariffSummary(
    ServiceSummary Service,
    decimal Amount,
    string Currency,
    string Unit,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    [property: JsonPropertyName("decidedBy")] string? DecidedBy);

public sealed record ServiceSummary(string Code, string Name);
