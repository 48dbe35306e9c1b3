namespace Platform.Gateway.Tests;

/// <summary>A municipality's admin chooses its portal's look (an NL Design System token set); nobody else does, and a wrong name changes nothing.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PortalThemeTests(GatewayFixture fixture)
{
    private const string Set = """
        mutation($code: String!, $theme: String!) { setPortalTheme(input: { municipalityCode: $code, theme: $theme }) { municipality { code portalTheme } userErrors { field code message } } }
        """;

    private async Task<string> ThemeAsync(string code) =>
        (await fixture.DataAsync("query($code: String!) { municipality(code: $code) { portalTheme } }", new { code }))["municipality"]!["portalTheme"]!.GetValue<string>();

    [Fact]
    public async Task Hoorns_admin_chooses_a_token_set_everyone_sees_it_and_wrong_names_and_other_callers_change_nothing()
    {
        var admin = await fixture.TokenAsync("admin@demo.test");
        var set = (await fixture.DataAsync(Set, new { code = "GM0405", theme = "denhaag" }, token: admin))["setPortalTheme"]!;
        Assert.Empty(set["userErrors"]!.AsArray());
        Assert.Equal("denhaag", set["municipality"]!["portalTheme"]!.GetValue<string>());
        Assert.Equal("denhaag", await ThemeAsync("GM0405")); // public: the portal reads it signed out

        foreach (var (who, code, theme, field, error) in new[]
                 {
                     ("admin@demo.test", "GM0405", "rotterdam", "theme", "INVALID_FORMAT"),
                     ("admin@demo.test", "GM0405", "", "theme", "REQUIRED"),
                     ("admin@demo.test", "0405", "utrecht", "municipalityCode", "INVALID_FORMAT"),
                 })
        {
            var refused = (await fixture.DataAsync(Set, new { code, theme }, token: await fixture.TokenAsync(who)))["setPortalTheme"]!;
            var e = Assert.Single(refused["userErrors"]!.AsArray());
            Assert.Equal((field, error), (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()));
            Assert.Null(refused["municipality"]);
        }
        // Another municipality's admin, Hoorn's contract manager, a resident, nobody: refused as the API refuses access.
        foreach (var (who, code, status) in new[]
                 {
                     ("admin@demo.test", "GM0363", System.Net.HttpStatusCode.Forbidden), ("manager@demo.test", "GM0405", System.Net.HttpStatusCode.Forbidden),
                     ("citizen@demo.test", "GM0405", System.Net.HttpStatusCode.Forbidden), (null, "GM0405", System.Net.HttpStatusCode.Unauthorized),
                 })
        {
            var (answer, body) = await fixture.PostAsync(Set, new { code, theme = "utrecht" }, token: who is null ? null : await fixture.TokenAsync(who));
            Assert.True(answer == status, $"{who} on {code}: {(int)answer} {body}");
        }
        Assert.Contains("choose neutral, utrecht, amsterdam, denhaag",
            (await fixture.DataAsync(Set, new { code = "GM0405", theme = "rotterdam" }, token: admin))["setPortalTheme"]!["userErrors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("denhaag", await ThemeAsync("GM0405"));
        Assert.Equal("neutral", await ThemeAsync("GM0363"));
        // Each municipality says who may choose its look, by the same rule.
        const string Can = "query($code: String!) { municipality(code: $code) { viewerCan { setPortalTheme } } }";
        foreach (var (who, code, may) in new[] { ("admin@demo.test", "GM0405", true), ("admin@demo.test", "GM0363", false), ("manager@demo.test", "GM0405", false), ("admin.amsterdam@demo.test", "GM0363", true) })
        {
            var can = await fixture.DataAsync(Can, new { code }, token: await fixture.TokenAsync(who));
            Assert.True(can["municipality"]!["viewerCan"]!["setPortalTheme"]!.GetValue<bool>() == may, $"{who} on {code}");
        }

        var back = (await fixture.DataAsync(Set, new { code = "GM0405", theme = "neutral" }, token: admin))["setPortalTheme"]!;
        Assert.Empty(back["userErrors"]!.AsArray());
        Assert.Equal("neutral", await ThemeAsync("GM0405"));
        var history = await fixture.DataAsync("""{ municipality(code: "GM0405") { history { action detail } } }""", token: admin);
        Assert.Equal(["denhaag", "neutral"], history["municipality"]!["history"]!.AsArray().Where(h => h!["action"]!.GetValue<string>() == "portal-theme-set").Select(h => h!["detail"]!.GetValue<string>()));
    }
}

/// <summary>A municipality's own colours: accepted only when readable (4.5:1), refused with nothing changed otherwise.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PortalColourTests(GatewayFixture fixture)
{
    private const string SetColours = """
        mutation($code: String!, $brand: String!, $brandText: String!, $accent: String!) {
          setPortalColours(input: { municipalityCode: $code, brand: $brand, brandText: $brandText, accent: $accent }) {
            municipality { portalTheme portalColours { brand brandText accent } } userErrors { field code message } } }
        """;

    private const string SetTheme = """
        mutation($code: String!, $theme: String!) { setPortalTheme(input: { municipalityCode: $code, theme: $theme }) { municipality { portalTheme } userErrors { field code message } } }
        """;

    private async Task<string> LookAsync(string code) =>
        (await fixture.DataAsync("query($code: String!) { municipality(code: $code) { portalTheme portalColours { brand brandText accent } } }", new { code }))["municipality"]!.ToJsonString();

    // Amsterdam's, so that the theme tests on Hoorn keep their own history; set back to neutral at the end.
    [Fact]
    public async Task Amsterdams_admin_gives_readable_colours_unreadable_ones_change_nothing_and_others_are_refused()
    {
        var admin = await fixture.TokenAsync("admin.amsterdam@demo.test");
        try
        {
            // Before any colours, "custom" is not offered and cannot be chosen.
            Assert.DoesNotContain("custom", await ChoicesAsync("GM0363"));
            Assert.Contains("amsterdam", await ChoicesAsync("GM0363"));
            var early = (await fixture.DataAsync(SetTheme, new { code = "GM0363", theme = "custom" }, token: admin))["setPortalTheme"]!;
            Assert.Equal("theme", Assert.Single(early["userErrors"]!.AsArray())!["field"]!.GetValue<string>());

            var set = (await fixture.DataAsync(SetColours, new { code = "GM0363", brand = "#004D40", brandText = "#ffffff", accent = "#8a1538" }, token: admin))["setPortalColours"]!;
            Assert.Empty(set["userErrors"]!.AsArray());
            Assert.Equal(("custom", "#004d40", "#8a1538"), (set["municipality"]!["portalTheme"]!.GetValue<string>(),
                set["municipality"]!["portalColours"]!["brand"]!.GetValue<string>(), set["municipality"]!["portalColours"]!["accent"]!.GetValue<string>()));
            var accepted = await LookAsync("GM0363");
            Assert.Contains("custom", await ChoicesAsync("GM0363"));

            foreach (var (brand, text, accent, field, code) in new[]
                     {
                         ("#ffcc00", "#ffffff", "#8a1538", "brandText", "INSUFFICIENT_CONTRAST"),
                         ("#004d40", "#ffffff", "#aaaaaa", "accent", "INSUFFICIENT_CONTRAST"),
                         ("teal", "#ffffff", "#8a1538", "brand", "INVALID_FORMAT"),
                         ("#004d40", "", "#8a1538", "brandText", "REQUIRED"),
                         ("#004d40", "#ffffff", "#8a1538;}body{display:none", "accent", "INVALID_FORMAT"),
                     })
            {
                var refused = (await fixture.DataAsync(SetColours, new { code = "GM0363", brand, brandText = text, accent }, token: admin))["setPortalColours"]!;
                var e = Assert.Single(refused["userErrors"]!.AsArray());
                Assert.Equal((field, code), (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()));
                Assert.Null(refused["municipality"]);
                Assert.Equal(accepted, await LookAsync("GM0363"));
            }
            // The ratio is named in the API's words.
            var yellow = (await fixture.DataAsync(SetColours, new { code = "GM0363", brand = "#ffcc00", brandText = "#ffffff", accent = "#8a1538" }, token: admin))["setPortalColours"]!;
            Assert.Contains("at least 4.5:1", yellow["userErrors"]![0]!["message"]!.GetValue<string>());

            // Another municipality's admin, Amsterdam's resident, nobody: refused as access is refused; nothing changed.
            foreach (var (who, status) in new[] { ("admin@demo.test", System.Net.HttpStatusCode.Forbidden), ("citizen.amsterdam@demo.test", System.Net.HttpStatusCode.Forbidden), ((string?)null, System.Net.HttpStatusCode.Unauthorized) })
            {
                var (answer, body) = await fixture.PostAsync(SetColours, new { code = "GM0363", brand = "#000000", brandText = "#ffffff", accent = "#000000" },
                    token: who is null ? null : await fixture.TokenAsync(who));
                Assert.True(answer == status, $"{who}: {(int)answer} {body}");
            }
            Assert.Equal(accepted, await LookAsync("GM0363"));

            // A token set and back to its own colours, which were kept.
            Assert.Empty((await fixture.DataAsync(SetTheme, new { code = "GM0363", theme = "amsterdam" }, token: admin))["setPortalTheme"]!["userErrors"]!.AsArray());
            var back = (await fixture.DataAsync(SetTheme, new { code = "GM0363", theme = "custom" }, token: admin))["setPortalTheme"]!;
            Assert.Empty(back["userErrors"]!.AsArray());
            Assert.Equal(accepted, await LookAsync("GM0363"));
        }
        finally
        {
            await fixture.DataAsync(SetTheme, new { code = "GM0363", theme = "neutral" }, token: admin);
        }
    }

    private async Task<string[]> ChoicesAsync(string code) =>
        [.. (await fixture.DataAsync("query($code: String!) { municipality(code: $code) { portalThemeChoices } }", new { code }))["municipality"]!["portalThemeChoices"]!
            .AsArray().Select(n => n!.GetValue<string>())];
}
