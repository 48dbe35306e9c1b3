using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Scopes = Platform.Domain.Access.Scopes;

namespace Platform.Gateway.People;

/// <summary>The identity server answered and refused (a 4xx): retrying the same request will not help.</summary>
public sealed class IdentityRefusedException(int status, string message) : InvalidOperationException(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Carries out on a person's account what their organisation decided (the grain decides; this only
/// executes): invite (the identity server creates the account and mails the link), change the role, withdraw
/// access. Calls the identity server's API as the gateway's own client (client credentials).
/// </summary>
public sealed class IdentityAdminClient(HttpClient http, IOptions<GatewaySettings> settings)
{
    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);

    private sealed record Problem(string? Detail, Dictionary<string, string[]>? Errors);

    public async Task InviteAsync(string email, string displayName, string organisation, string role, CancellationToken cancellationToken) =>
        (await SendAsync(Scopes.AccountsInvite, "admin/invitations", new { email, displayName, organisation, role }, "send the invitation", cancellationToken)).Dispose();

    public async Task ChangeRoleAsync(string email, string organisation, string role, CancellationToken cancellationToken) =>
        (await SendAsync(Scopes.AccountsManage, "admin/accounts/role", new { email, organisation, role }, "change the role", cancellationToken)).Dispose();

    public async Task WithdrawAsync(string email, string organisation, CancellationToken cancellationToken) =>
        (await SendAsync(Scopes.AccountsManage, "admin/accounts/withdrawal", new { email, organisation }, "withdraw the account's access", cancellationToken)).Dispose();

    public async Task DeleteAccountAsync(string email, string organisation, CancellationToken cancellationToken) =>
        (await SendAsync(Scopes.AccountsManage, "admin/accounts/deletion", new { email, organisation }, "delete the account", cancellationToken)).Dispose();

    /// <summary>A partner client's id and secret, as the identity server answers them once.</summary>
    public sealed record ClientSecret(string ClientId, string Secret, DateTimeOffset? PreviousSecretValidUntil);

    public async Task<ClientSecret> CreateClientAsync(string clientId, string organisation, string name, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        using var content = await SendAsync(Scopes.ClientsManage, "admin/clients", new { clientId, organisation, name, scopes }, "create the client", cancellationToken);
        return (await content.ReadFromJsonAsync<ClientSecret>(cancellationToken))!;
    }

    public async Task<ClientSecret> RotateClientAsync(string clientId, string organisation, double overlapHours, CancellationToken cancellationToken)
    {
        using var content = await SendAsync(Scopes.ClientsManage, $"admin/clients/{Uri.EscapeDataString(clientId)}/rotation", new { organisation, overlapHours }, "rotate the secret", cancellationToken);
        return (await content.ReadFromJsonAsync<ClientSecret>(cancellationToken))!;
    }

    public async Task RevokeClientAsync(string clientId, string organisation, CancellationToken cancellationToken) =>
        (await SendAsync(Scopes.ClientsManage, $"admin/clients/{Uri.EscapeDataString(clientId)}/revocation", new { organisation }, "revoke the client", cancellationToken)).Dispose();

    private async Task<HttpContent> SendAsync(string scope, string path, object body, string what, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        if (string.IsNullOrEmpty(s.ServiceClientSecret))
        {
            throw new InvalidOperationException($"{GatewaySettings.Section}:ServiceClientSecret is not set, so the gateway cannot ask the identity server to {what}.");
        }
        using var tokenResponse = await http.PostAsync(new Uri(s.Authority, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = s.ServiceClientId, ["client_secret"] = s.ServiceClientSecret, ["scope"] = scope,
        }), cancellationToken);
        var token = await tokenResponse.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        if (!tokenResponse.IsSuccessStatusCode || token?.AccessToken is not { } accessToken)
        {
            throw new InvalidOperationException($"The identity server refused the gateway's credentials: {token?.ErrorDescription ?? tokenResponse.StatusCode.ToString()}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(s.Authority, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var problem = response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadFromJsonAsync<Problem>(cancellationToken);
                var reason = problem?.Detail ?? (problem?.Errors is { } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : response.StatusCode.ToString());
                throw new IdentityRefusedException((int)response.StatusCode, $"The identity server did not {what}: {reason}");
            }
        }
        return response.Content;
    }
}
