using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class MunicipalityRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    [Theory]
    [InlineData("GM0363", true)]
    [InlineData("GM1911", true)]
    [InlineData("gm0363", false)]
    [InlineData("GM363", false)]
    [InlineData("GM03630", false)]
    [InlineData("0363", false)]
    [InlineData("", false)]
    public void A_CBS_code_is_GM_and_four_digits(string code, bool valid)
    {
        Assert.Equal(valid, MunicipalityCode.IsValid(code));
    }

    [Fact]
    public void Codes_are_normalised_before_they_are_checked()
    {
        Assert.Equal("GM0363", MunicipalityCode.Normalize(" gm0363 "));
        Assert.Equal("", MunicipalityCode.Normalize(null));
    }

    [Fact]
    public void A_complete_profile_passes()
    {
        Assert.Empty(OnboardingRules.Validate("GM0363", "Amsterdam", 931_300, new(2024, 1, 1), Today));
    }

    [Fact]
    public void Every_broken_rule_of_a_profile_is_named()
    {
        var errors = OnboardingRules.Validate("XX01", " ", 0, null, Today);

        Assert.Equal(["code", "name", "inhabitants", "inhabitantsReferenceDate"], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_reference_date_in_the_future_is_refused()
    {
        var error = Assert.Single(OnboardingRules.Validate("GM0363", "Amsterdam", 10, Today.AddDays(1), Today));

        Assert.Equal(ViolationCodes.OutOfRange, error.Code);
    }

    [Fact]
    public void A_name_longer_than_allowed_is_refused()
    {
        var error = Assert.Single(OnboardingRules.Validate("GM0363", new string('a', OnboardingRules.MaxNameLength + 1), 10, new(2024, 1, 1), Today));

        Assert.Equal(ViolationCodes.TooLong, error.Code);
    }

    [Theory]
    [InlineData(74_700, 8)]
    [InlineData(70_000, 7)]
    [InlineData(70_001, 8)]
    [InlineData(3, 1)]
    public void By_inhabitants_each_started_block_is_a_vote(int inhabitants, int weight)
    {
        Assert.Equal(weight, VoteWeightRule.PerInhabitants(10_000).WeightOf(inhabitants));
    }

    [Fact]
    public void One_per_member_ignores_inhabitants()
    {
        Assert.Equal(1, VoteWeightRule.OnePerMember.WeightOf(931_300));
    }

    [Fact]
    public void Service_codes_are_checked_for_format_and_duplicates()
    {
        var errors = new List<RuleViolation>();
        ServiceCatalogue.Validate(errors, [new("bouwpuin", "Debris"), new("Bouw Puin", "x"), new("bouwpuin", "again"), new("ok", "")]);

        Assert.Equal(
            [("services[1].code", ViolationCodes.InvalidFormat), ("services[2].code", ViolationCodes.Duplicate), ("services[3].name", ViolationCodes.Required)],
            errors.Select(e => (e.Field, e.Code)));
    }

    [Theory]
    [InlineData("2026-06-30T22:30:00Z", "2026-07-01")] // summer time, UTC+2
    [InlineData("2026-12-31T22:59:59Z", "2026-12-31")] // winter time, UTC+1
    [InlineData("2026-12-31T23:00:00Z", "2027-01-01")]
    public void Dates_that_take_effect_are_dates_in_Amsterdam(string instant, string date)
    {
        Assert.Equal(DateOnly.Parse(date), AmsterdamCalendar.DateOf(DateTimeOffset.Parse(instant)));
    }

    [Theory]
    [InlineData("2026-07-15", "2026-07-15T23:59:59+02:00")]
    [InlineData("2026-12-15", "2026-12-15T23:59:59+01:00")]
    [InlineData("2026-03-29", "2026-03-29T23:59:59+02:00")] // the night summer time starts
    public void A_promised_day_ends_at_midnight_in_Amsterdam(string date, string end)
    {
        var actual = AmsterdamCalendar.EndOf(DateOnly.Parse(date));
        Assert.Equal(DateTimeOffset.Parse(end), actual);
        Assert.Equal(DateTimeOffset.Parse(end).Offset, actual.Offset);
        Assert.Equal(DateOnly.Parse(date), AmsterdamCalendar.DateOf(actual));
        Assert.NotEqual(DateOnly.Parse(date), AmsterdamCalendar.DateOf(actual.AddSeconds(1)));
    }

    [Theory]
    [InlineData("neutral", null)]
    [InlineData("utrecht", null)]
    [InlineData("amsterdam", null)]
    [InlineData("denhaag", null)]
    [InlineData("Amsterdam", ViolationCodes.InvalidFormat)]
    [InlineData("rotterdam", ViolationCodes.InvalidFormat)]
    [InlineData(" ", ViolationCodes.Required)]
    [InlineData(null, ViolationCodes.Required)]
    public void A_portal_theme_is_one_of_the_token_sets_the_portal_hosts(string? theme, string? error)
    {
        var violations = PortalThemes.Validate(theme, hasColours: false);
        Assert.Equal(error, violations.SingleOrDefault()?.Code);
        Assert.All(violations, v => Assert.Equal("theme", v.Field));
    }

    [Fact]
    public void A_long_unknown_theme_is_named_shortened()
    {
        var message = Assert.Single(PortalThemes.Validate(new string('x', 500) + "\u0007", hasColours: false)).Message;
        Assert.True(message.Length < 150, message);
        Assert.DoesNotContain('\u0007', message);
    }

    [Fact]
    public void Its_own_colours_are_a_choice_only_once_it_has_given_them()
    {
        Assert.DoesNotContain(PortalColours.Theme, PortalThemes.Choosable(hasColours: false));
        Assert.Contains(PortalColours.Theme, PortalThemes.Choosable(hasColours: true));
        Assert.Equal(ViolationCodes.InvalidFormat, Assert.Single(PortalThemes.Validate(PortalColours.Theme, hasColours: false)).Code);
        Assert.Empty(PortalThemes.Validate(PortalColours.Theme, hasColours: true));
        Assert.DoesNotContain(PortalColours.Theme, Assert.Single(PortalThemes.Validate("rotterdam", hasColours: false)).Message);
    }

    [Theory]
    [InlineData("short", 50, "short")]
    [InlineData("a\u0000b\r\nc", 50, "abc")]
    [InlineData("abcdefgh", 4, "abcd…")]
    [InlineData("\ud83d\ude00x", 50, "x")]
    [InlineData(null, 50, "")]
    public void Input_is_echoed_short_and_without_control_characters(string? value, int max, string expected) =>
        Assert.Equal(expected, Rules.Echo(value, max));
}
