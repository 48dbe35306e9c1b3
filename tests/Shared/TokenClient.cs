using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Tests.Shared;

/// <summary>
/// Gets tokens from the real identity server the way clients do: client credentials for partner
/// systems, and the authorization code flow with PKCE for people, filling in the sign-in form.
/// </summary>
public sealed partial class TokenClient(Uri authority, IPAddress? from = null)
{
    /// <summary>The same client, its connections made from another loopback address (127.0.0.0/8), as a second machine would.</summary>
    public TokenClient From(IPAddress source) => new(Authority, source);

    /// <summary>A handler whose connections leave from <paramref name="source"/> when given.</summary>
    public static SocketsHttpHandler Handler(IPAddress? source, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() };
        if (source is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return handler;
    }

    private HttpClient NewHttp() => new(Handler(from));

    public const string CliClient = "demo-cli";
    public const string CliRedirect = "http://127.0.0.1:8765/callback";
    public const string DemoPassword = "Demo!2345";

    public Uri Authority { get; } = authority;

    public async Task<JsonNode> ClientCredentialsAsync(string clientId, string secret, string? scope = null)
    {
        using var http = NewHttp();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null) form["scope"] = scope;
        return await PostTokenAsync(http, form);
    }

    public async Task<string> AccessTokenAsync(string clientId, string secret, string? scope = null) =>
        (await ClientCredentialsAsync(clientId, secret, scope))["access_token"]!.GetValue<string>();

    /// <summary>Signs in through the form and redeems the code; returns the token response.</summary>
    public async Task<JsonNode> SignInAsync(string email, string password = DemoPassword, string scope = "openid email profile roles offline_access")
    {
        var browser = new Browser(from);
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = new Uri(Authority, "connect/authorize?" + Query(new()
        {
            ["client_id"] = CliClient, ["redirect_uri"] = CliRedirect, ["response_type"] = "code", ["scope"] = scope,
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = state,
        }));

        var response = await browser.FollowAsync(authorize);
        // Not signed in yet: the server shows its sign-in form.
        var form = await response.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(form);
        if (!token.Success) throw new InvalidOperationException($"No sign-in form at {response.RequestMessage!.RequestUri}: HTTP {(int)response.StatusCode}");
        var returnUrl = ReturnUrlField().Match(form).Groups[1].Value;
        var posted = await browser.PostFormAsync(response.RequestMessage!.RequestUri!, new()
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl),
            ["__RequestVerificationToken"] = token.Groups[1].Value,
        });
        var callback = browser.LastRedirect ?? throw new SignInRefusedException((int)posted.StatusCode, await posted.Content.ReadAsStringAsync());
        if (!callback.ToString().StartsWith(CliRedirect, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Expected a redirect to the client, got {callback}");
        }
        var parameters = System.Web.HttpUtility.ParseQueryString(callback.Query);
        if (parameters["state"] != state) throw new InvalidOperationException("The state came back changed.");
        var code = parameters["code"] ?? throw new InvalidOperationException($"No code in {callback}");

        using var http = NewHttp();
        return await PostTokenAsync(http, new()
        {
            ["grant_type"] = "authorization_code", ["client_id"] = CliClient, ["redirect_uri"] = CliRedirect,
            ["code"] = code, ["code_verifier"] = verifier,
        });
    }

    public async Task<string> UserAccessTokenAsync(string email, string password = DemoPassword) => (await SignInAsync(email, password))["access_token"]!.GetValue<string>();

    public async Task<(HttpStatusCode Status, JsonNode Body)> RefreshAsync(string refreshToken)
    {
        using var http = NewHttp();
        using var response = await http.PostAsync(new Uri(Authority, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = CliClient, ["refresh_token"] = refreshToken,
        }));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Sends an authorize request as given and returns where the server sent the browser (or its error page).</summary>
    public async Task<HttpResponseMessage> RawAuthorizeAsync(Dictionary<string, string> parameters) =>
        await new Browser(from).FollowAsync(new Uri(Authority, "connect/authorize?" + Query(parameters)));

    private async Task<JsonNode> PostTokenAsync(HttpClient http, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(new Uri(Authority, "connect/token"), new FormUrlEncodedContent(form));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (!response.IsSuccessStatusCode) throw new TokenRefusedException((int)response.StatusCode, body.ToJsonString());
        return body;
    }

    private static string Query(Dictionary<string, string> parameters) =>
        string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    /// <summary>A cookie-keeping client that follows redirects itself and stops at the client's callback.</summary>
    private sealed class Browser(IPAddress? from)
    {
        private readonly HttpClient http = new(Handler(from, new CookieContainer()));

        public Uri? LastRedirect { get; private set; }

        public Task<HttpResponseMessage> FollowAsync(Uri uri) => SendAsync(new HttpRequestMessage(HttpMethod.Get, uri));

        public Task<HttpResponseMessage> PostFormAsync(Uri uri, Dictionary<string, string> form) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) });

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            LastRedirect = null;
            for (var hops = 0; hops < 10; hops++)
            {
                var response = await http.SendAsync(request);
                if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.RedirectKeepVerb)) return response;
                var location = new Uri(request.RequestUri!, response.Headers.Location!);
                LastRedirect = location;
                if (location.ToString().StartsWith(CliRedirect, StringComparison.Ordinal)) return response;
                request = new HttpRequestMessage(HttpMethod.Get, location);
            }
            throw new InvalidOperationException("Too many redirects.");
        }
    }
}

public sealed class TokenRefusedException(int status, string body) : Exception($"HTTP {status}: {body}")
{
    public int Status { get; } = status;
    public string Body { get; } = body;
}

public sealed class SignInRefusedException(int status, string page) : Exception($"Sign-in refused (HTTP {status})")
{
    public int Status { get; } = status;
    public string Page { get; } = page;
}
