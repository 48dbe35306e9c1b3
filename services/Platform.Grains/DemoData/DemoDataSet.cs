using Platform.Domain.Performance;
using Platform.Domain.Arrangements;
using Platform.Domain.Proposals;
using Platform.Domain.ServiceLevels;
using Platform.Domain.Tariffs;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;

namespace Platform.Grains.DemoData;

/// <summary>
/// The demo: real municipalities (CBS codes, inhabitants on 1 January 2024, rounded to the hundred)
/// in two joint arrangements. The arrangements, their executing organisations and prices are made up.
/// </summary>
public static class DemoDataSet
{
    public const string WasteArrangementId = "afval-nhn";
    public const string GrittingArrangementId = "gladheid-amstelland";
    public const string DebrisServiceCode = "bouwpuin";

    private static readonly DateOnly Census = new(2024, 1, 1);

    public static IReadOnlyList<(string Code, OnboardMunicipality Profile)> Municipalities { get; } =
    [
        // Noord-Holland Noord: members of the waste-disposal arrangement.
        ("GM0405", new("Hoorn", 74_700, Census)),
        ("GM0388", new("Enkhuizen", 18_900, Census)),
        ("GM0420", new("Medemblik", 46_600, Census)),
        ("GM0498", new("Drechterland", 20_700, Census)),
        ("GM0532", new("Stede Broec", 22_400, Census)),
        ("GM1598", new("Koggenland", 23_900, Census)),
        ("GM0431", new("Opmeer", 12_200, Census)),
        ("GM0400", new("Den Helder", 56_500, Census)),
        ("GM0441", new("Schagen", 47_400, Census)),
        ("GM1911", new("Hollands Kroon", 49_600, Census)),
        // Amstelland: members of the winter-gritting arrangement.
        ("GM0363", new("Amsterdam", 931_300, Census)),
        ("GM0362", new("Amstelveen", 92_100, Census)),
        ("GM0384", new("Diemen", 32_300, Census)),
        ("GM0437", new("Ouder-Amstel", 14_800, Census)),
        ("GM0358", new("Aalsmeer", 33_000, Census)),
        ("GM0451", new("Uithoorn", 31_500, Census)),
    ];

    /// <summary>The executing organisations, tenants of their own (ids are what their staff's tokens carry).</summary>
    public static IReadOnlyList<(string Id, string Name)> ExecutingOrganisations { get; } =
    [
        ("afvalbedrijf-nhn", "Afvalbedrijf Noord-Holland Noord"),
        ("gladheidsdienst-amstelland", "Gladheidsdienst Amstelland"),
    ];

    public static IReadOnlyList<DemoArrangement> Arrangements { get; } =
    [
        new(WasteArrangementId,
            new CreateArrangement(
                "Gemeenschappelijke Regeling Afval Noord-Holland Noord",
                "Afvalbedrijf Noord-Holland Noord",
                [
                    new(DebrisServiceCode, "Bouwpuin aanleveren op de milieustraat", new(2, 10, DayCounting.WorkingDays), "Construction debris (bouwpuin) at the recycling centre"),
                    new("grofvuil", "Grofvuil aan huis ophalen", new(2, 5, DayCounting.WorkingDays), "Bulky household waste (grofvuil) collected at home"),
                    new("tuinafval", "Tuinafval aanleveren op de milieustraat", null, "Garden waste at the recycling centre"),
                    new("extra-container", "Extra container voor restafval (240 liter)", new(5, 20, DayCounting.CalendarDays), "Extra residual-waste container (240 l)"),
                ],
                VoteWeightRule.PerInhabitants(10_000),
                "afvalbedrijf-nhn"),
            ["GM0405", "GM0388", "GM0420", "GM0498", "GM0532", "GM1598", "GM0431", "GM0400", "GM0441", "GM1911"],
            [
                Tariff(DebrisServiceCode, 30.00m, 0.5m, "m³", new(2023, 1, 1), new(2024, 12, 31), "AB-2022-14 (algemeen bestuur, 8 december 2022)"),
                Tariff(DebrisServiceCode, 35.00m, 0.5m, "m³", new(2025, 1, 1), null, "AB-2024-11 (algemeen bestuur, 12 december 2024)"),
                Tariff("grofvuil", 25.00m, 1m, "m³", new(2024, 1, 1), null, "AB-2023-09 (algemeen bestuur, 7 december 2023)"),
                Tariff("tuinafval", 0.00m, 1m, "m³", new(2023, 1, 1), null, "AB-2022-14 (algemeen bestuur, 8 december 2022)"),
                Tariff("extra-container", 60.00m, 1m, "jaar", new(2025, 1, 1), null, "AB-2024-11 (algemeen bestuur, 12 december 2024)"),
            ]),
        new(GrittingArrangementId,
            new CreateArrangement(
                "Samenwerking Gladheidbestrijding Amstelland",
                "Gladheidsdienst Amstelland",
                [
                    new("strooien-hoofdroutes", "Strooien van hoofdroutes en busbanen", new(1, 1, DayCounting.CalendarDays), "Gritting of main routes and bus lanes"),
                    new("strooien-fietspaden", "Strooien van hoofdfietsroutes", new(1, 2, DayCounting.CalendarDays), "Gritting of primary cycle paths"),
                    new("zoutlevering", "Strooizout geleverd op het depot van een deelnemer", null, "Road salt delivered to a member's depot"),
                ],
                VoteWeightRule.OnePerMember,
                "gladheidsdienst-amstelland"),
            ["GM0363", "GM0362", "GM0384", "GM0437", "GM0358", "GM0451"],
            [
                Tariff("strooien-hoofdroutes", 1_850.00m, 1m, "km per seizoen", new(2024, 10, 1), null, "DB-2024-03 (dagelijks bestuur, 19 september 2024)"),
                Tariff("strooien-fietspaden", 1_200.00m, 1m, "km per seizoen", new(2024, 10, 1), null, "DB-2024-03 (dagelijks bestuur, 19 september 2024)"),
                Tariff("zoutlevering", 118.00m, 1m, "ton", new(2024, 10, 1), new(2025, 9, 30), "DB-2024-03 (dagelijks bestuur, 19 september 2024)"),
                Tariff("zoutlevering", 126.50m, 1m, "ton", new(2025, 10, 1), null, "DB-2025-05 (dagelijks bestuur, 18 september 2025)"),
            ]),
    ];

