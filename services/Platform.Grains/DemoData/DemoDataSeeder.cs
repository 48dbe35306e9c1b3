using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Grains.Arrangements;
using Platform.Grains.Performance;
using Platform.Grains.Proposals;
using Platform.Grains.Municipalities;
using Platform.Grains.Organisations;

namespace Platform.Grains.DemoData;

/// <summary>
/// Seeds the demo data once the silo runs. Idempotent: each step first looks whether it was done,
/// so every later start (or a second silo) leaves the data as it is.
/// </summary>
public sealed class DemoDataSeeder(
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DemoDataSeeder> logger) : BackgroundService
{
    public const string Actor = "system:demo-seed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken)) return;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var changes = await SeedAsync(grains, time);
                logger.LogInformation("Demo data in place ({Changes} changes made)", changes);
                return;
            }
            catch (Exception ex) when (attempt < 10 && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Seeding demo data failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo serves whatever is stored; demo data it cannot complete must not take it down.
                logger.LogError(ex, "Seeding demo data failed {Attempts} times; the silo runs on without it", attempt);
                return;
            }
        }
    }

    /// <summary>Brings the demo data into place and returns how many changes that took (0 when it was there).</summary>
    public static async Task<int> SeedAsync(IGrainFactory grains, TimeProvider? time = null)
    {
        CallerContext.Set(Caller.System(Actor));
        var changes = 0;
        foreach (var (code, profile) in DemoDataSet.Municipalities)
        {
            var municipality = grains.GetGrain<IMunicipalityGrain>(code);
            if (await municipality.GetAsync() is null)
            {
                Ensure(await municipality.OnboardAsync(profile), code);
                changes++;
            }
        }
        foreach (var (id, name) in DemoDataSet.ExecutingOrganisations)
        {
            var organisation = grains.GetGrain<IOrganisationGrain>(id);
            if (await organisation.GetAsync() is null)
            {
                Ensure(await organisation.RegisterAsync(new(name)), id);
                changes++;
            }
        }
        // The demo staff on their organisations' people (the identity server holds their accounts).
        foreach (var (email, name, organisationId, role) in DemoAccounts.Staff)
        {
            var organisation = grains.GetGrain<IOrganisationGrain>(organisationId);
            if ((await organisation.AccessOfAsync(email)).Status is not null) continue;
            Ensure(await organisation.InviteAsync(new(email, name, role)), $"{organisationId}/{email}");
            changes++;
        }
        foreach (var demo in DemoDataSet.Arrangements)
        {
            var arrangement = grains.GetGrain<IArrangementGrain>(demo.Id);
            var snapshot = await arrangement.GetAsync();
            if (snapshot is null)
            {
                Ensure(await arrangement.CreateAsync(demo.Definition), demo.Id);
                changes++;
                snapshot = (await arrangement.GetAsync())!;
            }
            foreach (var code in demo.MemberCodes.Where(c => snapshot.Members.All(m => m.MunicipalityCode != c)))
            {
                Ensure(await arrangement.AddMemberAsync(new(code)), $"{demo.Id}/{code}");
                changes++;
            }
            if (snapshot.Tariffs.Count == 0)
            {
                Ensure(await arrangement.PublishTariffScheduleAsync(new(demo.Tariffs)), $"{demo.Id}/tariffs");
                changes++;
            }
        }
        foreach (var demo in DemoDataSet.Proposals((time ?? TimeProvider.System).TodayInAmsterdam()))
        {
            var proposal = grains.GetGrain<IProposalGrain>(demo.Id);
            if (await proposal.GetAsync() is not null) continue;
            // Proposed in the name of the member's board, by the seeder.
            CallerContext.Set(new Caller(CallerKind.User, Actor, demo.ProposedFor, [Roles.BoardMember], []));
            Ensure(await proposal.ProposeAsync(new(demo.ArrangementId, demo.Change, demo.Evidence)), demo.Id);
            CallerContext.Set(Caller.System(Actor));
            changes++;
        }
        foreach (var group in DemoDataSet.Indicators((time ?? TimeProvider.System).TodayInAmsterdam()).GroupBy(i => i.ArrangementId))
        {
            var agreement = grains.GetGrain<IPerformanceAgreementGrain>(group.Key);
            var executor = (await grains.GetGrain<IArrangementGrain>(group.Key).GetAsync())?.ExecutingOrganisationId ?? "";
            CallerContext.Set(new Caller(CallerKind.User, Actor, group.First().SetBy, [Roles.ContractManager], []));
            if ((await agreement.ViewAsync()).Agreement is not { Indicators.Count: 0 }) continue;
            foreach (var demo in group)
            {
                CallerContext.Set(new Caller(CallerKind.User, Actor, demo.SetBy, [Roles.ContractManager], []));
                Ensure(await agreement.DefineIndicatorAsync(demo.Indicator), $"{group.Key}/{demo.Indicator.Name}");
                changes++;
                if (demo.Figure is not { } figure) continue;
                var key = (await agreement.ViewAsync()).Agreement!.Indicators.Single(i => i.Name == demo.Indicator.Name).Key;
                CallerContext.Set(new Caller(CallerKind.User, Actor, executor, [Roles.ExecutorStaff], []));
                Ensure(await agreement.ReportAsync(new(key, figure.Period, figure.Value, demo.Indicator.Unit, figure.Note)), $"{group.Key}/{demo.Indicator.Name}/{figure.Period}");
                changes++;
            }
        }
        CallerContext.Set(Caller.System(Actor));
        return changes;
    }

    private static void Ensure(CommandResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo data {what} refused: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, stoppingToken));
        return !stoppingToken.IsCancellationRequested;
    }
}
