using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class HttpTransportTests(GatewayFixture fixture)
{
    private const string TypenameQuery = """{"query":"{ __typename }"}""";

    private async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(HttpMethod method, string url, string? body = null, string? contentType = "application/json", string? accept = null)
    {
        var client = fixture.CreateClient();
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    private static string ErrorCode(JsonNode? body) => body!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    [Fact]
    public async Task Methods_other_than_GET_and_POST_get_405_with_Allow()
    {
        var (response, body) = await SendAsync(HttpMethod.Put, "/graphql", TypenameQuery);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Count > 0 ? response.Content.Headers.Allow : response.Headers.GetValues("Allow").Single().Split(", "));
        Assert.Equal("METHOD_NOT_ALLOWED", ErrorCode(body));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task A_body_that_is_not_utf8_JSON_gets_415(string? contentType)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "/graphql", TypenameQuery, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.NotNull(body!["errors"]);
        Assert.Null(body["data"]);
    }

    [Theory]
    [InlineData("{\"query\": \"{ __typename }\"", "INVALID_JSON")]
    [InlineData("[1, 2]", "INVALID_REQUEST")]
    [InlineData("{\"variables\": {}}", "QUERY_MISSING")]
    [InlineData("{\"query\": 42}", "QUERY_MISSING")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": \"x\"}", "INVALID_VARIABLES")]
    [InlineData("{\"query\": \"{ __typename }\", \"operationName\": 1}", "INVALID_OPERATION_NAME")]
    [InlineData("{\"query\": \"{ __typename }\", \"extensions\": []}", "INVALID_EXTENSIONS")]
    public async Task A_malformed_request_gets_400_with_a_GraphQL_error_that_names_it(string json, string code)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "/graphql", json, accept: "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, ErrorCode(body));
        Assert.Null(body!["data"]);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var padding = new string(' ', 300 * 1024);
        var (response, body) = await SendAsync(HttpMethod.Post, "/graphql", $"{{\"query\": \"{{ __typename }}{padding}\"}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", ErrorCode(body));
    }

    /// <summary>A body sent in pieces with no Content-Length (chunked), as a streaming client sends it.</summary>
    private async Task<(HttpResponseMessage Response, JsonNode? Body)> SendInPiecesAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new PiecesContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        var response = await fixture.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    private sealed class PiecesContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < bytes.Length; at += 7)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(7, bytes.Length - at)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Fact]
    public async Task A_body_in_pieces_without_a_length_is_read_whole_and_one_over_the_limit_gets_413()
    {
        var (whole, answer) = await SendInPiecesAsync(TypenameQuery);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("Query", answer!["data"]!["__typename"]!.GetValue<string>());

        var (tooLarge, body) = await SendInPiecesAsync($"{{\"query\": \"{{ __typename }}{new string(' ', 300 * 1024)}\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", ErrorCode(body));
    }

    [Theory]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("text/html, application/graphql-response+json;q=0.5", "application/graphql-response+json")]
    [InlineData(null, "application/json")]
    public async Task The_response_type_follows_Accept(string? accept, string expected)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "/graphql", TypenameQuery, accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Query", body!["data"]!["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_Accept_the_gateway_cannot_serve_gets_406()
    {
        var (response, _) = await SendAsync(HttpMethod.Post, "/graphql", TypenameQuery, accept: "text/html");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Queries_work_over_GET_with_variables()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("query($c: String!){ municipality(code: $c) { name } }")
            + "&variables=" + Uri.EscapeDataString("{\"c\":\"GM0405\"}");

        var (response, body) = await SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hoorn", body!["data"]!["municipality"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mutation_over_GET_is_refused_and_changes_nothing()
    {
        var mutation = "mutation { onboardMunicipality(input: {code: \"GM0796\", name: \"'s-Hertogenbosch\", inhabitants: 160000, inhabitantsReferenceDate: \"2024-01-01\"}) { userErrors { code } } }";

        var (response, body) = await SendAsync(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(mutation));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("HTTP_METHOD_VALIDATION", ErrorCode(body));
        var after = await fixture.DataAsync("{ municipality(code: \"GM0796\") { name } }");
        Assert.Null(after["municipality"]);
    }

    [Fact]
    public async Task A_document_that_does_not_validate_is_a_400_for_graphql_response_json_and_200_for_json()
    {
        var strict = await fixture.PostAsync("{ noSuchField }");
        var legacy = await fixture.PostAsync("{ noSuchField }", accept: "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.Contains("noSuchField", strict.Body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Null(strict.Body["data"]);
    }

    [Fact]
    public async Task A_variable_of_the_wrong_type_is_named_in_the_error()
    {
        var (status, body) = await fixture.PostAsync("query($c: String!){ municipality(code: $c) { name } }", new { c = new[] { 1, 2 } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("$c", body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_schema_is_served_as_SDL_with_the_contracted_types()
    {
        var client = fixture.CreateClient();

        var sdl = await client.GetStringAsync("/graphql/schema.graphql");

        Assert.Contains("interface Node", sdl);
        Assert.Contains("type Municipality implements Node", sdl);
        Assert.Contains("type Arrangement implements Node", sdl);
        Assert.Contains("tariffs(", sdl);
        Assert.Contains("tariffHistory(", sdl);
        Assert.Contains("scalar Date", sdl);
        Assert.Contains("scalar Decimal", sdl);
        Assert.Contains("publishTariffSchedule(input: PublishTariffScheduleInput!): PublishTariffSchedulePayload!", sdl);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_report_healthy_once_the_cluster_answers(string path)
    {
        var (response, _) = await SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
