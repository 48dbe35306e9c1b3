using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;
using Platform.Grains.Municipalities;

// Seeds the platform at national scale through its own grains, as an Orleans client of the running cluster:
// 342 municipalities (the demo ones and numbered ones), 1,000 arrangements of 3 to 6 members executed by the demo
// executing organisation, and complaints numbered 1..N filed by a resident of a member municipality. Deterministic
// and idempotent: running it again (or to a larger N) adds only what is missing.
//   dotnet run --project tools/load/Platform.ScaleSeed -- --complaints 100000 [--skip 10000] [--membership CONNECTION] [--parallel 64]
//     --membership: the membership table's connection string (the run command keeps it on a table service of its own, 127.0.0.1:10012)
//     [--no-staff-mail]: first switch off the executing organisation's demo staff's new-complaint mail (their own setting,
//     as each could in the web app), so 100,000 filings do not queue 200,000 mails on the core that is measured
var arguments = args;
string Get(string name, string fallback)
{
    var at = Array.IndexOf(arguments, "--" + name);
    return at >= 0 && at + 1 < arguments.Length ? arguments[at + 1] : fallback;
}
var complaints = int.Parse(Get("complaints", "10000"), CultureInfo.InvariantCulture);
var parallel = int.Parse(Get("parallel", "64"), CultureInfo.InvariantCulture);
// Numbers up to --skip were seeded by an earlier run (tools/load/scale.sh passes the size it reached before).
var skip = int.Parse(Get("skip", "0"), CultureInfo.InvariantCulture);
const int Municipalities = 342, Arrangements = 1_000;
const string Executor = "afvalbedrijf-nhn";

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:membership"] = Get("membership",
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10012/devstoreaccount1;"),
    ["Orleans:ClusterId"] = "platform-local",
    ["Orleans:ServiceId"] = "platform",
    ["Orleans:Clustering:ProviderType"] = "AzureTableStorage",
    ["Orleans:Clustering:ConnectionName"] = "membership",
    ["Logging:LogLevel:Default"] = "Warning",
});
builder.UseOrleansClient();
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var clock = Stopwatch.StartNew();

static void Ensure(CommandResult result, string what)
{
    if (!result.Succeeded) throw new InvalidOperationException($"{what}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
}

// Municipalities: the ones onboarded already (the demo data) count; numbered ones (GM2000, GM2001, ...) make up the rest.
CallerContext.Set(Caller.System("scale-seed"));
var existing = (await grains.GetGrain<Platform.Grains.Catalogs.ICatalogGrain>(Platform.Grains.Catalogs.CatalogNames.Municipalities).PageAsync(null, 1_000)).Ids;
var codes = existing.Concat(Enumerable.Range(2000, Municipalities).Select(n => $"GM{n}")).Distinct().Take(Municipalities).ToList();
await ForEachAsync(codes.Except(existing).ToList(), parallel, async code =>
{
    var municipality = grains.GetGrain<IMunicipalityGrain>(code);
    if (await municipality.GetAsync() is null)
    {
        Ensure(await municipality.OnboardAsync(new($"Gemeente {code[2..]}", 20_000 + int.Parse(code[2..], CultureInfo.InvariantCulture) * 37 % 180_000, new DateOnly(2026, 1, 1))), code);
    }
});
Console.WriteLine($"municipalities: {codes.Count} ({clock.Elapsed.TotalSeconds:0} s)");

// Arrangements: scale-0000 .. scale-0999, members chosen by a fixed seed.
var random = new Random(342);
var plans = Enumerable.Range(0, Arrangements).Select(i =>
{
    var members = codes.OrderBy(_ => random.Next()).Take(3 + random.Next(4)).ToArray();
    return (Key: $"scale-{i:0000}", Members: members);
}).ToList();
await ForEachAsync(plans, parallel, async plan =>
{
    var arrangement = grains.GetGrain<IArrangementGrain>(plan.Key);
    var snapshot = await arrangement.GetAsync();
    if (snapshot is null)
    {
        Ensure(await arrangement.CreateAsync(new CreateArrangement($"Regeling {plan.Key}", "Afvalbedrijf Noord-Holland Noord",
            [new ServiceDefinition("grofvuil", "Grofvuil aan huis"), new ServiceDefinition("bouwpuin", "Bouwpuin op het afvalbrengstation")],
            VoteWeightRule.OnePerMember, Executor)), plan.Key);
        snapshot = (await arrangement.GetAsync())!;
    }
    foreach (var code in plan.Members.Where(c => snapshot.Members.All(m => m.MunicipalityCode != c)))
    {
        Ensure(await arrangement.AddMemberAsync(new(code)), $"{plan.Key}/{code}");
    }
});
Console.WriteLine($"arrangements: {plans.Count} ({clock.Elapsed.TotalSeconds:0} s)");

if (arguments.Contains("--no-staff-mail"))
{
    foreach (var (email, _, _, _) in DemoAccounts.Staff.Where(s => s.Organisation == Executor))
    {
        Ensure(await grains.GetGrain<Platform.Grains.Notifications.IPersonSettingsGrain>(email).UnsubscribeAsync(Platform.Domain.Events.NotificationKind.NewComplaints), email);
    }
    Console.WriteLine("the executing organisation's staff: new-complaint mail off");
}

// Complaints c-scale-000001 .. : a resident of a member files about one of the two services.
var filed = 0;
var started = clock.Elapsed;
await ForEachAsync(Enumerable.Range(skip + 1, Math.Max(0, complaints - skip)).ToList(), parallel, async n =>
{
    var plan = plans[(int)((uint)(n * 2654435761u) % Arrangements)];
    var municipality = plan.Members[n % plan.Members.Length];
    var resident = new Caller(CallerKind.User, $"bewoner{n % 5000}@{municipality.ToLowerInvariant()}.scale.test", municipality, [Roles.Citizen], []);
    CallerContext.Set(resident);
    var result = await grains.GetGrain<IComplaintGrain>($"c-scale-{n:000000}").FileAsync(new FileComplaint(
        plan.Key, n % 3 == 0 ? "bouwpuin" : "grofvuil", $"Melding {n}: afval naast de container bij de ingang", new Location(52.6 + n % 100 * 0.001, 5.0 + n % 77 * 0.001, null)));
    Ensure(result, $"complaint {n}");
    var done = Interlocked.Increment(ref filed);
    if (done % 5_000 == 0) Console.WriteLine($"complaints: {done} ({done / (clock.Elapsed - started).TotalSeconds:0}/s)");
});
Console.WriteLine($"complaints: {complaints} in total ({clock.Elapsed.TotalSeconds:0} s)");
await host.StopAsync();

static async Task ForEachAsync<T>(IReadOnlyList<T> items, int parallel, Func<T, Task> action) =>
    await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) =>
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action(item);
                return;
            }
            catch (Exception ex) when (attempt < 5 && ex is not InvalidOperationException)
            {
                await Task.Delay(500 * attempt); // a timeout under load: the same call again (each is idempotent)
            }
        }
    });
