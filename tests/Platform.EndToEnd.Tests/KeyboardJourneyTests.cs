using System.Text.Json;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// WCAG 2.1.1 (keyboard): a resident signs in and files a complaint, and a board member signs in and votes, with the
/// keyboard alone. Every step moves the focus with Tab (or Shift+Tab) until the element it needs has it, and acts with
/// typing, arrow keys, Space and Enter; the test never clicks, and fails when the focus cannot reach an element in 60 steps
/// (a control the keyboard cannot reach, or a focus trap). The visible focus is checked on the way: the focused element
/// must draw an outline.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KeyboardJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task A_resident_files_a_complaint_and_a_board_member_votes_without_a_mouse()
    {
        var marker = $"toetsenbord {Guid.NewGuid():N}"[..20];
        await using var resident = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "keyboard");
        await resident.GotoAsync("/");
        await SignInAsync(resident, "citizen@demo.test");
        await TabToAsync(resident, "header nav a[href='/complaints/new']");
        await resident.Page.Keyboard.PressAsync("Enter");
        await resident.ExpectAsync("#description");
        await TabToAsync(resident, "#service");
        // A select follows the keys typed on it: the first option whose label starts with them.
        var wanted = await resident.Page.EvaluateAsync<string>("() => [...document.querySelectorAll('#service option')].find(o => o.value === 'afval-nhn|grofvuil').label");
        await resident.Page.Keyboard.TypeAsync(wanted);
        Assert.Equal("afval-nhn|grofvuil", await resident.Page.InputValueAsync("#service"));
        await TabToAsync(resident, "#description");
        await resident.Page.Keyboard.TypeAsync($"Matras naast de container, {marker}");
        await TabToAsync(resident, "#address");
        await resident.Page.Keyboard.TypeAsync("Kerkplein 1, Hoorn");
        await TabToAsync(resident, "main form button[type=submit]");
        await resident.Page.Keyboard.PressAsync("Enter");
        await resident.ExpectAsync(".facts .status");
        await resident.CheckAsync("filed");
        Assert.Contains(marker, await resident.Page.InnerTextAsync("main"));

        // A proposal to vote on (made through the API: proposing has its own journeys).
        var board = await platform.Tokens.UserAccessTokenAsync("board@demo.test");
        var effective = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60).ToString("yyyy-MM-dd");
        var proposed = await platform.GraphQLAsync("""
            mutation($effective: Date!, $title: String!) { proposeChange(input: { arrangementId: "afval-nhn", kind: TARIFF_CHANGE, title: $title,
              motivation: "Minder bijplaatsingen als het goedkoper is.", effectiveDate: $effective,
              tariff: { serviceCode: "grofvuil", amount: 12.00, unitQuantity: 1, unitMeasure: "m³" } }) { proposal { key phase } userErrors { message } } }
            """, new { effective, title = $"Grofvuil € 12 per m³ ({marker})" }, board);
        var key = proposed["proposeChange"]!["proposal"]!["key"]!.GetValue<string>();
        Assert.Equal("VOTING", proposed["proposeChange"]!["proposal"]!["phase"]!.GetValue<string>());

        await using var member = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "keyboard-vote");
        await member.GotoAsync($"/proposals/{key}");
        await SignInAsync(member, "board@demo.test");
        await member.ExpectAsync("section[aria-labelledby=vote]");
        await TabToAsync(member, "#vote-YES");
        // In a radio group the arrow keys choose: from YES, one down is NO.
        await member.Page.Keyboard.PressAsync("ArrowDown");
        Assert.True(await member.Page.IsCheckedAsync("#vote-NO"));
        await member.Page.Keyboard.PressAsync("ArrowUp");
        Assert.True(await member.Page.IsCheckedAsync("#vote-YES"));
        await TabToAsync(member, "section[aria-labelledby=vote] button[type=submit]");
        await member.Page.Keyboard.PressAsync("Enter");
        await member.ExpectAsync("[role=status]");
        await member.CheckAsync("voted");

        var votes = await platform.GraphQLAsync("query($id: ID!) { proposal(id: $id) { votes { municipalityCode choice } } }", new { id = key });
        Assert.Equal([("GM0405", "YES")], votes["proposal"]!["votes"]!.AsArray().Select(v => (v!["municipalityCode"]!.GetValue<string>(), v["choice"]!.GetValue<string>())));
    }

    /// <summary>From the page's header, Tab to "sign in", Enter, and fill the identity server's form by keyboard.</summary>
    private static async Task SignInAsync(WebSession session, string email)
    {
        await TabToAsync(session, "header a[href^='/account/signin']");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.ExpectAsync("#email");
        await TabToAsync(session, "#email");
        await session.Page.Keyboard.TypeAsync(email);
        await TabToAsync(session, "#password");
        await session.Page.Keyboard.TypeAsync("Demo!2345");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.Page.WaitForURLAsync(url => url.StartsWith(session.Page.Url.Split("/account")[0], StringComparison.Ordinal) && !url.Contains("/account/login", StringComparison.Ordinal));
        await session.ExpectAsync("header a.who");
    }

    /// <summary>Presses Tab until <paramref name="selector"/> has the focus (and shows it), starting from where the focus is.</summary>
    internal static async Task TabToAsync(WebSession session, string selector)
    {
        for (var step = 0; step < 60; step++)
        {
            var focus = await session.Page.EvaluateAsync<JsonElement>("""
                (selector) => {
                  const e = document.activeElement;
                  if (!e || !e.matches(selector)) return { here: false, what: e ? e.outerHTML.slice(0, 80) : '' };
                  const s = getComputedStyle(e);
                  return { here: true, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 };
                }
                """, selector);
            if (focus.GetProperty("here").GetBoolean())
            {
                Assert.True(focus.GetProperty("outline").GetBoolean(), $"{selector} has the focus but shows no outline");
                return;
            }
            await session.Page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab did not reach {selector} in 60 steps at {session.Page.Url}");
    }
}