    /// <summary>
    /// Open proposals, one per arrangement, proposed when the demo is first seeded: Hoorn's proposal to
    /// lower the debris tariff that drives illegal dumping (voting open), and Amsterdam's gritting plan
    /// (councils' opinion period first). The effective date lies well after the vote closes.
    /// </summary>
    public static IReadOnlyList<DemoProposal> Proposals(DateOnly today)
    {
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(3);
        return
        [
            new("p-demo-bouwpuin", WasteArrangementId, "GM0405",
                new ProposedChange(ProposalKind.TariffChange,
                    "Tarief bouwpuin verlagen naar € 20,00 per 0,5 m³",
                    "Voor € 35,00 per kleine vracht bouwpuin storten inwoners het liever in het buitengebied; onze handhavers vonden vorig jaar 41 illegale stortingen. Een lager tarief kost minder dan het opruimen ervan.",
                    null, firstOfMonth, new TariffChange(DebrisServiceCode, 20.00m, 0.5m, "m³"), null),
                new EvidencePeriod(DebrisServiceCode, today.AddYears(-1), today)),
            new("p-demo-strooiplan", GrittingArrangementId, "GM0363",
                new ProposedChange(ProposalKind.PlanAdoption,
                    "Strooiplan voor de komende winter vaststellen",
                    "De uitvoerder stelt voor hoe hij strooit; de deelnemers leggen vast wat: hoofdroutes en busbanen gestrooid vóór 07.00 uur, hoofdfietsroutes vóór 07.30 uur.",
                    "Strooiplan: preventief strooien bij een verwachte wegdektemperatuur onder 1 °C; eerst hoofdroutes en busbanen, dan hoofdfietsroutes; een zoutvoorraad van 1.200 ton op 1 november; opschalen naar de piketdienst van de deelnemers als de voorraad onder 300 ton komt.",
                    firstOfMonth, null, null),
                null),
        ];
    }

    /// <summary>
    /// The waste arrangement's provisional performance agreements, set by Hoorn's contract manager to apply from three months
    /// back, with last month's figure of the first reported by the executing organisation (it misses its target, so the
    /// demo shows a deviation).
    /// </summary>
    public static IReadOnlyList<DemoIndicator> Indicators(DateOnly today)
    {
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-3);
        var lastMonth = PerformanceRules.NameOf(ReportingPeriod.Month, new DateOnly(today.Year, today.Month, 1).AddDays(-1));
        return
        [
            new(WasteArrangementId, "GM0405", new("Bereikbaarheid", "Containers geleegd op de afgesproken dag", "%", 98m, IndicatorDirection.AtLeast, ReportingPeriod.Month, IndicatorSource.Reported, null, from),
                new(lastMonth, 97.4m, "Twee routes in Drechterland een dag later door wegwerkzaamheden.")),
            new(WasteArrangementId, "GM0405", new("Leefbaarheid", "Meldingen van illegaal gestort bouwpuin", "meldingen", 25m, IndicatorDirection.AtMost, ReportingPeriod.Month, IndicatorSource.Reported, null, from), null),
            new(WasteArrangementId, "GM0405", new("Dienstverlening", "Meldingen over grofvuil op tijd afgehandeld", null, 90m, IndicatorDirection.AtLeast, ReportingPeriod.Quarter, IndicatorSource.ComplaintsOnTime, "grofvuil", from), null),
        ];
    }

    private static TariffVersion Tariff(string service, decimal amount, decimal quantity, string measure, DateOnly from, DateOnly? to, string decision) =>
        new(service, amount, TariffSchedule.Euro, quantity, measure, from, to, decision);
}

/// <summary>An indicator a member sets, and optionally a figure the executing organisation reports on it.</summary>
public sealed record DemoIndicator(string ArrangementId, string SetBy, IndicatorInput Indicator, DemoFigure? Figure);

public sealed record DemoFigure(string Period, decimal Value, string Note);

public sealed record DemoProposal(string Id, string ArrangementId, string ProposedFor, ProposedChange Change, EvidencePeriod? Evidence);

public sealed record DemoArrangement(
    string Id,
    CreateArrangement Definition,
    IReadOnlyList<string> MemberCodes,
    IReadOnlyList<TariffVersion> Tariffs);
