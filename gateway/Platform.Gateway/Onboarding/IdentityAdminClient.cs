using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.Onboarding;

/// <summary>
/// Calls the identity server's API as the gateway's own client (client credentials, scope
/// accounts:invite): today only to invite a new municipality's first admin.
/// </summary>
public sealed class IdentityAdminClient(HttpClient http, IOptions<GatewaySettings> settings)
{
    public const string Scope = Platform.Domain.Access.Scopes.AccountsInvite;

    public async Task InviteAsync(string email, string displayName, string organisation, string role, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        if (string.IsNullOrEmpty(s.ServiceClientSecret))
        {
            throw new InvalidOperationException($"{GatewaySettings.Section}:ServiceClientSecret is not set, so the gateway cannot ask the identity server for invitations.");
        }
        using var tokenResponse = await http.PostAsync(new Uri(s.Authority, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = s.ServiceClientId, ["client_secret"] = s.ServiceClientSecret, ["scope"] = Scope,
        }), cancellationToken);
        var token = await tokenResponse.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        if (!tokenResponse.IsSuccessStatusCode || token?["access_token"] is not { } accessToken)
        {
            throw new InvalidOperationException($"The identity server refused the gateway's credentials: {token?["error_description"] ?? tokenResponse.StatusCode.ToString()}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(s.Authority, "admin/invitations"))
        {
            Content = JsonContent.Create(new { email, displayName, organisation, role }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken.GetValue<string>());
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            throw new InvalidOperationException($"The identity server did not send the invitation: {problem?["detail"] ?? problem?["errors"]?.ToJsonString() ?? response.StatusCode.ToString()}");
        }
    }
}
