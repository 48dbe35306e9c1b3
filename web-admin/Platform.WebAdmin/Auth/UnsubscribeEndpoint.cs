using Platform.WebAdmin.Gateway;

namespace Platform.WebAdmin.Auth;

/// <summary>
/// RFC 8058 one-click unsubscribe: a mail program posts <c>List-Unsubscribe=One-Click</c> to the address in the mail's
/// <c>List-Unsubscribe</c> header, without a session or a form token. The link's signature is the proof; the gateway
/// checks it. People who click the link in the text get the page at <c>/unsubscribe</c>, which asks first.
/// </summary>
public static class UnsubscribeEndpoint
{
    public const string Mutation = """
        mutation($person: String!, $kind: String!, $token: String!) {
          unsubscribe(input: { person: $person, kind: $kind, token: $token }) { unsubscribed userErrors { field code message } }
        }
        """;

    public static void MapUnsubscribeEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/unsubscribe/one-click", async (HttpContext http, GatewayClient gateway, string? p, string? k, string? t) =>
        {
            if (string.IsNullOrEmpty(p) || string.IsNullOrEmpty(k) || string.IsNullOrEmpty(t))
            {
                return Results.Text("The link is incomplete: it needs p (the address), k (the kind) and t (the signature).\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }
            try
            {
                var result = await gateway.MutateAsync(Mutation, "unsubscribe", new { person = p, kind = k, token = t }, http.RequestAborted);
                return result.Succeeded
                    ? Results.Text("Unsubscribed.\n", "text/plain; charset=utf-8")
                    : Results.Text(string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}")) + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }
            catch (GatewayException ex)
            {
                // The platform is down: the mail program may try again later; nothing changed.
                return Results.Text(ex.Message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).DisableAntiforgery();
    }
}
