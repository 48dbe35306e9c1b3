using Platform.Domain.Tariffs;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class TariffScheduleTests
{
    private static readonly HashSet<string> Services = ["bouwpuin", "grofvuil"];

    private static TariffVersion Debris(decimal amount, DateOnly from, DateOnly? to, decimal quantity = 0.5m) =>
        new("bouwpuin", amount, "EUR", quantity, "m³", from, to, "AB-test");

    private static readonly TariffVersion Until2024 = Debris(30m, new(2023, 1, 1), new(2024, 12, 31));
    private static readonly TariffVersion From2025 = Debris(35m, new(2025, 1, 1), null);

    [Fact]
    public void The_tariff_on_a_date_is_the_version_whose_period_holds_it()
    {
        TariffVersion[] schedule = [Until2024, From2025];

        Assert.Equal(30m, TariffSchedule.On(schedule, "bouwpuin", new(2024, 12, 31))!.Amount);
        Assert.Equal(35m, TariffSchedule.On(schedule, "bouwpuin", new(2025, 1, 1))!.Amount);
    }

    [Fact]
    public void An_open_ended_version_applies_to_every_later_date()
    {
        Assert.Equal(35m, TariffSchedule.On([From2025], "bouwpuin", new(2199, 6, 30))!.Amount);
    }

    [Fact]
    public void No_tariff_applies_before_the_first_version()
    {
        Assert.Null(TariffSchedule.On([Until2024, From2025], "bouwpuin", new(2022, 12, 31)));
    }

    [Fact]
    public void No_tariff_applies_in_a_gap_between_versions()
    {
        TariffVersion[] schedule = [Debris(30m, new(2023, 1, 1), new(2023, 6, 30)), Debris(32m, new(2023, 8, 1), null)];

        Assert.Null(TariffSchedule.On(schedule, "bouwpuin", new(2023, 7, 15)));
        Assert.Empty(TariffSchedule.On(schedule, new DateOnly(2023, 7, 15)));
        Assert.Equal(32m, TariffSchedule.On(schedule, "bouwpuin", new(2023, 8, 1))!.Amount);
    }

    [Fact]
    public void Tariffs_on_a_date_hold_one_version_per_service()
    {
        var bulky = new TariffVersion("grofvuil", 25m, "EUR", 1m, "m³", new(2024, 1, 1), null, null);
        var today = TariffSchedule.On([Until2024, From2025, bulky], new DateOnly(2025, 3, 1));

        Assert.Equal(["bouwpuin", "grofvuil"], today.Select(t => t.ServiceCode));
        Assert.Equal(35m, today[0].Amount);
    }

    [Fact]
    public void History_lists_every_version_per_service_in_date_order()
    {
        var bulky = new TariffVersion("grofvuil", 25m, "EUR", 1m, "m³", new(2024, 1, 1), null, null);
        var history = TariffSchedule.History([From2025, bulky, Until2024]);

        Assert.Equal([Until2024, From2025, bulky], history);
        Assert.Equal([Until2024, From2025], TariffSchedule.History([From2025, bulky, Until2024], "bouwpuin"));
    }

    [Fact]
    public void A_version_that_overlaps_a_published_one_is_refused()
    {
        var overlapping = Debris(40m, new(2024, 6, 1), null);

        var errors = TariffSchedule.Validate([Until2024], [overlapping], Services);

        var error = Assert.Single(errors);
        Assert.Equal(ViolationCodes.Overlap, error.Code);
        Assert.Equal("tariffs[0].validFrom", error.Field);
        Assert.Contains("2023-01-01 to 2024-12-31", error.Message);
    }

    [Fact]
    public void Two_open_ended_versions_of_one_service_overlap()
    {
        var errors = TariffSchedule.Validate([], [From2025, Debris(36m, new(2026, 1, 1), null)], Services);

        Assert.Equal(ViolationCodes.Overlap, Assert.Single(errors).Code);
    }

    [Fact]
    public void Adjacent_periods_and_gaps_are_accepted()
    {
        var errors = TariffSchedule.Validate([], [Until2024, From2025], Services);
        Assert.Empty(errors);

        var withGap = TariffSchedule.Validate([], [Debris(30m, new(2023, 1, 1), new(2023, 6, 30)), Debris(32m, new(2023, 8, 1), null)], Services);
        Assert.Empty(withGap);
    }

    [Fact]
    public void Periods_of_different_services_never_overlap()
    {
        var bulky = new TariffVersion("grofvuil", 25m, "EUR", 1m, "m³", new(2023, 1, 1), null, null);

        Assert.Empty(TariffSchedule.Validate([], [From2025, bulky], Services));
    }

    [Theory]
    [InlineData(-0.01, 0.5, "tariffs[0].amount", ViolationCodes.OutOfRange)]
    [InlineData(35, 0, "tariffs[0].unitQuantity", ViolationCodes.OutOfRange)]
    [InlineData(35, -1, "tariffs[0].unitQuantity", ViolationCodes.OutOfRange)]
    [InlineData(35.001, 0.5, "tariffs[0].amount", ViolationCodes.InvalidFormat)]
    [InlineData(2000000, 0.5, "tariffs[0].amount", ViolationCodes.OutOfRange)]
    public void A_negative_or_zero_unit_tariff_is_refused(double amount, double quantity, string field, string code)
    {
        var errors = TariffSchedule.Validate([], [Debris((decimal)amount, new(2025, 1, 1), null, (decimal)quantity)], Services);

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void A_free_service_is_allowed()
    {
        Assert.Empty(TariffSchedule.Validate([], [Debris(0m, new(2025, 1, 1), null)], Services));
    }

    [Fact]
    public void A_period_that_ends_before_it_starts_is_refused()
    {
        var errors = TariffSchedule.Validate([], [Debris(35m, new(2025, 1, 1), new(2024, 1, 1))], Services);

        var error = Assert.Single(errors);
        Assert.Equal(ViolationCodes.InvalidPeriod, error.Code);
        Assert.Equal("tariffs[0].validTo", error.Field);
    }

    [Fact]
    public void A_tariff_for_a_service_the_arrangement_lacks_is_refused()
    {
        var errors = TariffSchedule.Validate([], [From2025 with { ServiceCode = "asbest" }], Services);

        Assert.Equal(ViolationCodes.UnknownService, Assert.Single(errors).Code);
    }

    [Fact]
    public void Only_euros_are_accepted()
    {
        var errors = TariffSchedule.Validate([], [From2025 with { Currency = "USD" }], Services);

        Assert.Equal(ViolationCodes.UnsupportedCurrency, Assert.Single(errors).Code);
    }

    [Fact]
    public void An_empty_or_oversized_publication_is_refused()
    {
        Assert.Equal(ViolationCodes.Required, Assert.Single(TariffSchedule.Validate([], [], Services)).Code);

        var tooMany = Enumerable.Range(0, TariffSchedule.MaxVersionsPerPublication + 1)
            .Select(i => Debris(1m, new DateOnly(2000, 1, 1).AddDays(i), new DateOnly(2000, 1, 1).AddDays(i)))
            .ToList();
        Assert.Equal(ViolationCodes.TooLong, Assert.Single(TariffSchedule.Validate([], tooMany, Services)).Code);
    }

    [Theory]
    [InlineData(0.5, "m³", "per 0.5 m³")]
    [InlineData(1, "container", "per container")]
    [InlineData(2.25, "tonne", "per 2.25 tonne")]
    public void The_unit_reads_as_people_write_it(double quantity, string measure, string expected)
    {
        var version = new TariffVersion("x", 1m, "EUR", (decimal)quantity, measure, new(2025, 1, 1), null, null);

        Assert.Equal(expected, version.Unit);
    }
}

public sealed class UnitNameTests
{
    [Theory]
    [InlineData("jaar", "en", "year")]
    [InlineData("Jaar", "en", "year")]
    [InlineData("ton", "en", "tonne")]
    [InlineData("km per seizoen", "en", "km per season")]
    [InlineData("m³", "en", "m³")]
    [InlineData("container van 240 liter", "en", "container van 240 liter")]
    [InlineData("jaar", "nl", "jaar")]
    [InlineData("jaar", null, "jaar")]
    public void A_unit_has_its_English_name_in_English_and_is_written_as_given_otherwise(string measure, string? language, string expected) =>
        Assert.Equal(expected, Platform.Domain.Tariffs.UnitNames.In(measure, language));

    [Fact]
    public void A_tariffs_unit_in_English_keeps_its_quantity()
    {
        var version = new Platform.Domain.Tariffs.TariffVersion("zout", 126.50m, "EUR", 2.5m, "ton", new(2025, 10, 1), null, null);
        Assert.Equal(("per 2.5 ton", "per 2.5 tonne"), (version.Unit, version.UnitIn("en")));
    }
}
