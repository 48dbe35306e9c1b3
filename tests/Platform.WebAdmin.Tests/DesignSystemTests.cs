using System.Net;
using System.Text.RegularExpressions;
using Platform.Tests.Shared;

namespace Platform.WebAdmin.Tests;

/// <summary>
/// The portal is built from the NL Design System's components: Utrecht's component library and its token set are served by
/// the web app itself and loaded by every page, and every control the pages draw carries its component's class (a button
/// without one would fall back to the browser's grey box). The rendered pages are read through the real web app; the
/// markup of every page is read from its source, so a control added without its class fails here and not only in a
/// screenshot.
/// </summary>
public sealed partial class DesignSystemTests(GatewayDownTests.WebApp app) : IClassFixture<GatewayDownTests.WebApp>
{
    [GeneratedRegex("""<link rel="stylesheet" href="(/nlds/[^"]+)"\s*/?>""")]
    private static partial Regex StyleSheet();

    [GeneratedRegex("""<(button|select|textarea|table|input)\b([^>]*)>""")]
    private static partial Regex Control();

    [Fact]
    public async Task Every_page_loads_the_component_library_and_its_tokens_from_the_app_itself()
    {
        using var client = app.CreateClient();
        var html = await client.GetStringAsync("/apply");

        var sheets = StyleSheet().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/nlds/components/index.css", "/nlds/utrecht/index.css"], sheets);
        using var components = await client.GetAsync("/nlds/components/index.css");
        Assert.Equal(HttpStatusCode.OK, components.StatusCode);
        Assert.Contains(".utrecht-button--primary-action", await components.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var tokens = await client.GetAsync("/nlds/utrecht/index.css");
        Assert.Contains("--utrecht-button-primary-action-background-color", await tokens.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The neutral portal wears Utrecht's tokens as its base, with its own colours on them (app.css).
        Assert.Contains("class=\"portal utrecht-theme\"", html, StringComparison.Ordinal);
        Assert.Matches("""<button class="utrecht-button utrecht-button--primary-action" type="submit">""", html);
        Assert.Contains("""<input class="utrecht-textbox utrecht-textbox--html-input" id="code" """, html, StringComparison.Ordinal);
    }

    public static TheoryData<string> Pages()
    {
        var folder = Path.Combine(Repository.Root, "web-admin", "Platform.WebAdmin", "Components");
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.razor", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(folder, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_control_on_a_page_carries_its_component_class(string page)
    {
        var source = File.ReadAllText(Path.Combine(Repository.Root, "web-admin", "Platform.WebAdmin", "Components", page));
        var bare = new List<string>();
        foreach (Match control in Control().Matches(source))
        {
            var (tag, attributes) = (control.Groups[1].Value, control.Groups[2].Value);
            var expected = tag switch
            {
                "button" when attributes.Contains("class=\"link\"", StringComparison.Ordinal) => null, // a link in the header's words
                "button" => "utrecht-button",
                "select" => "utrecht-select",
                "textarea" => "utrecht-textarea",
                "table" => "utrecht-table",
                _ when Regex.IsMatch(attributes, """type="(hidden|checkbox|radio|file|color)""") => null, // the browser's own control
                _ => "utrecht-textbox",
            };
            if (expected is not null && !attributes.Contains(expected, StringComparison.Ordinal)) bare.Add(control.Value);
        }
        Assert.True(bare.Count == 0, $"{page}: controls without their NL Design System class:\n{string.Join("\n", bare)}");
    }
}
