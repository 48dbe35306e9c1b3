using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ReadModel;
using Platform.Tests.Shared;
using Xunit.Abstractions;

namespace Platform.Gateway.Tests;

/// <summary>
/// The isolation matrix beyond GraphQL: every REST endpoint of the gateway (generated from its routing table)
/// aimed at tenant B (Amsterdam) by every kind of caller of tenant A, with a bearer token or Hoorn's Open311
/// key, must be refused, and tenant B's complaints must be exactly as they were. An endpoint added without a
/// tenant-B request fails the test until it gets one.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RestIsolationTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private const string HoornKey = "demo-open311-key";

    /// <summary>
    /// Endpoints that hold no tenant's data (health, the schema, Open311 discovery and service lists, the request-token echo, an
    /// arrangement's public Atom feed, which <see cref="ArrangementFeedTests"/> shows holds no complaint) or are GraphQL (its own matrix).
    /// </summary>
    private static readonly HashSet<string> Outside =
    [
        "* /health", "* /alive", "GET /graphql/schema.graphql", "* /graphql", "* /t/{tenant}/graphql",
        "GET /open311/v2/discovery.{format}", "GET /open311/v2/services.{format}", "GET /open311/v2/services/{code}.{format}",
        "GET /open311/v2/tokens/{id}.{format}", "GET /arrangements/{id}/feed.atom",
        // Open data: public records (tariffs, decisions, proposals, votes), no complaint (ExportTests reads each file).
        "GET /open-data/arrangements/{id}", "GET /open-data/arrangements/{id}/README.md", "GET /open-data/arrangements/{id}/{file}", "GET /open-data/proposals/{id}/{file}",
        // A municipality's logo: shown on its public portal pages (PortalLogoTests).
        "GET /municipalities/{code}/logo",
    ];

    /// <summary>Endpoints that answer a caller without a key with the public view of tenant B's reports.</summary>
    private static readonly HashSet<string> PublicViews = ["GET /open311/v2/requests.{format}", "GET /open311/v2/requests/{id}.{format}"];

    private const string DescriptionB = "Icy cycle path by the Amstel";

    private sealed record Cell(string Caller, string Endpoint, HttpStatusCode Status);

    private static string Key(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is { Count: > 0 } ? string.Join(",", methods) : "*")} {endpoint.RoutePattern.RawText}";
    }

    /// <summary>How each REST endpoint is aimed at tenant B; the caller's credential is added as that endpoint takes it.</summary>
    private static Dictionary<string, Func<string, string, HttpRequestMessage>> AgainstTenantB(byte[] photo) => new()
    {
        ["POST /complaints/{id}/photos"] = (complaintB, _) => new(HttpMethod.Post, $"/complaints/{complaintB}/photos") { Content = new ByteArrayContent(photo) },
        ["POST /t/{tenant}/complaints/{id}/photos"] = (complaintB, _) => new(HttpMethod.Post, $"/t/GM0363/complaints/{complaintB}/photos") { Content = new ByteArrayContent(photo) },
        ["POST /open311/v2/requests.{format}"] = (_, key) => new(HttpMethod.Post, "/open311/v2/requests.json")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["api_key"] = key, ["jurisdiction_id"] = "GM0363", ["service_code"] = "gladheid-amstelland.strooien-fietspaden",
                ["description"] = "Filed into Amsterdam by another municipality's app", ["address_string"] = "Dam 1, Amsterdam", ["email"] = "citizen.amsterdam@demo.test",
            }),
        },
        ["PUT /municipalities/{code}/logo"] = (_, _) => new(HttpMethod.Put, "/municipalities/GM0363/logo") { Content = new ByteArrayContent(TestImages.Png(240, 80)) },
        ["DELETE /municipalities/{code}/logo"] = (_, _) => new(HttpMethod.Delete, "/municipalities/GM0363/logo"),
        ["GET /exports/complaints.csv"] = (_, _) => new(HttpMethod.Get, "/exports/complaints.csv?arrangement=gladheid-amstelland"),
        ["GET /open311/v2/requests.{format}"] = (_, key) => new(HttpMethod.Get, $"/open311/v2/requests.json?jurisdiction_id=GM0363&api_key={key}"),
        ["GET /open311/v2/requests/{id}.{format}"] = (complaintB, key) => new(HttpMethod.Get, $"/open311/v2/requests/{complaintB}.json?jurisdiction_id=GM0363&api_key={key}"),
    };

    [Fact]
    public async Task Isolation_matrix_every_REST_endpoint_refuses_every_caller_of_tenant_A_on_tenant_B()
    {
        var endpoints = fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(Key).Distinct().ToList();
        var requests = AgainstTenantB(TestImages.Jpeg());
        var uncovered = endpoints.Where(e => !Outside.Contains(e) && !requests.ContainsKey(e)).ToList();
        Assert.True(uncovered.Count == 0, $"No tenant-B request for: {string.Join(", ", uncovered)}; add one so the matrix covers it.");

        var complaintB = await ComplaintOfTenantBAsync();
        var before = await TenantBAsync(complaintB);
        // Every caller of tenant A: the GraphQL matrix's nine, and Hoorn's Open311 key (which also rides along with each token,
        // as an app holding both would send it).
        var callers = AccessTests.TenantACallers.Append("open311-key-of-GM0405").ToList();
        var cells = new List<Cell>();
        foreach (var caller in callers)
        {
            var token = caller is "anonymous" or "open311-key-of-GM0405" ? null : await fixture.TokenAsync(caller);
            var key = caller == "anonymous" ? "" : HoornKey;
            foreach (var (endpoint, make) in requests)
            {
                using var client = fixture.CreateClient();
                using var request = make(complaintB, key);
                if (token is not null) request.Headers.Authorization = new("Bearer", token);
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                // Open311 without a key answers the public view (PublicReportTests): allowed only if nothing of tenant B's
                // complaint but its public trace (service, status, dates, rounded place) is in it.
                var publicView = key == "" && PublicViews.Contains(endpoint) && response.StatusCode == HttpStatusCode.OK
                    && !body.Contains(DescriptionB, StringComparison.Ordinal) && !body.Contains("\"description\":\"", StringComparison.Ordinal);
                cells.Add(new(caller, endpoint, publicView ? HttpStatusCode.NoContent : response.StatusCode));
            }
        }

        // 204 stands for a public view without tenant data, checked above.
        static bool Denied(Cell c) => c.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.NoContent;
        var denied = cells.Count(Denied);
        output.WriteLine($"REST isolation matrix: {callers.Count} callers x {requests.Count} endpoints = {cells.Count} cells, {denied} denied ({100.0 * denied / cells.Count:0.#}%)");
        foreach (var cell in cells) output.WriteLine($"  {cell.Caller,-24} {cell.Endpoint,-42} {(int)cell.Status}");
        Assert.True(cells.Count == denied, string.Join("\n", cells.Where(c => !Denied(c))));
        Assert.Equal(before, await TenantBAsync(complaintB));
    }

    [Fact]
    public async Task The_control_tenant_B_reaches_its_own_complaint_through_the_same_requests()
    {
        // Without this, a matrix of refusals could pass because the requests themselves were broken.
        var complaintB = await ComplaintOfTenantBAsync();
        using var client = fixture.CreateClient();

        using var read = await client.GetAsync($"/open311/v2/requests/{complaintB}.json?jurisdiction_id=GM0363&api_key=amsterdam-open311-key");
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/complaints/{complaintB}/photos") { Content = new ByteArrayContent(TestImages.Jpeg()) };
        upload.Headers.Authorization = new("Bearer", await fixture.TokenAsync("citizen.amsterdam@demo.test"));
        using var uploaded = await client.SendAsync(upload);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(complaintB, JsonNode.Parse(await read.Content.ReadAsStringAsync())!.AsArray()[0]!["service_request_id"]!.GetValue<string>());
        // The author gets through every check to the storage, which this test gateway does not have.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, uploaded.StatusCode);
        Assert.Contains("STORAGE_UNAVAILABLE", await uploaded.Content.ReadAsStringAsync());
    }

    private async Task<string> ComplaintOfTenantBAsync()
    {
        var data = await fixture.DataAsync("""mutation { fileComplaint(input: { arrangementId: "gladheid-amstelland", serviceCode: "strooien-fietspaden", description: "Icy cycle path by the Amstel", location: { latitude: 52.35, longitude: 4.91 } }) { complaint { key } userErrors { code message } } }""",
            token: await fixture.TokenAsync("citizen.amsterdam@demo.test"));
        return data["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
    }

    private async Task<string> TenantBAsync(string complaintB)
    {
        await using var store = await fixture.Services.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync();
        var rows = await store.Complaints.AsNoTracking().Where(r => r.Municipality == "GM0363").OrderBy(r => r.Id).Select(r => r.Id + ":" + r.Version).ToListAsync();
        var complaint = await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { status photos { id } history { action } } }", new { id = complaintB },
            token: await fixture.TokenAsync("citizen.amsterdam@demo.test"));
        var look = await fixture.DataAsync("""{ municipality(code: "GM0363") { portalLogo { url } history { action } } }""");
        return string.Join(",", rows) + complaint.ToJsonString() + look.ToJsonString();
    }
}
