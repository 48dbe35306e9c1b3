namespace Platform.Gateway.Tests;

/// <summary>Services are named as the arrangement writes them (Dutch), with an optional English translation for the English interface.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ServiceNameTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_demo_names_its_services_in_Dutch_and_gives_English_for_EN()
    {
        var data = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { services { code name nl: name(language: NL) en: name(language: EN) nameEn } } }""");
        var debris = data["arrangement"]!["services"]!.AsArray().Single(s => s!["code"]!.GetValue<string>() == "bouwpuin")!;
        Assert.Equal("Bouwpuin aanleveren op de milieustraat", debris["name"]!.GetValue<string>());
        Assert.Equal("Bouwpuin aanleveren op de milieustraat", debris["nl"]!.GetValue<string>());
        Assert.Equal("Construction debris (bouwpuin) at the recycling centre", debris["en"]!.GetValue<string>());
        Assert.Equal(debris["en"]!.GetValue<string>(), debris["nameEn"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_demo_writes_its_units_in_Dutch_and_the_English_interface_gets_their_English_names()
    {
        var data = await fixture.DataAsync("""
            { waste: arrangement(id: "afval-nhn") { tariffs { service { code } nl: unit en: unit(language: EN) } }
              grit: arrangement(id: "gladheid-amstelland") { tariffs { service { code } nl: unit en: unit(language: EN) } } }
            """);
        var units = data["waste"]!["tariffs"]!.AsArray().Concat(data["grit"]!["tariffs"]!.AsArray())
            .ToDictionary(t => t!["service"]!["code"]!.GetValue<string>(), t => (t!["nl"]!.GetValue<string>(), t["en"]!.GetValue<string>()));
        Assert.Equal(("per jaar", "per year"), units["extra-container"]);
        Assert.Equal(("per ton", "per tonne"), units["zoutlevering"]);
        Assert.Equal(("per km per seizoen", "per km per season"), units["strooien-hoofdroutes"]);
        Assert.Equal(("per 0.5 m³", "per 0.5 m³"), units["bouwpuin"]); // a symbol is the same in both
        var names = await fixture.DataAsync("""{ arrangement(id: "afval-nhn") { services { code name en: name(language: EN) } } }""");
        var container = names["arrangement"]!["services"]!.AsArray().Single(s => s!["code"]!.GetValue<string>() == "extra-container")!;
        Assert.Equal(("Extra container voor restafval (240 liter)", "Extra residual-waste container (240 l)"), (container["name"]!.GetValue<string>(), container["en"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_translation_is_optional_and_checked_and_a_service_without_one_keeps_its_name_in_English()
    {
        var token = await fixture.DedicatedOperatorTokenAsync("names.operator@demo.test");
        const string Create = "mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { arrangement { services { code name en: name(language: EN) nameEn } } userErrors { field code message } } }";
        var key = $"names-{Guid.NewGuid():N}"[..20];
        var created = (await fixture.DataAsync(Create, new
        {
            input = new
            {
                key, name = $"Regeling {key}", executingOrganisationId = "afvalbedrijf-nhn",
                services = new object[] { new { code = "bouwpuin", name = "Bouwpuin", nameEn = "  Construction debris  " }, new { code = "grofvuil", name = "Grofvuil" } },
            },
        }, token: token))["createArrangement"]!;
        Assert.Empty(created["userErrors"]!.AsArray());
        var services = created["arrangement"]!["services"]!.AsArray();
        Assert.Equal(("Bouwpuin", "Construction debris", "Construction debris"), (services[0]!["name"]!.GetValue<string>(), services[0]!["en"]!.GetValue<string>(), services[0]!["nameEn"]!.GetValue<string>()));
        Assert.Equal(("Grofvuil", "Grofvuil"), (services[1]!["name"]!.GetValue<string>(), services[1]!["en"]!.GetValue<string>()));
        Assert.Null(services[1]!["nameEn"]);

        var other = $"names-{Guid.NewGuid():N}"[..20];
        var refused = (await fixture.DataAsync(Create, new
        {
            input = new { key = other, name = $"Regeling {other}", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "bouwpuin", name = "Bouwpuin", nameEn = new string('x', 101) } } },
        }, token: token))["createArrangement"]!;
        var error = Assert.Single(refused["userErrors"]!.AsArray())!;
        Assert.Equal(("services[0].nameEn", "TOO_LONG"), (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.Null((await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { key } }", new { id = other }))["arrangement"]);
    }
}
