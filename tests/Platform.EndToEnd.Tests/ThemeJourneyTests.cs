using System.Text.Json;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Each municipality's portal wears its own NL Design System tokens: Amsterdam's admin chooses Amsterdam's token set and
/// Hoorn's admin Utrecht's; their portals then draw the colours those token packages define (read from the pages'
/// computed styles), a Hoorn resident sees Hoorn's look on every page, the platform's console stays neutral, every page
/// passes axe, and the token files come from the web app itself (no request leaves 127.0.0.1).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ThemeJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string Set = """
        mutation($code: String!, $theme: String!) { setPortalTheme(input: { municipalityCode: $code, theme: $theme }) { municipality { portalTheme } userErrors { message } } }
        """;

    private static Task<JsonElement> ColoursAsync(WebSession session) => session.Page.EvaluateAsync<JsonElement>("""
        () => ({
          theme: document.querySelector('[data-theme]').dataset.theme,
          header: getComputedStyle(document.querySelector('header')).backgroundColor,
          link: document.querySelector('main a') ? getComputedStyle(document.querySelector('main a')).color : null,
          button: document.querySelector('main button') ? getComputedStyle(document.querySelector('main button')).backgroundColor : null,
          component: document.querySelector('main button') ? (() => {
            const b = document.querySelector('main button'), style = getComputedStyle(b);
            return b.className.split(' ')[0] + ' ' + style.minHeight + ' ' + style.fontWeight + ' ' + style.borderTopLeftRadius;
          })() : null,
        })
        """);

    /// <summary>
    /// Opens <paramref name="path"/> until it wears <paramref name="theme"/>: the web app keeps a municipality's look for up
    /// to 10 s, so a change made through the API shows within that (one made on the console shows at once).
    /// </summary>
    private static async Task<JsonElement> WearingAsync(WebSession session, string path, string theme)
    {
        await session.GotoAsync(path);
        for (var tries = 0; tries < 12 && (await ColoursAsync(session)).GetProperty("theme").GetString() != theme; tries++)
        {
            await Task.Delay(1000);
            await session.GotoAsync(path);
        }
        return await ColoursAsync(session);
    }

    [Fact]
    public async Task Amsterdam_and_Hoorn_portals_wear_their_own_token_sets_and_the_console_stays_neutral()
    {
        var amsterdam = await platform.Tokens.UserAccessTokenAsync("admin.amsterdam@demo.test");
        var hoorn = await platform.Tokens.UserAccessTokenAsync("admin@demo.test");
        Assert.Equal("amsterdam", (await platform.GraphQLAsync(Set, new { code = "GM0363", theme = "amsterdam" }, amsterdam))["setPortalTheme"]!["municipality"]!["portalTheme"]!.GetValue<string>());
        try
        {
            // Hoorn's admin chooses Utrecht's tokens on the console.
            await using var admin = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "theme-admin");
            await admin.SignInAsync("admin@demo.test", "/console");
            await admin.ExpectAsync("section[aria-labelledby=theme]");
            await admin.Page.SelectOptionAsync("#portal-theme", "utrecht");
            await admin.Page.ClickAsync("section[aria-labelledby=theme] button[type=submit]");
            await admin.ExpectAsync("section[aria-labelledby=theme] [role=status]");
            Assert.Equal("utrecht", await admin.Page.InputValueAsync("#portal-theme"));
            await admin.CheckAsync("chosen");

            await using var visitor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "theme");
            var ams = await WearingAsync(visitor, "/t/GM0363", "amsterdam");
            await visitor.CheckAsync("amsterdam");
            var utrecht = await WearingAsync(visitor, "/?gemeente=GM0405", "utrecht");
            await visitor.CheckAsync("hoorn-utrecht");

            // As the token packages define them: Amsterdam's interactive blue #004699, Utrecht's red hsl(0 100% 40%) and blue hsl(211 60% 35%).
            Assert.Equal(("amsterdam", "rgb(0, 70, 153)", "rgb(0, 70, 153)", "rgb(0, 70, 153)"),
                (ams.GetProperty("theme").GetString(), ams.GetProperty("header").GetString(), ams.GetProperty("link").GetString(), ams.GetProperty("button").GetString()));
            Assert.Equal(("utrecht", "rgb(204, 0, 0)", "rgb(36, 87, 143)"),
                (utrecht.GetProperty("theme").GetString(), utrecht.GetProperty("header").GetString(), utrecht.GetProperty("button").GetString()));
            Assert.NotEqual(ams.GetProperty("header").GetString(), utrecht.GetProperty("header").GetString());
            // Drawn by Utrecht's component library with Utrecht's tokens as the base (the pointer target's 44 px, semibold,
            // square corners), whichever theme puts its colours on it.
            Assert.Equal("utrecht-button 44px 600 0px", utrecht.GetProperty("component").GetString());
            Assert.Equal("utrecht-button 44px 600 0px", ams.GetProperty("component").GetString());
            Assert.Contains(visitor.Requests, r => r.EndsWith("/nlds/components/index.css", StringComparison.Ordinal));
            Assert.Contains(visitor.Requests, r => r.EndsWith("/nlds/amsterdam/index.css", StringComparison.Ordinal));
            Assert.Contains(visitor.Requests, r => r.EndsWith("/nlds/utrecht/index.css", StringComparison.Ordinal));

            // A Hoorn resident sees Hoorn's look on the pages they use; Hoorn's contract manager's console is the platform's own.
            await using var resident = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "theme-resident");
            await resident.SignInAsync("citizen@demo.test", "/complaints/new");
            Assert.Equal("utrecht", (await ColoursAsync(resident)).GetProperty("theme").GetString());
            await resident.CheckAsync("file-utrecht");
            await using var manager = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "theme-console");
            await manager.SignInAsync("manager@demo.test", "/console");
            var console = await ColoursAsync(manager);
            Assert.Equal(0, await manager.Page.Locator("section[aria-labelledby=theme]").CountAsync()); // not the admin: no choice offered
            Assert.Equal(("neutral", "rgb(21, 66, 115)"), (console.GetProperty("theme").GetString(), console.GetProperty("header").GetString()));
            // The neutral look's own action colour (#0b4f8a) on the same component (the triage page's filter button).
            await manager.GotoAsync("/complaints");
            var triage = await ColoursAsync(manager);
            Assert.Equal(("neutral", "rgb(11, 79, 138)", "utrecht-button 44px 600 0px"),
                (triage.GetProperty("theme").GetString(), triage.GetProperty("button").GetString(), triage.GetProperty("component").GetString()));
        }
        finally
        {
            await platform.GraphQLAsync(Set, new { code = "GM0405", theme = "neutral" }, hoorn);
        }
    }

    [Fact]
    public async Task Hoorns_admin_gives_the_portal_its_own_colours_after_unreadable_ones_are_refused()
    {
        var hoorn = await platform.Tokens.UserAccessTokenAsync("admin@demo.test");
        try
        {
            await using var admin = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "colours-admin");
            await admin.SignInAsync("admin@demo.test", "/console");
            await admin.ExpectAsync("section[aria-labelledby=colours]");

            // White on yellow: refused at the field, in words, and the portal keeps its look.
            await admin.Page.FillAsync("#colour-brand", "#ffcc00");
            await admin.Page.FillAsync("#colour-brandText", "#ffffff");
            await admin.Page.ClickAsync("section[aria-labelledby=colours] button[type=submit]");
            await admin.ExpectAsync("#err-colour-brandText");
            Assert.Contains("4,5:1", await admin.Page.InnerTextAsync("#err-colour-brandText"));
            Assert.Equal("true", await admin.Page.GetAttributeAsync("#colour-brandText", "aria-invalid"));
            Assert.Equal("#ffcc00", await admin.Page.InputValueAsync("#colour-brand")); // what was chosen is kept
            await admin.CheckAsync("refused");
            var unchanged = await platform.GraphQLAsync("""{ municipality(code: "GM0405") { portalTheme } }""");
            Assert.NotEqual("custom", unchanged["municipality"]!["portalTheme"]!.GetValue<string>());

            // A dark green header with white text and a dark red accent: accepted, and the portal wears them.
            await admin.Page.FillAsync("#colour-brand", "#004d40");
            await admin.Page.FillAsync("#colour-accent", "#8a1538");
            await admin.Page.ClickAsync("section[aria-labelledby=colours] button[type=submit]");
            await admin.ExpectAsync("section[aria-labelledby=colours] [role=status]");
            await admin.CheckAsync("accepted");

            await using var visitor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "colours");
            var look = await WearingAsync(visitor, "/t/GM0405", "custom");
            Assert.Equal(("custom", "rgb(0, 77, 64)", "rgb(138, 21, 56)", "rgb(138, 21, 56)"),
                (look.GetProperty("theme").GetString(), look.GetProperty("header").GetString(), look.GetProperty("link").GetString(), look.GetProperty("button").GetString()));
            await visitor.CheckAsync("hoorn");
        }
        finally
        {
            await platform.GraphQLAsync(Set, new { code = "GM0405", theme = "neutral" }, hoorn);
        }
    }

    [Fact]
    public async Task Hoorns_admin_puts_a_logo_in_the_portals_header_replaces_it_and_removes_it()
    {
        var folder = Directory.CreateTempSubdirectory("logo-").FullName;
        var first = Path.Combine(folder, "hoorn.png");
        var second = Path.Combine(folder, "hoorn.jpg");
        var notAnImage = Path.Combine(folder, "logo.png");
        await File.WriteAllBytesAsync(first, Platform.Tests.Shared.TestImages.Png(240, 80));
        await File.WriteAllBytesAsync(second, Platform.Tests.Shared.TestImages.Jpeg(300, 100));
        await File.WriteAllTextAsync(notAnImage, "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
        const string Logo = """{ municipality(code: "GM0405") { portalLogo { url width height } } }""";

        await using var admin = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "logo-admin");
        await admin.SignInAsync("admin@demo.test", "/console");
        await admin.ExpectAsync("section[aria-labelledby=logo]");

        // Not an image, though named .png: refused in words, nothing stored.
        await admin.Page.SetInputFilesAsync("#logo-file", notAnImage);
        await admin.Page.ClickAsync("section[aria-labelledby=logo] button[value=upload]");
        await admin.ExpectAsync("section[aria-labelledby=logo] .alert, section[aria-labelledby=logo] [role=alert]");
        Assert.Contains("PNG", await admin.Page.InnerTextAsync("section[aria-labelledby=logo]"));
        Assert.Null((await platform.GraphQLAsync(Logo))["municipality"]!["portalLogo"]);

        await admin.Page.SetInputFilesAsync("#logo-file", first);
        await admin.Page.ClickAsync("section[aria-labelledby=logo] button[value=upload]");
        await admin.ExpectAsync("section[aria-labelledby=logo] [role=status]");
        await admin.CheckAsync("uploaded");
        var url = (await platform.GraphQLAsync(Logo))["municipality"]!["portalLogo"]!["url"]!.GetValue<string>();

        // The portal's header shows it, loaded whole from the gateway, named for the municipality.
        await using var visitor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "logo");
        await visitor.GotoAsync("/t/GM0405");
        for (var tries = 0; tries < 12 && await visitor.Page.Locator("header img.logo").CountAsync() == 0; tries++)
        {
            await Task.Delay(1000);
            await visitor.GotoAsync("/t/GM0405");
        }
        var shown = await visitor.Page.EvaluateAsync<JsonElement>("""
            async () => { const img = document.querySelector('header img.logo'); await img.decode(); return { src: img.src, width: img.naturalWidth, height: img.naturalHeight, alt: img.alt }; }
            """);
        Assert.Equal((new Uri(platform.GatewayUrl, url).ToString(), 240, 80, "Logo van Hoorn"),
            (shown.GetProperty("src").GetString(), shown.GetProperty("width").GetInt32(), shown.GetProperty("height").GetInt32(), shown.GetProperty("alt").GetString()));
        await visitor.CheckAsync("hoorn");

        // At its versioned address it is cached for a year, and asked again with its ETag it is not sent again.
        using (var read = await platform.Http.GetAsync(new Uri(platform.GatewayUrl, url)))
        {
            Assert.Equal("image/png", read.Content.Headers.ContentType!.MediaType);
            Assert.Contains("immutable", read.Headers.CacheControl!.ToString());
            using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(platform.GatewayUrl, url));
            again.Headers.IfNoneMatch.Add(read.Headers.ETag!);
            Assert.Equal(System.Net.HttpStatusCode.NotModified, (await platform.Http.SendAsync(again)).StatusCode);
        }

        // Replaced: a new address; the old one is no longer promised for a year and serves the new logo.
        await admin.GotoAsync("/console");
        await admin.Page.SetInputFilesAsync("#logo-file", second);
        await admin.Page.ClickAsync("section[aria-labelledby=logo] button[value=upload]");
        await admin.ExpectAsync("section[aria-labelledby=logo] [role=status]");
        var replaced = (await platform.GraphQLAsync(Logo))["municipality"]!["portalLogo"]!;
        Assert.NotEqual(url, replaced["url"]!.GetValue<string>());
        Assert.Equal((300, 100), (replaced["width"]!.GetValue<int>(), replaced["height"]!.GetValue<int>()));
        using (var old = await platform.Http.GetAsync(new Uri(platform.GatewayUrl, url)))
        {
            Assert.DoesNotContain("immutable", old.Headers.CacheControl!.ToString());
            Assert.Equal("image/jpeg", old.Content.Headers.ContentType!.MediaType);
        }

        // Removed: the header has no logo, and the address answers 404.
        await admin.Page.ClickAsync("section[aria-labelledby=logo] button[value=remove]");
        await admin.ExpectAsync("section[aria-labelledby=logo] [role=status]");
        Assert.Null((await platform.GraphQLAsync(Logo))["municipality"]!["portalLogo"]);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await platform.Http.GetAsync(new Uri(platform.GatewayUrl, url))).StatusCode);
        for (var tries = 0; tries < 12 && await visitor.Page.Locator("header img.logo").CountAsync() > 0; tries++)
        {
            await Task.Delay(1000);
            await visitor.GotoAsync("/t/GM0405");
        }
        Assert.Equal(0, await visitor.Page.Locator("header img.logo").CountAsync());
    }
}
