using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Arrangements;
using Platform.Domain.Complaints;
using Platform.Domain.ServiceLevels;
using Platform.Domain.Validation;
using Platform.Grains.Arrangements;
using Platform.Grains.Complaints;
using Platform.Grains.Hosting;
using Platform.Grains.Municipalities;
using Platform.ReadModel;

namespace Platform.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ReadModelTests(ClusterFixture fixture)
{
    private IDbContextFactory<ComplaintListStore> Lists => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IDbContextFactory<ComplaintListStore>>();

    private async Task<ComplaintRow?> RowAsync(string id)
    {
        await using var store = await Lists.CreateDbContextAsync();
        return await store.Complaints.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id);
    }

    [Fact]
    public async Task Every_write_reaches_the_list_with_a_higher_version()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0520").OnboardAsync(new("M GM0520", 20_000, new(2024, 1, 1)));
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>("rm-1");
        await arrangement.CreateAsync(new("Regeling", "Uitvoerder", [new("grofvuil", "Grofvuil", ServiceLevel.Default)], VoteWeightRule.OnePerMember, await fixture.ExecutorAsync("exec-rm-1")));
        await arrangement.AddMemberAsync(new("GM0520"));
        CallerContext.Set(ClusterFixture.CitizenOf("GM0520"));
        var complaint = fixture.Grains.GetGrain<IComplaintGrain>("c-rm-1");
        await complaint.FileAsync(new("rm-1", "grofvuil", "Not collected", new(null, null, "Dorpsstraat 1")));
        var filed = await RowAsync("c-rm-1");

        CallerContext.Set(ClusterFixture.ExecutorOf("exec-rm-1"));
        await complaint.TransitionAsync(new(ComplaintAction.Acknowledge, null, null, null, null));
        var acknowledged = await RowAsync("c-rm-1");

        Assert.Equal(("Submitted", "GM0520", "exec-rm-1"), (filed!.Status, filed.Municipality, filed.ExecutingOrganisation));
        Assert.Equal("Acknowledged", acknowledged!.Status);
        Assert.True(acknowledged.Version > filed.Version);
    }

    [Fact]
    public async Task A_filing_retried_under_its_reserved_id_gets_the_first_answer_and_another_author_is_refused()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0522").OnboardAsync(new("M GM0522", 20_000, new(2024, 1, 1)));
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>("rm-retry");
        await arrangement.CreateAsync(new("Regeling", "Uitvoerder", [new("grofvuil", "Grofvuil", ServiceLevel.Default)], VoteWeightRule.OnePerMember, await fixture.ExecutorAsync("exec-rm-retry")));
        await arrangement.AddMemberAsync(new("GM0522"));
        var complaint = fixture.Grains.GetGrain<IComplaintGrain>("c-rm-retry");
        var filing = new FileComplaint("rm-retry", "grofvuil", "Not collected ", new(null, null, "Dorpsstraat 1"));

        CallerContext.Set(ClusterFixture.CitizenOf("GM0522"));
        var first = await complaint.FileAsync(filing);
        var version = (await RowAsync("c-rm-retry"))!.Version;
        // The answer was lost (a crash after the write); the client retries with its key, which reserved the same id.
        var retried = await complaint.FileAsync(filing);
        var changed = await complaint.FileAsync(filing with { Description = "Something else" });
        CallerContext.Set(ClusterFixture.CitizenOf("GM0520"));
        var stranger = await complaint.FileAsync(filing);

        Assert.True(first.Succeeded && retried.Succeeded, $"{first} {retried}");
        Assert.Equal(first.Id, retried.Id);
        Assert.Equal(version, (await RowAsync("c-rm-retry"))!.Version); // nothing written twice
        Assert.Equal(ViolationCodes.AlreadyExists, Assert.Single(changed.Errors).Code);
        Assert.Equal(ViolationCodes.AlreadyExists, Assert.Single(stranger.Errors).Code);
    }

    [Fact]
    public async Task An_older_version_never_overwrites_a_newer_one()
    {
        await using (var store = await Lists.CreateDbContextAsync())
        {
            Assert.True(await store.UpsertAsync(new ComplaintRow { Id = "c-versions", Version = 5, Status = "Closed" }));
        }
        await using (var store = await Lists.CreateDbContextAsync())
        {
            Assert.False(await store.UpsertAsync(new ComplaintRow { Id = "c-versions", Version = 4, Status = "Submitted" }));
        }

        Assert.Equal("Closed", (await RowAsync("c-versions"))!.Status);
    }

    [Fact]
    public async Task The_lists_version_rises_with_every_change_of_a_row_by_any_writer_and_only_then()
    {
        // A database of its own: the cluster's is written by other tests meanwhile.
        var file = Path.Combine(Path.GetTempPath(), $"list-version-{Guid.NewGuid():N}.db");
        await using var services = new ServiceCollection().AddComplaintList(Platform.Databases.DatabaseConnection.Sqlite(file)).BuildServiceProvider();
        var stores = services.GetRequiredService<IDbContextFactory<ComplaintListStore>>();
        await using var store = await stores.CreateDbContextAsync();
        await store.Database.MigrateAsync();
        async Task<long?> VersionAsync() => await ComplaintListVersion.ReadAsync(store, CancellationToken.None);

        var start = await VersionAsync();
        Assert.True(await store.UpsertAsync(new ComplaintRow { Id = "c-v", Version = 1, Status = "Submitted" }));
        store.ChangeTracker.Clear();
        var inserted = await VersionAsync();
        Assert.False(await store.UpsertAsync(new ComplaintRow { Id = "c-v", Version = 1, Status = "Closed" })); // not newer: nothing written
        store.ChangeTracker.Clear();
        var unchanged = await VersionAsync();
        Assert.True(await store.UpsertAsync(new ComplaintRow { Id = "c-v", Version = 2, Status = "Acknowledged" }));
        store.ChangeTracker.Clear();
        var updated = await VersionAsync();
        // Past the platform's own writer: a hand-written fix counts as well.
        await store.Database.ExecuteSqlRawAsync("UPDATE complaints SET \"Overdue\" = 1 WHERE \"Id\" = 'c-v'");
        var byHand = await VersionAsync();
        await store.Complaints.Where(r => r.Id == "c-v").ExecuteDeleteAsync();
        var deleted = await VersionAsync();
        await using (var transaction = await store.Database.BeginTransactionAsync())
        {
            await store.UpsertAsync(new ComplaintRow { Id = "c-rolled-back", Version = 1, Status = "Submitted" });
            await transaction.RollbackAsync();
        }
        store.ChangeTracker.Clear();
        var rolledBack = await VersionAsync();

        Assert.Equal(0, start);
        Assert.Equal([1L, 1L, 2L, 3L, 4L, 4L], new[] { inserted, unchanged, updated, byHand, deleted, rolledBack }.Select(v => v!.Value));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(file);
    }

    [Fact]
    public async Task A_lost_row_is_repaired_when_the_grain_is_activated_again()
    {
        CallerContext.Set(ClusterFixture.Operator);
        await fixture.Grains.GetGrain<IMunicipalityGrain>("GM0521").OnboardAsync(new("M GM0521", 20_000, new(2024, 1, 1)));
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>("rm-2");
        await arrangement.CreateAsync(new("Regeling", "Uitvoerder", [new("grofvuil", "Grofvuil")], VoteWeightRule.OnePerMember, await fixture.ExecutorAsync("exec-rm-2")));
        await arrangement.AddMemberAsync(new("GM0521"));
        CallerContext.Set(ClusterFixture.CitizenOf("GM0521"));
        await fixture.Grains.GetGrain<IComplaintGrain>("c-rm-2").FileAsync(new("rm-2", "grofvuil", "Not collected", new(null, null, "Dorpsstraat 2")));

        // As if the process died between the state write and the row write.
        await using (var store = await Lists.CreateDbContextAsync())
        {
            await store.Complaints.Where(r => r.Id == "c-rm-2").ExecuteDeleteAsync();
        }
        Assert.Null(await RowAsync("c-rm-2"));
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await fixture.Grains.GetGrain<IComplaintGrain>("c-rm-2").GetAsync();

        Assert.Equal("Submitted", (await RowAsync("c-rm-2"))?.Status);
    }

    [Fact]
    public async Task A_starting_silo_warms_up_the_list_write_before_it_joins_and_stores_nothing()
    {
        var silo = fixture.Cluster.Silos[0].ServiceProvider;
        var warmUp = Assert.Single(silo.GetServices<ILifecycleParticipant<ISiloLifecycle>>().OfType<SiloWarmUp>());
        // Placement picks among active silos only: the warm-up is done before this one becomes active.
        Assert.True(SiloWarmUp.Stage < ServiceLifecycleStage.BecomeActive);
        await using (var store = await Lists.CreateDbContextAsync())
        {
            await store.WarmUpAsync();
        }
        await warmUp.WarmUpAsync(CancellationToken.None);

        await using var check = await Lists.CreateDbContextAsync();
        Assert.Equal(0, await check.Complaints.CountAsync(r => r.Id.StartsWith("warm-up-")));
        Assert.Equal(0, await check.Events.CountAsync(e => e.Id.StartsWith("warm-up-")));
    }
}
