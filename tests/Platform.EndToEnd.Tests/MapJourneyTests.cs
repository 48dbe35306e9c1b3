using System.Globalization;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The maps, in a real browser against the AppHost: tiles and the address search come from the web app's local folder
/// (PlatformFixture.MapFolder), so no request leaves 127.0.0.1 (each session asserts that when it closes).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class MapJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Great-circle distance in metres (haversine), to compare places without the platform's own code.</summary>
    private static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        static double R(double d) => d * Math.PI / 180;
        var h = Math.Pow(Math.Sin(R(lat2 - lat1) / 2), 2) + Math.Cos(R(lat1)) * Math.Cos(R(lat2)) * Math.Pow(Math.Sin(R(lon2 - lon1) / 2), 2);
        return 2 * 6_371_000 * Math.Asin(Math.Sqrt(h));
    }

    [Fact]
    public async Task A_resident_finds_an_address_and_places_the_complaint_on_the_map_with_the_keyboard()
    {
        var marker = $"kaart {Guid.NewGuid():N}"[..16];
        await using var resident = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "map-keyboard");
        await resident.SignInAsync("citizen@demo.test", "/complaints/new");
        await resident.GotoAsync("/complaints/new");
        await resident.ExpectAsync("#complaint-map.leaflet-container");
        await resident.Page.FocusAsync("#description");
        await resident.Page.Keyboard.TypeAsync($"Kapotte container bij de kerk, {marker}");

        // The address search: type, Enter, and the first match has the focus; Enter chooses it.
        await KeyboardJourneyTests.TabToAsync(resident, "#address-query");
        await resident.Page.Keyboard.TypeAsync("Grote Oost 2");
        await resident.Page.Keyboard.PressAsync("Enter");
        await resident.ExpectAsync("#address-results button");
        Assert.Equal(PlatformFixture.GeocodedAddress.Label, await resident.Page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await resident.Page.Keyboard.PressAsync("Enter");
        Assert.Equal(PlatformFixture.GeocodedAddress.Label, await resident.Page.InputValueAsync("#address"));
        Assert.Equal(PlatformFixture.GeocodedAddress.Latitude, Parse(await resident.Page.InputValueAsync("#latitude")), 5);
        Assert.Equal(PlatformFixture.GeocodedAddress.Longitude, Parse(await resident.Page.InputValueAsync("#longitude")), 5);

        // The map has the focus after choosing; the arrow keys move it east, Enter places the complaint under the cross.
        Assert.True(await resident.Page.EvaluateAsync<bool>("() => document.activeElement.id === 'complaint-map'"));
        await KeyboardJourneyTests.TabToAsync(resident, "#complaint-map");
        for (var i = 0; i < 3; i++) await resident.Page.Keyboard.PressAsync("ArrowRight");
        await resident.Page.WaitForTimeoutAsync(600); // the pan animates
        await resident.Page.Keyboard.PressAsync("Enter");
        var latitude = Parse(await resident.Page.InputValueAsync("#latitude"));
        var longitude = Parse(await resident.Page.InputValueAsync("#longitude"));
        Assert.True(longitude > PlatformFixture.GeocodedAddress.Longitude, $"the cross moved east: {longitude}");
        Assert.Equal(PlatformFixture.GeocodedAddress.Latitude, latitude, 3);
        Assert.Contains(await resident.Page.InputValueAsync("#latitude"), await resident.Page.InnerTextAsync("#map-status"));
        Assert.Equal(1, await resident.Page.Locator("#complaint-map path.leaflet-interactive").CountAsync());
        await resident.CheckAsync("placed");

        await KeyboardJourneyTests.TabToAsync(resident, "main form button[type=submit]");
        await resident.Page.Keyboard.PressAsync("Enter");
        await resident.ExpectAsync(".facts .status");
        var key = resident.Page.Url.Split("/complaints/")[1].Split('?')[0];
        var complaint = await platform.GraphQLAsync("query($id: ID!) { complaint(id: $id) { description location { latitude longitude address } } }", new { id = key },
            await platform.Tokens.UserAccessTokenAsync("citizen@demo.test"));
        var location = complaint["complaint"]!["location"]!;
        Assert.Contains(marker, complaint["complaint"]!["description"]!.GetValue<string>());
        Assert.Equal((latitude, longitude, PlatformFixture.GeocodedAddress.Label),
            (location["latitude"]!.GetValue<double>(), location["longitude"]!.GetValue<double>(), location["address"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_resident_files_with_JavaScript_off_through_the_address_fields()
    {
        var marker = $"zonder js {Guid.NewGuid():N}"[..20];
        await using var resident = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "map-no-js", javaScript: false);
        await resident.SignInAsync("citizen@demo.test", "/complaints/new");
        await resident.GotoAsync("/complaints/new");
        await resident.ExpectAsync("#address");

        // Without the script the map and its search stay hidden; the fields are all there is, and all that is needed.
        Assert.False(await resident.Page.IsVisibleAsync("#complaint-map"));
        Assert.False(await resident.Page.IsVisibleAsync("#address-query"));
        await resident.Page.FillAsync("#description", $"Glasbak vol, {marker}");
        await resident.Page.FillAsync("#address", "Kerkplein 1, Hoorn");
        await resident.Page.FillAsync("#latitude", "52,6418");
        await resident.Page.FillAsync("#longitude", "5,0594");
        await resident.Page.ClickAsync("main form button[type=submit]");
        await resident.ExpectAsync(".facts .status");
        await resident.Page.ScreenshotAsync(new() { Path = Path.Combine(browser.ScreenshotFolder, "map-no-js-01-filed.png"), FullPage = true });

        var key = resident.Page.Url.Split("/complaints/")[1].Split('?')[0];
        var complaint = await platform.GraphQLAsync("query($id: ID!) { complaint(id: $id) { description location { latitude longitude address } } }", new { id = key },
            await platform.Tokens.UserAccessTokenAsync("citizen@demo.test"));
        Assert.Contains(marker, complaint["complaint"]!["description"]!.GetValue<string>());
        Assert.Equal((52.6418, 5.0594, "Kerkplein 1, Hoorn"), (complaint["complaint"]!["location"]!["latitude"]!.GetValue<double>(),
            complaint["complaint"]!["location"]!["longitude"]!.GetValue<double>(), complaint["complaint"]!["location"]!["address"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_public_map_shows_a_new_report_rounded_and_without_its_text()
    {
        var secret = $"Achter schuur nummer {Guid.NewGuid():N}";
        const double latitude = 52.65123, longitude = 5.04987;
        var filed = await platform.GraphQLAsync("""
            mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } userErrors { message } } }
            """, new { input = new { arrangementId = "afval-nhn", serviceCode = "grofvuil", description = secret, location = new { latitude, longitude, address = "Geheime Steeg 7, Hoorn" } } },
            await platform.Tokens.UserAccessTokenAsync("citizen@demo.test"));
        var key = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();

        await using var visitor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "public-map");
        await visitor.GotoAsync("/reports?gemeente=GM0405");
        await visitor.ExpectAsync("#reports-map.leaflet-container");
        var row = visitor.Page.Locator($"tr[data-report='{key}']");
        var shownLatitude = Parse((await row.GetAttributeAsync("data-report-lat"))!);
        var shownLongitude = Parse((await row.GetAttributeAsync("data-report-lon"))!);

        Assert.NotEqual((latitude, longitude), (shownLatitude, shownLongitude));
        Assert.InRange(Metres(latitude, longitude, shownLatitude, shownLongitude), 0.5, 40);
        var html = await visitor.Page.ContentAsync();
        Assert.DoesNotContain(secret, html);
        Assert.DoesNotContain("Geheime Steeg", html);
        Assert.DoesNotContain("citizen@demo.test", html);
        Assert.Contains("Grof", await row.InnerTextAsync());
        Assert.True(await visitor.Page.Locator("#reports-map path.leaflet-interactive").CountAsync() >= 1);
        // The map's marker for it stands at the rounded place too: Leaflet draws the rows' places, nothing else.
        Assert.Equal(await visitor.Page.Locator("tr[data-report-lat]").CountAsync(), await visitor.Page.Locator("#reports-map path.leaflet-interactive").CountAsync());
        await visitor.CheckAsync("hoorn");

        // On a phone's width the table and the map still pass axe.
        await using var phone = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "public-map-320", 320);
        await phone.GotoAsync("/t/GM0405/reports?open=true");
        await phone.ExpectAsync($"tr[data-report='{key}']");
        await phone.CheckAsync("hoorn-open");
    }

    /// <summary>The demo resident fills the form for bulky waste at a place and sends it, which shows the open reports nearby first.</summary>
    private static async Task FileNextToAsync(WebSession resident, string description, string latitude, string longitude)
    {
        await resident.SignInAsync("citizen@demo.test", "/complaints/new");
        await resident.GotoAsync("/complaints/new");
        await resident.ExpectAsync("#address");
        await resident.Page.SelectOptionAsync("#service", "afval-nhn|grofvuil");
        await resident.Page.FillAsync("#description", description);
        await resident.Page.FillAsync("#latitude", latitude);
        await resident.Page.FillAsync("#longitude", longitude);
        await resident.Page.ClickAsync("main form button[type=submit]:not([name])");
        await resident.ExpectAsync("#nearby");
    }

    [Fact]
    public async Task A_resident_filing_next_to_an_open_report_of_the_same_service_is_shown_it_first_and_may_file_anyway()
    {
        var citizen = await platform.Tokens.UserAccessTokenAsync("citizen@demo.test");
        var earlier = await platform.GraphQLAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: "Bank op de stoep", location: { latitude: 52.6300, longitude: 5.0400 } }) { complaint { key } } }
            """, token: citizen);
        var earlierKey = earlier["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        const string Mine = "query { complaints(first: 100) { nodes { key } } }";
        var before = (await platform.GraphQLAsync(Mine, token: citizen))["complaints"]!["nodes"]!.AsArray().Count;

        await using var resident = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "map-nearby");
        await FileNextToAsync(resident, "Een bank en twee stoelen naast de container", "52.6301", "5.0401");

        // Shown the open report (13 m away; measured to its rounded place, so within 75 m), with a link to it on the public
        // list; nothing filed yet, the form kept.
        var notice = await resident.Page.InnerTextAsync("#nearby");
        var metres = int.Parse(System.Text.RegularExpressions.Regex.Match(notice, @"ongeveer (\d+) m").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(metres, 0, 75);
        Assert.EndsWith($"#report-{earlierKey}", await resident.Page.GetAttributeAsync("#nearby a", "href"));
        Assert.Equal("52.6301", await resident.Page.InputValueAsync("#latitude"));
        Assert.Equal(before, (await platform.GraphQLAsync(Mine, token: citizen))["complaints"]!["nodes"]!.AsArray().Count);
        await resident.CheckAsync("shown");

        // Their own report: no button to follow it (its changes reach them already).
        Assert.Equal(0, await resident.Page.Locator("#nearby button[name='Form.Follow']").CountAsync());

        // It is something else after all: filed anyway.
        await resident.Page.ClickAsync("#nearby button[name='Form.FileAnyway']");
        await resident.ExpectAsync(".facts .status");
        Assert.Equal(before + 1, (await platform.GraphQLAsync(Mine, token: citizen))["complaints"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_resident_follows_an_open_report_nearby_instead_of_filing_and_stops_following_it_from_their_account()
    {
        // Filed by the municipality's own system for someone else, next to where the resident will file.
        var partner = await platform.Tokens.AccessTokenAsync("demo-partner", "demo-partner-secret");
        var earlier = await platform.GraphQLAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: "Matras bij de glasbak", location: { latitude: 52.6350, longitude: 5.0450 } }) { complaint { key } } }
            """, token: partner);
        var key = earlier["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        var citizen = await platform.Tokens.UserAccessTokenAsync("citizen@demo.test");
        const string Mine = "query { complaints(first: 100) { nodes { key } } }";
        const string Followed = "{ followedReports { key } }";
        var before = (await platform.GraphQLAsync(Mine, token: citizen))["complaints"]!["nodes"]!.AsArray().Count;

        await using var resident = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "map-follow");
        await FileNextToAsync(resident, "Er ligt een matras naast de glasbak", "52.6351", "5.0451");

        // The same thing: followed instead of filed again.
        await resident.Page.ClickAsync($"#nearby button[name='Form.Follow'][value='{key}']");
        await resident.ExpectAsync("#followed");
        await resident.CheckAsync("followed");
        Assert.Equal(before, (await platform.GraphQLAsync(Mine, token: citizen))["complaints"]!["nodes"]!.AsArray().Count);
        Assert.Contains(key, (await platform.GraphQLAsync(Followed, token: citizen))["followedReports"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));

        // Listed on the account page, where they stop following it.
        await resident.Page.ClickAsync("#followed ~ p a");
        await resident.ExpectAsync($"section[aria-labelledby=followed] button[value='{key}']");
        await resident.CheckAsync("account-followed");
        await resident.Page.ClickAsync($"section[aria-labelledby=followed] button[value='{key}']");
        await resident.ExpectAsync("section[aria-labelledby=followed] p[role=status]");
        Assert.Equal(0, await resident.Page.Locator($"section[aria-labelledby=followed] button[value='{key}']").CountAsync());
        Assert.DoesNotContain(key, (await platform.GraphQLAsync(Followed, token: citizen))["followedReports"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));
    }
}
