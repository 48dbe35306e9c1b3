using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Platform.Gateway.Tests;

/// <summary>Open311 GeoReport v2, checked against the field lists of the specification (wiki.open311.org/GeoReport_v2).</summary>
[Collection(GatewayCollection.Name)]
public sealed class Open311Tests(GatewayFixture fixture)
{
    private static readonly string[] ServiceFields = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];
    private static readonly string[] RequestFields =
    [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible", "service_notice",
        "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
    ];

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetAsync(string path)
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string format, Dictionary<string, string> form, string? idempotencyKey = null)
    {
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/open311/v2/requests.{format}") { Content = new FormUrlEncodedContent(form) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<int> CountOpenRequestsAsync(string description)
    {
        var (_, body, _) = await GetAsync("/open311/v2/requests.json?jurisdiction_id=GM0405&api_key=demo-open311-key&service_code=afval-nhn.bouwpuin");
        var ids = JsonNode.Parse(body)!.AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()).ToList();
        var count = 0;
        foreach (var id in ids)
        {
            var (_, one, _) = await GetAsync($"/open311/v2/requests/{id}.json?jurisdiction_id=GM0405&api_key=demo-open311-key");
            if (JsonNode.Parse(one)!.AsArray()[0]!["description"]?.GetValue<string>() == description) count++;
        }
        return count;
    }

    [Fact]
    public async Task A_post_retried_with_its_Idempotency_Key_files_once_and_answers_the_same_request_id()
    {
        var form = Request();
        form["description"] = $"Retried request {Guid.NewGuid():N}";
        var key = $"open311-{Guid.NewGuid():N}";

        var (firstStatus, first) = await PostAsync("json", form, key);
        var (againStatus, again) = await PostAsync("json", form, key);

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(first, again);
        Assert.Equal(1, await CountOpenRequestsAsync(form["description"]));
    }

    [Fact]
    public async Task An_Idempotency_Key_reused_with_another_request_is_refused_and_files_nothing()
    {
        var form = Request();
        form["description"] = $"First request {Guid.NewGuid():N}";
        var key = $"open311-{Guid.NewGuid():N}";
        await PostAsync("json", form, key);
        var other = Request();
        other["description"] = $"Other request {Guid.NewGuid():N}";

        var (status, body) = await PostAsync("json", other, key);
        var (tooLong, tooLongBody) = await PostAsync("json", other, new string('k', 101));

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains("different input", JsonNode.Parse(body)!.AsArray()[0]!["description"]!.GetValue<string>());
        Assert.Equal(0, await CountOpenRequestsAsync(other["description"]));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.Contains("1 to 100 characters", tooLongBody);
    }

    private static Dictionary<string, string> Request(string? apiKey = "demo-open311-key", string jurisdiction = "GM0405", string service = "afval-nhn.bouwpuin")
    {
        var form = new Dictionary<string, string>
        {
            ["jurisdiction_id"] = jurisdiction, ["service_code"] = service, ["lat"] = "52.6424", ["long"] = "5.0602",
            ["address_string"] = "Westerdijk 1, Hoorn", ["description"] = "Rubble left on the dike", ["email"] = "reporter@example.test",
            ["first_name"] = "Anna", ["last_name"] = "de Vries",
        };
        if (apiKey is not null) form["api_key"] = apiKey;
        return form;
    }

    private async Task<string> FileAsync()
    {
        var (status, body) = await PostAsync("json", Request());
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonNode.Parse(body)!.AsArray()[0]!["service_request_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Discovery_names_the_specification_and_both_formats()
    {
        var (status, json, type) = await GetAsync("/open311/v2/discovery.json");
        var (_, xml, xmlType) = await GetAsync("/open311/v2/discovery.xml");

        Assert.Equal((HttpStatusCode.OK, "application/json", "text/xml"), (status, type, xmlType));
        var endpoint = JsonNode.Parse(json)!["endpoints"]![0]!;
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint["specification"]!.GetValue<string>());
        Assert.Equal(["application/json", "text/xml"], endpoint["formats"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("discovery", XDocument.Parse(xml).Root!.Name.LocalName);
    }

    [Fact]
    public async Task Services_of_the_jurisdiction_carry_every_field_of_the_service_list_in_JSON_and_XML()
    {
        var (_, json, _) = await GetAsync("/open311/v2/services.json?jurisdiction_id=GM0405");
        var (_, xml, _) = await GetAsync("/open311/v2/services.xml?jurisdiction_id=GM0405");

        var debris = JsonNode.Parse(json)!.AsArray().Single(s => s!["service_code"]!.GetValue<string>() == "afval-nhn.bouwpuin")!.AsObject();
        Assert.All(ServiceFields, f => Assert.True(debris.ContainsKey(f), f));
        Assert.Equal("realtime", debris["type"]!.GetValue<string>());
        var services = XDocument.Parse(xml).Root!;
        Assert.Equal("services", services.Name.LocalName);
        var element = services.Elements("service").Single(s => s.Element("service_code")!.Value == "afval-nhn.bouwpuin");
        Assert.All(ServiceFields, f => Assert.NotNull(element.Element(f)));
        Assert.DoesNotContain(JsonNode.Parse(json)!.AsArray(), s => s!["service_code"]!.GetValue<string>().StartsWith("gladheid-amstelland", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_service_definition_is_served_for_a_known_code_only()
    {
        var (known, body, _) = await GetAsync("/open311/v2/services/afval-nhn.grofvuil.json?jurisdiction_id=GM0405");
        var (unknown, _, _) = await GetAsync("/open311/v2/services/afval-nhn.asbest.json?jurisdiction_id=GM0405");

        Assert.Equal(HttpStatusCode.OK, known);
        Assert.Equal("afval-nhn.grofvuil", JsonNode.Parse(body)!["service_code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task A_posted_request_is_a_complaint_routed_to_the_executing_organisation_with_every_request_field()
    {
        var id = await FileAsync();

        var (status, json, _) = await GetAsync($"/open311/v2/requests/{id}.json?jurisdiction_id=GM0405&api_key=demo-open311-key");
        var (_, xml, _) = await GetAsync($"/open311/v2/requests/{id}.xml?jurisdiction_id=GM0405&api_key=demo-open311-key");

        Assert.Equal(HttpStatusCode.OK, status);
        var request = JsonNode.Parse(json)!.AsArray().Single()!.AsObject();
        Assert.All(RequestFields, f => Assert.True(request.ContainsKey(f), f));
        Assert.Equal(("open", "afval-nhn.bouwpuin", "Afvalbedrijf Noord-Holland Noord"),
            (request["status"]!.GetValue<string>(), request["service_code"]!.GetValue<string>(), request["agency_responsible"]!.GetValue<string>()));
        Assert.Equal(52.6424, request["lat"]!.GetValue<double>());
        Assert.True(DateTimeOffset.Parse(request["expected_datetime"]!.GetValue<string>()) > DateTimeOffset.Parse(request["requested_datetime"]!.GetValue<string>()));
        // The promise ends at midnight in the Netherlands, written with that day's offset, not in UTC.
        Assert.Matches(@"T23:59:59\+0[12]:00$", request["expected_datetime"]!.GetValue<string>());
        var element = XDocument.Parse(xml).Root!.Element("request")!;
        Assert.Equal("service_requests", XDocument.Parse(xml).Root!.Name.LocalName);
        Assert.All(RequestFields, f => Assert.NotNull(element.Element(f)));
        Assert.Equal(id, element.Element("service_request_id")!.Value);

        var executor = await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { status municipality executingOrganisation { key } } }", new { id }, token: await fixture.TokenAsync("executor@demo.test"));
        Assert.Equal("afvalbedrijf-nhn", executor["complaint"]!["executingOrganisation"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_are_filtered_by_id_service_status_and_date()
    {
        var id = await FileAsync();
        var q = "/open311/v2/requests.json?jurisdiction_id=GM0405&api_key=demo-open311-key";

        var byId = JsonNode.Parse((await GetAsync($"{q}&service_request_id={id}")).Body)!.AsArray();
        var open = JsonNode.Parse((await GetAsync($"{q}&status=open&service_code=afval-nhn.bouwpuin")).Body)!.AsArray();
        var closed = JsonNode.Parse((await GetAsync($"{q}&status=closed&service_request_id={id}")).Body)!.AsArray();
        var future = JsonNode.Parse((await GetAsync($"{q}&start_date=2100-01-01T00:00:00Z")).Body)!.AsArray();

        Assert.Equal(id, byId.Single()!["service_request_id"]!.GetValue<string>());
        Assert.Contains(open, r => r!["service_request_id"]!.GetValue<string>() == id);
        Assert.Empty(closed);
        Assert.Empty(future);
    }

    [Theory]
    [InlineData(null, "GM0405", "afval-nhn.bouwpuin", 403)]
    [InlineData("wrong-key", "GM0405", "afval-nhn.bouwpuin", 403)]
    [InlineData("demo-open311-key", "GM9999", "afval-nhn.bouwpuin", 403)]
    [InlineData("demo-open311-key", "GM0405", "gladheid-amstelland.zoutlevering", 404)]
    [InlineData("demo-open311-key", "GM0405", "", 400)]
    public async Task A_bad_post_gets_an_Open311_error_and_files_nothing(string? apiKey, string jurisdiction, string service, int expected)
    {
        var before = await CountAsync();

        var (status, body) = await PostAsync("json", Request(apiKey, jurisdiction, service));
        var (xmlStatus, xml) = await PostAsync("xml", Request(apiKey, jurisdiction, service));

        Assert.Equal((HttpStatusCode)expected, status);
        var error = JsonNode.Parse(body)!.AsArray().Single()!;
        Assert.Equal(expected, error["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(error["description"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode)expected, xmlStatus);
        Assert.Equal("errors", XDocument.Parse(xml).Root!.Name.LocalName);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_post_without_a_location_names_the_problem()
    {
        var form = Request();
        form.Remove("lat");
        form.Remove("long");
        form.Remove("address_string");

        var (status, body) = await PostAsync("json", form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("where it is", JsonNode.Parse(body)!.AsArray()[0]!["description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("&api_key=amsterdam-open311-key")]
    [InlineData("&api_key=wrong-key")]
    public async Task Requests_in_full_are_not_for_another_municipalitys_key_or_a_wrong_one(string key)
    {
        var (status, body, _) = await GetAsync($"/open311/v2/requests.json?jurisdiction_id=GM0405{key}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(403, JsonNode.Parse(body)!.AsArray()[0]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("&start_date=yesterday", "start_date")]
    [InlineData("&end_date=2026-13-45", "end_date")]
    [InlineData("&status=fixed", "status")]
    [InlineData("", "jurisdiction_id")]
    public async Task A_bad_query_parameter_is_named_in_an_Open311_error(string query, string parameter)
    {
        var jurisdiction = parameter == "jurisdiction_id" ? "" : "jurisdiction_id=GM0405&";

        var (status, body, _) = await GetAsync($"/open311/v2/requests.json?{jurisdiction}api_key=demo-open311-key{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(parameter, JsonNode.Parse(body)!.AsArray()[0]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Abuse_probe_Hoorns_key_cannot_file_into_Amsterdam()
    {
        var before = await CountInAsync("GM0363", "amsterdam-open311-key");

        var (status, body) = await PostAsync("json", Request(jurisdiction: "GM0363", service: "gladheid-amstelland.strooien-fietspaden"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("GM0405", JsonNode.Parse(body)!.AsArray()[0]!["description"]!.GetValue<string>());
        Assert.Equal(before, await CountInAsync("GM0363", "amsterdam-open311-key"));
    }

    [Fact]
    public async Task The_key_files_as_its_organisations_partner_and_the_reporter_is_contact_data_not_the_author()
    {
        var id = await FileAsync();

        // The reporter's email names no one who can act on the complaint: the municipality's staff see it with the contact as data.
        var staff = await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { municipality viewerRole reporter { name email } history { actor } } }",
            new { id }, token: await fixture.TokenAsync("admin@demo.test"));

        var complaint = staff["complaint"]!;
        Assert.Equal(("GM0405", "MUNICIPALITY_STAFF"), (complaint["municipality"]!.GetValue<string>(), complaint["viewerRole"]!.GetValue<string>()));
        Assert.Equal(("Anna de Vries", "reporter@example.test"), (complaint["reporter"]!["name"]!.GetValue<string>(), complaint["reporter"]!["email"]!.GetValue<string>()));
        Assert.DoesNotContain("reporter@example.test", complaint["history"]!.AsArray().Select(h => h!["actor"]!.GetValue<string>()));
        Assert.All(complaint["history"]!.AsArray(), h => Assert.StartsWith("partner:open311:demo-partner", h!["actor"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("control", "description")]
    [InlineData("fields", "form")]
    [InlineData("long", "form")]
    public async Task A_malformed_form_is_a_400_that_names_the_problem_and_files_nothing(string kind, string named)
    {
        var form = Request();
        switch (kind)
        {
            case "control": form["description"] = "Rubble\u0001\u0007 on the dike"; break;
            case "fields": for (var i = 0; i < 2000; i++) form[$"extra{i}"] = "x"; break;
            case "long": form["description"] = new string('x', 100_000); break;
        }
        var before = await CountAsync();

        var (status, body) = await PostAsync("json", form);
        var (xmlStatus, xml) = await PostAsync("xml", form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(named, JsonNode.Parse(body)!.AsArray()[0]!["description"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, xmlStatus);
        Assert.Equal("errors", XDocument.Parse(xml).Root!.Name.LocalName);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_multipart_form_without_a_boundary_is_a_400()
    {
        using var client = fixture.CreateClient();
        var content = new StringContent("--\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\ndemo-open311-key\r\n----");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=\"\"");

        using var response = await client.PostAsync("/open311/v2/requests.json", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()[0]!["code"]!.GetValue<int>());
    }

    private async Task<int> CountInAsync(string jurisdiction, string key) =>
        JsonNode.Parse((await GetAsync($"/open311/v2/requests.json?jurisdiction_id={jurisdiction}&api_key={key}")).Body)!.AsArray().Count;

    private async Task<int> CountAsync() =>
        JsonNode.Parse((await GetAsync("/open311/v2/requests.json?jurisdiction_id=GM0405&api_key=demo-open311-key")).Body)!.AsArray().Count;
}
