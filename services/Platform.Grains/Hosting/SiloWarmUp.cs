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
/// rolled back, so EF Core compiles its queries and update commands and opens a connection;</item>
/// <item>every grain state class through the storage serializer once, so its JSON contracts are resolved.</item>
/// </list>
/// Bounded and best effort: a failure (a database not migrated yet, on the first start) is logged and the silo
/// joins all the same.
/// </summary>
public sealed partial class SiloWarmUp(IServiceProvider services, IOptions<SiloSettings> settings, ILogger<SiloWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Before <see cref="ServiceLifecycleStage.BecomeActive"/>: placement chooses among active silos only.</summary>
    public const int Stage = ServiceLifecycleStage.ApplicationServices;

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
        var serializer = watch.Elapsed;
        try
        {
            if (services.GetService<IDbContextFactory<ComplaintListStore>>() is { } lists)
            {
                await using var store = await lists.CreateDbContextAsync(limit.Token);
                await store.WarmUpAsync(limit.Token);
            }
            LogWarm(logger, states, serializer.TotalMilliseconds, (watch.Elapsed - serializer).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSkipped(logger, ex.GetType().Name, ex.Message);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up before joining: {States} state classes in {SerializerMs:F0} ms, the complaint list's write in {ListMs:F0} ms")]
    private static partial void LogWarm(ILogger logger, int states, double serializerMs, double listMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up of the complaint list skipped ({Kind}: {Reason}); the silo joins all the same")]
    private static partial void LogSkipped(ILogger logger, string kind, string reason);

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
