using System.Text.Json;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Identity.Protection;

/// <summary>
/// The identity server's rate limits (change them under <c>Platform:RateLimits:Rules</c>). Wrong passwords
/// throttle the address they come from, for that account and in all, instead of locking the account: a
/// stranger who knows someone's address can no longer lock them out, and guessing stays slow.
/// </summary>
public static class IdentityLimits
{
    /// <summary>Sign-in form posts per address.</summary>
    public const string SignIn = "sign-in";

    /// <summary>Wrong passwords for one account from one address.</summary>
    public const string SignInFailuresPerAccount = "sign-in-failures";

    /// <summary>Wrong passwords from one address, whatever the account.</summary>
    public const string SignInFailuresPerAddress = "sign-in-failures-address";

    /// <summary>Token requests per address (the web app redeems and refreshes for all its users from its own address: size this to it).</summary>
    public const string Token = "token";

    /// <summary>Refused token requests (wrong client secret, used code or refresh token) for one client from one address.</summary>
    public const string ClientFailures = "client-failures";

    /// <summary>Invitation (set a password) posts per address.</summary>
    public const string Invitation = "invitation";

    /// <summary>Registrations, confirmation and password-reset requests per address (each may send a mail).</summary>
    public const string Registration = "registration";

    public static readonly IReadOnlyDictionary<string, RateLimitRule> Defaults = new Dictionary<string, RateLimitRule>
    {
        [SignIn] = new(30, TimeSpan.FromMinutes(1)),
        [SignInFailuresPerAccount] = new(5, TimeSpan.FromMinutes(15)),
        [SignInFailuresPerAddress] = new(20, TimeSpan.FromMinutes(15)),
        [Token] = new(600, TimeSpan.FromMinutes(1)),
        [ClientFailures] = new(10, TimeSpan.FromMinutes(15)),
        [Invitation] = new(10, TimeSpan.FromMinutes(10)),
        [Registration] = new(10, TimeSpan.FromMinutes(10)),
    };

    public static string AccountPartition(HttpContext http, string email) => $"{http.AddressPartition()}|{email.Trim().ToLowerInvariant()}";

    /// <summary>
    /// Guards the token endpoint ahead of OpenIddict (which authenticates clients inside the authentication
    /// middleware): volume per address, and refused requests per address and client, answered as OAuth errors.
    /// </summary>
    public static IApplicationBuilder UseTokenEndpointThrottle(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.Equals("/connect/token", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }
        var throttle = http.RequestServices.GetRequiredService<Throttle>();
        var decision = throttle.Acquire(Token, http.AddressPartition());
        var partition = $"{http.AddressPartition()}|{await ClientIdAsync(http)}";
        if (decision.Allowed) decision = throttle.Peek(ClientFailures, partition);
        if (!decision.Allowed)
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.SetRetryAfter(decision);
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, string>
            {
                ["error"] = "too_many_requests",
                ["error_description"] = $"Too many token requests, or too many refused ones, from this address; try again in {decision.RetryAfterSeconds} seconds.",
            });
            return;
        }
        await next(http);
        if (http.Response.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized)
        {
            throttle.Acquire(ClientFailures, partition);
        }
    });

    /// <summary>The client a token request names, in its form or its Basic credentials; the form is buffered, so OpenIddict reads it again.</summary>
    private static async Task<string> ClientIdAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = pair.IndexOf(':');
                if (colon > 0) return Uri.UnescapeDataString(pair[..colon]);
            }
            catch (FormatException)
            {
                return "(malformed)";
            }
        }
        if (!http.Request.HasFormContentType) return "(none)";
        try
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var id = form["client_id"].ToString();
            return id.Length is > 0 and <= 200 ? id : "(none)";
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return "(malformed)";
        }
    }
}
