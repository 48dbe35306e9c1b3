namespace Platform.WebAdmin.Gateway;

/// <summary>
/// The triage page's "export as CSV": <c>GET /complaints/export.csv</c> with the page's filters, passed on to the gateway's
/// export with the signed-in person's token and streamed back as the gateway answers it. Who may export, and what, is the
/// gateway's decision; a refusal comes back as the gateway's words.
/// </summary>
public static class ExportEndpoint
{
    public const string Path = "/complaints/export.csv";

    public static void MapExportEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, GatewayClient gateway) =>
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return Results.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString("/complaints" + http.Request.QueryString));
            }
            HttpResponseMessage answer;
            try
            {
                answer = await gateway.GetFileAsync("/exports/complaints.csv" + http.Request.QueryString, http.RequestAborted);
            }
            catch (GatewayException ex)
            {
                return Results.Text($"The platform did not answer; nothing was exported. Try again in a moment. ({ex.Message})\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            using (answer)
            {
                if (!answer.IsSuccessStatusCode)
                {
                    var problem = await ReadProblemAsync(answer, http.RequestAborted);
                    return Results.Text(problem + "\n", "text/plain; charset=utf-8", statusCode: (int)answer.StatusCode);
                }
                http.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "text/csv; charset=utf-8";
                if (answer.Content.Headers.ContentDisposition is { } disposition) http.Response.Headers.ContentDisposition = disposition.ToString();
                http.Response.Headers.CacheControl = "private, no-store";
                await using var body = await answer.Content.ReadAsStreamAsync(http.RequestAborted);
                await body.CopyToAsync(http.Response.Body, http.RequestAborted);
                return Results.Empty;
            }
        });
    }

    private static async Task<string> ReadProblemAsync(HttpResponseMessage answer, CancellationToken cancellationToken)
    {
        try
        {
            var problem = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
            return problem?["detail"]?.GetValue<string>() ?? $"HTTP {(int)answer.StatusCode}";
        }
        catch (System.Text.Json.JsonException)
        {
            return $"HTTP {(int)answer.StatusCode}";
        }
    }
}
