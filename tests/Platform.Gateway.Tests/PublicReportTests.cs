using System.Net;
using System.Text.Json.Nodes;
using Platform.Domain.Complaints;

namespace Platform.Gateway.Tests;

/// <summary>
/// The public map's data: anyone sees that a report exists, its service, status and dates, and its place on the 50 m
/// grid; never its text, address or author. Through GraphQL and through Open311 without a key.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PublicReportTests(GatewayFixture fixture)
{
    private const string File = """
        mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { field code message } } }
        """;

    private const string Reports = """
        query($code: String!, $near: NearInput, $service: String, $open: Boolean, $first: Int) {
          publicReports(municipalityCode: $code, near: $near, serviceCode: $service, open: $open, first: $first) {
            key arrangementId serviceCode serviceName(language: EN) status open filedAt updatedAt latitude longitude distanceMetres
          }
        }
        """;

    /// <summary>A place in the Hoorn polder of its own per test, so tests sharing the fixture do not see each other's reports nearby.</summary>
    private static GeoPoint Place(int test) => new(52.66 + test * 0.01, 5.02 + test * 0.003);

    private async Task<(string Key, string Description, string Address)> FileAsync(GeoPoint at, string service = "bouwpuin")
    {
        var description = $"Rubble behind shed number {Guid.NewGuid():N}";
        var address = $"Geheimweg {Random.Shared.Next(1, 999)}, Hoorn";
        var payload = (await fixture.DataAsync(File, new
        {
            input = new
            {
                arrangementId = "afval-nhn", serviceCode = service, description,
                location = new { latitude = at.Latitude, longitude = at.Longitude, address },
            },
        }, token: await fixture.TokenAsync("citizen@demo.test")))["fileComplaint"]!;
        Assert.Empty(payload["userErrors"]!.AsArray());
        return (payload["complaint"]!["key"]!.GetValue<string>(), description, address);
    }

    private async Task<JsonArray> NearAsync(GeoPoint at, int radius = 300, string? service = null, bool? open = null) =>
        (await fixture.DataAsync(Reports, new { code = "GM0405", near = new { latitude = at.Latitude, longitude = at.Longitude, radiusMetres = radius }, service, open }))
            ["publicReports"]!.AsArray();

    [Fact]
    public async Task Anyone_sees_a_new_report_nearby_rounded_and_without_its_text_address_or_author()
    {
        var at = Place(1);
        var exact = new GeoPoint(at.Latitude + 0.000123, at.Longitude + 0.000217);
        var (key, description, address) = await FileAsync(exact);

        var (status, body) = await fixture.PostAsync(Reports, new { code = "GM0405", near = new { latitude = exact.Latitude, longitude = exact.Longitude, radiusMetres = 300 } });

        Assert.Equal(HttpStatusCode.OK, status);
        var report = Assert.Single(body["data"]!["publicReports"]!.AsArray(), r => r!["key"]!.GetValue<string>() == key)!;
        Assert.Equal(("afval-nhn", "bouwpuin", "SUBMITTED", true), (report["arrangementId"]!.GetValue<string>(), report["serviceCode"]!.GetValue<string>(),
            report["status"]!.GetValue<string>(), report["open"]!.GetValue<bool>()));
        Assert.False(string.IsNullOrEmpty(report["serviceName"]!.GetValue<string>()));
        var shown = new GeoPoint(report["latitude"]!.GetValue<double>(), report["longitude"]!.GetValue<double>());
        Assert.NotEqual(exact, shown);
        Assert.Equal(PublicReports.Round(exact.Latitude, exact.Longitude), shown);
        Assert.InRange(PublicReports.DistanceMetres(exact, shown), 0.1, 40);
        Assert.Equal(Math.Round(PublicReports.DistanceMetres(exact, shown)), report["distanceMetres"]!.GetValue<double>());
        // Nothing of the text, the address or the person anywhere in the answer.
        var text = body.ToJsonString();
        Assert.DoesNotContain(description, text);
        Assert.DoesNotContain(address.Split(',')[0], text);
        Assert.DoesNotContain("citizen@demo.test", text);
    }

    [Fact]
    public async Task The_public_type_has_no_field_for_the_text_or_the_place_as_filed()
    {
        foreach (var field in new[] { "description", "location", "address", "author", "photos", "history" })
        {
            var (status, body) = await fixture.PostAsync($"{{ publicReports(municipalityCode: \"GM0405\", first: 1) {{ key {field} }} }}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains($"'{field}'", body["errors"]![0]!["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Near_a_place_finds_what_is_in_the_circle_nearest_first_and_nothing_outside_it()
    {
        var at = Place(2);
        var (near, _, _) = await FileAsync(at);
        var (further, _, _) = await FileAsync(new(at.Latitude + 0.0018, at.Longitude)); // about 200 m north
        var (other, _, _) = await FileAsync(new(at.Latitude, at.Longitude + 0.0010), service: "grofvuil"); // about 70 m east, another service

        var within300 = (await NearAsync(at)).Select(r => r!["key"]!.GetValue<string>()).ToList();
        var within100 = (await NearAsync(at, radius: 100)).Select(r => r!["key"]!.GetValue<string>()).ToList();
        var ofService = (await NearAsync(at, service: "grofvuil")).Select(r => r!["key"]!.GetValue<string>()).ToList();
        var farAway = await NearAsync(new(at.Latitude + 0.03, at.Longitude)); // about 3.3 km north

        Assert.Equal([near, other, further], within300.Where(k => k == near || k == other || k == further));
        Assert.Contains(near, within100);
        Assert.DoesNotContain(further, within100);
        Assert.Equal([other], ofService.Where(k => k == near || k == other || k == further));
        Assert.DoesNotContain(farAway, r => new[] { near, further, other }.Contains(r!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_rejected_report_leaves_the_public_map_and_a_closed_one_stays_as_closed()
    {
        var at = Place(3);
        var (rejected, _, _) = await FileAsync(at);
        Assert.Contains(await NearAsync(at), r => r!["key"]!.GetValue<string>() == rejected);

        var transition = """
            mutation($input: TransitionComplaintInput!) { transitionComplaint(input: $input) { complaint { status } userErrors { message } } }
            """;
        var step = await fixture.DataAsync(transition, new { input = new { complaintId = rejected, action = "REJECT", reason = "A provincial road", referral = "Provincie Noord-Holland" } },
            token: await fixture.TokenAsync("manager@demo.test"));
        Assert.Equal("REJECTED", step["transitionComplaint"]!["complaint"]!["status"]!.GetValue<string>());

        Assert.DoesNotContain(await NearAsync(at), r => r!["key"]!.GetValue<string>() == rejected);
    }

    [Theory]
    [InlineData("""municipalityCode: "Hoorn" """, "municipalityCode")]
    [InlineData("""municipalityCode: "GM0405", first: 0""", "first")]
    [InlineData("""municipalityCode: "GM0405", first: 1001""", "first")]
    [InlineData("""municipalityCode: "GM0405", near: { latitude: 91, longitude: 5 }""", "latitude")]
    [InlineData("""municipalityCode: "GM0405", near: { latitude: 52.6, longitude: 5, radiusMetres: 0 }""", "radiusMetres")]
    [InlineData("""municipalityCode: "GM0405", near: { latitude: 52.6, longitude: 5, radiusMetres: 50000 }""", "radiusMetres")]
    [InlineData("""municipalityCode: "GM0405", near: { latitude: "north", longitude: 5 }""", "latitude")]
    [InlineData("""near: { latitude: 52.6, longitude: 5 }""", "municipalityCode")]
    public async Task A_wrong_search_is_refused_and_names_what_is_wrong(string arguments, string named)
    {
        var (status, body) = await fixture.PostAsync($"{{ publicReports({arguments}) {{ key }} }}");

        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
        var message = body["errors"]![0]!["message"]!.GetValue<string>();
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task Open311_without_a_key_answers_the_public_view_and_with_another_municipalitys_key_refuses()
    {
        var at = Place(4);
        var (key, description, address) = await FileAsync(at);
        using var client = fixture.CreateClient();

        var list = await client.GetAsync($"/open311/v2/requests.json?jurisdiction_id=GM0405&lat={at.Latitude}&long={at.Longitude}&radius=200");
        var listBody = await list.Content.ReadAsStringAsync();
        var one = await client.GetAsync($"/open311/v2/requests/{key}.json?jurisdiction_id=GM0405");
        var oneBody = await one.Content.ReadAsStringAsync();
        var foreign = await client.GetAsync("/open311/v2/requests.json?jurisdiction_id=GM0405&api_key=amsterdam-open311-key");
        var keyed = await client.GetAsync($"/open311/v2/requests/{key}.json?jurisdiction_id=GM0405&api_key=demo-open311-key");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var request = Assert.Single(JsonNode.Parse(listBody)!.AsArray(), r => r!["service_request_id"]!.GetValue<string>() == key)!;
        Assert.Equal(("open", "afval-nhn.bouwpuin"), (request["status"]!.GetValue<string>(), request["service_code"]!.GetValue<string>()));
        Assert.Null(request["description"]);
        Assert.Null(request["address"]);
        Assert.Equal(PublicReports.Round(at.Latitude, at.Longitude), new GeoPoint(request["lat"]!.GetValue<double>(), request["long"]!.GetValue<double>()));
        Assert.DoesNotContain(description, listBody);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.DoesNotContain(description, oneBody);
        Assert.DoesNotContain(address, oneBody);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Contains("leave it out", await foreign.Content.ReadAsStringAsync());
        // The municipality's own partner still reads the request in full.
        Assert.Contains(description, await keyed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("&lat=52.6", "lat and long")]
    [InlineData("&lat=north&long=5", "lat and long")]
    [InlineData("&lat=52.6&long=5&radius=far", "radius")]
    [InlineData("&lat=52.6&long=5&radius=9000", "radius")]
    [InlineData("&service_code=bouwpuin", "service_code")]
    public async Task Open311s_public_view_names_a_wrong_parameter(string query, string named)
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync($"/open311/v2/requests.json?jurisdiction_id=GM0405{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()[0]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Open311_without_a_key_does_not_show_a_rejected_request()
    {
        var (key, _, _) = await FileAsync(Place(5));
        await fixture.DataAsync("""
            mutation($input: TransitionComplaintInput!) { transitionComplaint(input: $input) { userErrors { message } } }
            """, new { input = new { complaintId = key, action = "REJECT", reason = "Private land", referral = "The owner" } }, token: await fixture.TokenAsync("manager@demo.test"));
        using var client = fixture.CreateClient();

        using var response = await client.GetAsync($"/open311/v2/requests/{key}.json?jurisdiction_id=GM0405");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
