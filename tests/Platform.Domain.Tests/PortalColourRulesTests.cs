using Platform.Domain.Municipalities;

namespace Platform.Domain.Tests;

public sealed class PortalColourRulesTests
{
    [Theory]
    // WCAG's own reference points: black on white is 21:1, a colour on itself 1:1; #767676 is the lightest grey that
    // reaches 4.5:1 on white and #777777 just misses it (4.48:1).
    [InlineData("#000000", "#ffffff", 21.0)]
    [InlineData("#ffffff", "#ffffff", 1.0)]
    [InlineData("#767676", "#ffffff", 4.54)]
    [InlineData("#777777", "#ffffff", 4.48)]
    [InlineData("#ff0000", "#ffffff", 4.0)]
    [InlineData("#0000ff", "#ffffff", 8.59)]
    public void Contrast_ratios_match_the_WCAG_reference_values(string a, string b, double expected)
    {
        Assert.Equal(expected, PortalColourRules.ContrastRatio(a, b), 2);
        Assert.Equal(PortalColourRules.ContrastRatio(a, b), PortalColourRules.ContrastRatio(b, a), 10);
    }

    [Fact]
    public void Readable_colours_are_accepted_and_kept_in_lower_case()
    {
        var colours = new PortalColours("#004D40", "#FFFFFF", "#8a1538");
        Assert.Empty(PortalColourRules.Validate(colours));
        Assert.Equal(new PortalColours("#004d40", "#ffffff", "#8a1538"), colours.Normalized());
    }

    [Fact]
    public void White_on_yellow_is_refused_with_its_ratio_named()
    {
        var error = Assert.Single(PortalColourRules.Validate(new PortalColours("#ffcc00", "#ffffff", "#0b4f8a")));
        Assert.Equal(("brandText", "INSUFFICIENT_CONTRAST"), (error.Field, error.Code));
        Assert.Contains("1.5", error.Message);
        Assert.Contains("4.5:1", error.Message);
    }

    [Fact]
    public void A_light_accent_is_refused_because_links_sit_on_white()
    {
        var error = Assert.Single(PortalColourRules.Validate(new PortalColours("#154273", "#ffffff", "#777777")));
        Assert.Equal(("accent", "INSUFFICIENT_CONTRAST"), (error.Field, error.Code));
        // Rounded down in the message (4.478…), so a ratio just below the minimum never reads as 4.50.
        Assert.Contains("4.47:1", error.Message);
    }

    [Theory]
    [InlineData("", "#ffffff", "#0b4f8a", "brand", "REQUIRED")]
    [InlineData("red", "#ffffff", "#0b4f8a", "brand", "INVALID_FORMAT")]
    [InlineData("#154273", "#fff", "#0b4f8a", "brandText", "INVALID_FORMAT")]
    [InlineData("#154273", "#ffffff", "#0b4f8a; background: url(x)", "accent", "INVALID_FORMAT")]
    [InlineData("#154273", "#ffffff", "#12345g", "accent", "INVALID_FORMAT")]
    public void A_colour_that_is_not_rrggbb_is_named(string brand, string brandText, string accent, string field, string code)
    {
        var error = Assert.Single(PortalColourRules.Validate(new PortalColours(brand, brandText, accent)));
        Assert.Equal((field, code), (error.Field, error.Code));
    }

    [Fact]
    public void No_colours_at_all_are_named() => Assert.Equal("REQUIRED", Assert.Single(PortalColourRules.Validate(null)).Code);
}
