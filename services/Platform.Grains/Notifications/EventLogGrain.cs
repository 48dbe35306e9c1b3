using Microsoft.EntityFrameworkCore;
using Orleans.Concurrency;
using Platform.Domain.Access;
using Platform.Domain.Events;
using Platform.ReadModel;

namespace Platform.Grains.Notifications;

/// <summary>Appends an event to the log, once by its id, and wakes the notifier. Stateless: any silo may do it.</summary>
[StatelessWorker]
public sealed class EventLogGrain(IDbContextFactory<ComplaintListStore> store) : Grain, IEventLogGrain
{
    public async Task AppendAsync(PlatformEvent e)
    {
        if (CallerContext.Current.Kind != CallerKind.System) throw new UnauthorizedAccessException("Only the platform's own grains append events.");
        await using var db = await store.CreateDbContextAsync();
        if (await db.AppendAsync([EventJson.Row(e)]) > 0)
        {
            GrainFactory.GetGrain<INotificationGrain>(NotificationGrain.Key).PokeAsync().Ignore();
        }
    }
}
