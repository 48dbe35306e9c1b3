using Microsoft.EntityFrameworkCore;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Events;
using Platform.Domain.ExtraWork;
using Platform.Grains.Arrangements;
using Platform.Grains.ExtraWork;
using Platform.Grains.Municipalities;
using Platform.Grains.Notifications;
using Platform.Grains.Organisations;
using Platform.ReadModel;

namespace Platform.Grains.Tests;

/// <summary>
/// Extra work in the cluster: each step is stored and published once to the members and the executing organisation
/// through the outbox, mailed to whoever acts next (the executor for a request and an approval, the asking member for a
/// quote and an invoice), and the request and its ledger survive the grain's deactivation.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExtraWorkTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Each_step_is_published_once_and_mailed_to_whoever_acts_next_and_survives_deactivation()
    {
        CallerContext.Set(ClusterFixture.Operator);
        var executor = await fixture.ExecutorAsync("exec-meerwerk");
        var arrangement = fixture.Grains.GetGrain<IArrangementGrain>("meerwerk-zout");
        Assert.True((await arrangement.CreateAsync(new("Gladheid meerwerk", "Strooidienst", [new("strooien", "Strooien")], VoteWeightRule.OnePerMember, executor))).Succeeded);
        string[] members = ["GM4530", "GM4531"];
        foreach (var code in members)
        {
            CallerContext.Set(ClusterFixture.Operator);
            await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 20_000, new(2024, 1, 1)));
            Assert.True((await arrangement.AddMemberAsync(new(code))).Succeeded);
        }
        CallerContext.Set(ClusterFixture.Operator);
        Assert.True((await fixture.Grains.GetGrain<IOrganisationGrain>(executor).InviteAsync(new("planner@meerwerk.example", "Planner", Roles.ExecutorStaff))).Succeeded);
        var asker = fixture.Grains.GetGrain<IOrganisationGrain>(members[0]);
        for (var i = 0; i < 20 && await asker.GetAsync() is null; i++) await Task.Delay(50); // registered by the municipality's outbox
        Assert.True((await asker.InviteAsync(new("cm@gm4530.example", "Contractmanager", Roles.ContractManager))).Succeeded);
        var other = fixture.Grains.GetGrain<IOrganisationGrain>(members[1]);
        for (var i = 0; i < 20 && await other.GetAsync() is null; i++) await Task.Delay(50);
        Assert.True((await other.InviteAsync(new("cm@gm4531.example", "Contractmanager", Roles.ContractManager))).Succeeded);

        var work = fixture.Grains.GetGrain<IExtraWorkGrain>("xw-zout-1");
        CallerContext.Set(ClusterFixture.ManagerOf(members[0]));
        Assert.True((await work.RequestAsync(new("meerwerk-zout", "Strooizout bijkopen", "40 ton"))).Succeeded);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.True((await work.QuoteAsync(1_250.50m, "40 ton à € 31,26")).Succeeded);
        CallerContext.Set(ClusterFixture.ManagerOf(members[1]));
        Assert.True((await work.ApproveAsync()).IsRefusal); // another member does not approve what it does not pay
        CallerContext.Set(ClusterFixture.AdminOf(members[0]));
        Assert.True((await work.ApproveAsync()).Succeeded);
        CallerContext.Set(ClusterFixture.ExecutorOf(executor));
        Assert.Equal([ExtraWorkRules.AboveQuote], (await work.InvoiceAsync(1_250.51m, null)).Errors.Select(e => e.Code));
        Assert.True((await work.InvoiceAsync(1_200m, "Factuur 114")).Succeeded);

        // A new activation (after a restart) finds it as it was and publishes nothing again.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        CallerContext.Set(ClusterFixture.ManagerOf(members[1]));
        var view = await work.ViewAsync();
        Assert.True(view.Access.Succeeded);
        Assert.Equal((ExtraWorkStatus.Invoiced, 1_250.50m, 1_200m, 4), (view.ExtraWork!.Status, view.ExtraWork.ApprovedAmount, view.ExtraWork.InvoicedAmount, view.ExtraWork.Steps.Count));
        Assert.Equal(new ExtraWorkCapabilities(false, false, false, false), view.ExtraWork.ViewerCan);

        await fixture.DrainNotificationsAsync();
        await using (var db = await fixture.Store.CreateDbContextAsync())
        {
            var events = await db.Events.AsNoTracking().Where(e => e.Subject == "xw-zout-1").OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal([EventTypes.ExtraWorkRequested, EventTypes.ExtraWorkQuoted, EventTypes.ExtraWorkApproved, EventTypes.ExtraWorkInvoiced], events.Select(e => e.Type));
            Assert.Equal(["extra-work:xw-zout-1:1", "extra-work:xw-zout-1:2", "extra-work:xw-zout-1:3", "extra-work:xw-zout-1:4"], events.Select(e => e.Id));
            var invoiced = EventData.Arrangement(EventJson.Event(events[^1]))!;
            Assert.Equal((1_200m, "GM4530", "xw-zout-1"), (invoiced.Amount, invoiced.Municipality, invoiced.ExtraWorkId));
        }
        Assert.Equal(["Meerwerk gevraagd door GM4530: Strooizout bijkopen", "Offerte goedgekeurd: Strooizout bijkopen"], ClusterFixture.MailTo("planner@meerwerk.example").Select(m => m.Subject));
        Assert.Equal(["Offerte € 1250,50: Strooizout bijkopen", "Gefactureerd € 1200,00: Strooizout bijkopen"], ClusterFixture.MailTo("cm@gm4530.example").Select(m => m.Subject));
        Assert.Empty(ClusterFixture.MailTo("cm@gm4531.example")); // the other member is not asked to act
    }
}
