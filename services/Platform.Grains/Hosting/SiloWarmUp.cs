using System.Diagnostics;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Platform.ReadModel;

namespace Platform.Grains.Hosting;

/// <summary>
/// Work a starting silo does once, before it joins the cluster, that the first grains placed on it would otherwise
/// do while callers wait. A silo that has just joined has the fewest activations and the least memory, so placement
/// sends it new grains first. In the rolling-update rehearsal the first complaint grains activated on a fresh silo
/// held its scheduler for about 2 s at a time (Orleans warned of it) while their callers waited; the list's first
/// write, done here instead, takes 4–8 s of a silo's start on the two-core machine. Here:
/// <list type="bullet">
/// <item>the complaint list's write (a row and an event, as a complaint grain writes them) in a transaction that is
/// rolled back, so EF Core compiles its queries and update commands and opens a connection; then the same on
/// <see cref="Connections"/> connections at once, which stay in the pool;</item>
/// <item>every grain state class through the storage serializer once, so its JSON contracts are resolved;</item>
/// <item>the grain storage's read, write and read again of one record of its own (<c>platform-warm-up/silo</c>), and
/// reads of records that do not exist (a new grain's first read), several at once, so the storage client's pipeline is
/// compiled and its connections are open before the first grain reads its state
/// (skipped for in-memory storage, which keeps its records in grains).</item>
/// </list>
/// Bounded and best effort: a failure (a database not migrated yet, on the first start) is logged and the silo
/// joins all the same.
/// </summary>
public sealed partial class SiloWarmUp(IServiceProvider services, IOptions<SiloSettings> settings, ILogger<SiloWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Before <see cref="ServiceLifecycleStage.BecomeActive"/>: placement chooses among active silos only; and after
    /// <see cref="ServiceLifecycleStage.ApplicationServices"/>, where the storage providers initialise.
    /// </summary>
    public const int Stage = ServiceLifecycleStage.ApplicationServices + 1;

    /// <summary>The record the warm-up reads and writes; every silo uses the same one.</summary>
    public static readonly GrainId StorageRecord = GrainId.Create("platform-warm-up", "silo");

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (settings.Value.WarmUp)
        {
            lifecycle.Subscribe(nameof(SiloWarmUp), Stage, WarmUpAsync);
        }
    }

    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var watch = Stopwatch.StartNew();
        var states = WarmStateSerializer();
        var serializer = $"{watch.Elapsed.TotalMilliseconds:F0} ms";
        var storage = await TimedAsync("grain storage", WarmStorageAsync, limit.Token, cancellationToken);
        var list = await TimedAsync("complaint list", WarmListAsync, limit.Token, cancellationToken);
        LogWarm(logger, states, serializer, storage, list);
    }

    /// <summary>One part of the warm-up, on its own: a part that fails is logged and the others still run.</summary>
    private async Task<string> TimedAsync(string part, Func<CancellationToken, Task<bool>> warm, CancellationToken limit, CancellationToken stopping)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return await warm(limit) ? $"{watch.Elapsed.TotalMilliseconds:F0} ms" : "not needed";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            LogSkipped(logger, part, ex.GetType().Name, ex.Message);
            return "skipped";
        }
    }

    /// <summary>The complaint list's write, rolled back; false when the silo has no read model.</summary>
    private async Task<bool> WarmListAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IDbContextFactory<ComplaintListStore>>() is not { } lists) return false;
        await using (var store = await lists.CreateDbContextAsync(cancellationToken))
        {
            await store.WarmUpAsync(cancellationToken);
        }
        // Then several at once, each on a connection of its own: the first filings placed on a silo that has just joined
        // arrive together, and each would otherwise open its connection (a PostgreSQL sign-in) while its caller waits.
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            await using var store = await lists.CreateDbContextAsync(cancellationToken);
            await store.WarmUpAsync(cancellationToken);
        }));
        return true;
    }

    /// <summary>How many connections to each store the warm-up opens at once and leaves in the pool.</summary>
    public const int Connections = 4;

    /// <summary>
    /// The grain storage read, written and read again as a grain's first activation and first change do, on
    /// <see cref="StorageRecord"/>; false when the provider keeps its records in grains (in-memory storage), which
    /// cannot be called before the silo is active.
    /// </summary>
    private async Task<bool> WarmStorageAsync(CancellationToken cancellationToken)
    {
        if (services.GetKeyedService<IGrainStorage>(StorageNames.Grains) is not { } storage || storage is MemoryGrainStorage) return false;
        // A complaint's state class (the grain placed most often), under a state name of its own: nothing reads it
        // as a complaint. The storage serializer reads back only classes Orleans knows by their generated serializers
        // ([GenerateSerializer]); a class of the warm-up's own was refused (run dq).
        var record = new GrainState<Complaints.ComplaintState>(new Complaints.ComplaintState());
        await storage.ReadStateAsync(nameof(SiloWarmUp), StorageRecord, record, cancellationToken);
        try
        {
            await storage.WriteStateAsync(nameof(SiloWarmUp), StorageRecord, record, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            // Another silo starting at the same moment wrote it first: the write's path is warm all the same.
        }
        await storage.ReadStateAsync(nameof(SiloWarmUp), StorageRecord, record, cancellationToken);
        // A new grain's first read finds nothing (the storage answers 404, which its client turns into an exception and
        // the provider into an empty state): that path, several reads at once, so that the client opens connections.
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => storage.ReadStateAsync(nameof(SiloWarmUp),
            GrainId.Create("platform-warm-up", $"absent-{Guid.NewGuid():N}"), new GrainState<Complaints.ComplaintState>(new Complaints.ComplaintState()), cancellationToken)));
        return true;
    }

    /// <summary>Each state class, as a new grain starts with it, written and read back by the storage serializer; returns how many.</summary>
    private int WarmStateSerializer()
    {
        if (services.GetService<IGrainStorageSerializer>() is not { } serializer) return 0;
        var roundTrip = typeof(SiloWarmUp).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!;
        var count = 0;
        foreach (var type in GrainStateTypes.All)
        {
            try
            {
                roundTrip.MakeGenericMethod(type).Invoke(null, [serializer, Activator.CreateInstance(type)]);
                count++;
            }
            catch (Exception ex) when (ex is TargetInvocationException or MissingMethodException or ArgumentException)
            {
                LogStateSkipped(logger, type.Name, ex.InnerException?.Message ?? ex.Message);
            }
        }
        return count;
    }

    private static void RoundTrip<T>(IGrainStorageSerializer serializer, T state) => serializer.Deserialize<T>(serializer.Serialize(state));

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up before joining: {States} state classes ({Serializer}), the grain storage ({Storage}), the complaint list's write ({List})")]
    private static partial void LogWarm(ILogger logger, int states, string serializer, string storage, string list);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up of the {Part} skipped ({Kind}: {Reason}); the silo joins all the same")]
    private static partial void LogSkipped(ILogger logger, string part, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up of state class {Type} skipped: {Reason}")]
    private static partial void LogStateSkipped(ILogger logger, string type, string reason);
}

/// <summary>The state class of every grain: the T of each <c>IPersistentState&lt;T&gt;</c> a grain's constructor takes.</summary>
public static class GrainStateTypes
{
    public static IReadOnlyList<Type> All { get; } =
    [
        .. typeof(GrainStateTypes).Assembly.GetTypes()
            .Where(t => typeof(Grain).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Select(p => p.ParameterType)
            .Where(p => p.IsGenericType && p.GetGenericTypeDefinition() == typeof(IPersistentState<>))
            .Select(p => p.GetGenericArguments()[0])
            .Distinct()
            .OrderBy(t => t.FullName, StringComparer.Ordinal),
    ];
}
