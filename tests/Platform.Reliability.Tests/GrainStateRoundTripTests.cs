using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;
using Platform.Grains;
using Platform.Grains.Hosting;
using Platform.Tests.Shared;

namespace Platform.Reliability.Tests;

/// <summary>
/// Every grain's state class written to the real grain storage (Azure Blob, in Azurite, through the silo's own
/// provider and serializer) and read back into a fresh object: once with every value at its default (empty texts,
/// <c>0.00</c> amounts, empty lists) and once with every value set. What comes back must be what went in, down to
/// the scale of a decimal and the comparer of a set.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class GrainStateRoundTripTests(LocalCluster cluster) : IAsyncLifetime
{
    private IHost host = null!;

    /// <summary>The state class of every grain: the T of each <c>IPersistentState&lt;T&gt;</c> a grain's constructor takes.</summary>
    public static TheoryData<string> StateClasses()
    {
        var data = new TheoryData<string>();
        foreach (var type in StateTypes()) data.Add(type.FullName!);
        return data;
    }

    private static IEnumerable<Type> StateTypes() => GrainStateTypes.All;

    [Fact]
    public void Every_grain_with_state_is_covered()
    {
        // The theory below runs for each of these; a grain whose state class is not found here is not checked.
        Assert.True(StateTypes().Count() >= 10, string.Join(", ", StateTypes().Select(t => t.Name)));
    }

    [Theory]
    [MemberData(nameof(StateClasses))]
    public async Task A_state_reads_back_exactly_as_it_was_written(string typeName)
    {
        var type = typeof(PlatformSilo).Assembly.GetType(typeName)!;
        var method = typeof(GrainStateRoundTripTests).GetMethod(nameof(RoundTripAsync), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(type);
        foreach (var variant in new[] { Variant.Defaults, Variant.Values })
        {
            await (Task)method.Invoke(this, [variant])!;
        }
    }

    [Fact]
    public async Task A_starting_silo_reads_and_writes_the_grain_storage_before_it_joins_and_again_each_start()
    {
        // Between the storage providers' start and the silo joining the cluster (placement picks among active silos only).
        Assert.InRange(SiloWarmUp.Stage, ServiceLifecycleStage.ApplicationServices + 1, ServiceLifecycleStage.BecomeActive - 1);
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var started = await WarmUpRecordAsync(storage);
        Assert.True(started.RecordExists, "the host's own start wrote the warm-up's record");

        var warmUp = Assert.Single(host.Services.GetServices<ILifecycleParticipant<ISiloLifecycle>>().OfType<SiloWarmUp>());
        await warmUp.WarmUpAsync(CancellationToken.None);

        var again = await WarmUpRecordAsync(storage);
        Assert.True(again.RecordExists);
        Assert.NotEqual(started.ETag, again.ETag);
    }

    private static async Task<GrainState<Platform.Grains.Complaints.ComplaintState>> WarmUpRecordAsync(IGrainStorage storage)
    {
        var record = new GrainState<Platform.Grains.Complaints.ComplaintState>(new());
        await storage.ReadStateAsync(nameof(SiloWarmUp), SiloWarmUp.StorageRecord, record);
        return record;
    }

    private async Task RoundTripAsync<T>(Variant variant) where T : class, new()
    {
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var written = (T)Filler.Make(typeof(T), variant, 0)!;
        var grainId = GrainId.Create("roundtrip", Guid.NewGuid().ToString("N"));
        await storage.WriteStateAsync("state", grainId, new GrainState<T>(written));

        var read = new GrainState<T>(new T());
        await storage.ReadStateAsync("state", grainId, read);

        Assert.True(read.RecordExists);
        var differences = new List<string>();
        Compare(typeof(T).Name, written, read.State, differences);
        Assert.True(differences.Count == 0, $"{typeof(T).Name} ({variant}) read back differently:\n" + string.Join("\n", differences.Take(20)));
    }

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Services.AddPlatformSilo(new SiloSettings
        {
            Storage = "AzureStorage",
            ClusterId = $"roundtrip-{Guid.NewGuid():N}"[..20],
            SiloPort = LoopbackPort.Free(),
            GatewayPort = LoopbackPort.Free(),
            SeedDemoData = false,
        }, cluster.StorageConnectionString);
        host = builder.Build();
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    public enum Variant { Defaults, Values }

    private static void Compare(string path, object? expected, object? actual, List<string> differences)
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null) differences.Add($"{path}: {Show(expected)} became {Show(actual)}");
            return;
        }
        var type = expected.GetType();
        if (actual.GetType() != type && !(expected is IEnumerable && actual is IEnumerable))
        {
            differences.Add($"{path}: a {type.Name} became a {actual.GetType().Name}");
            return;
        }
        if (Filler.IsScalar(type))
        {
            // Invariant text: 0.00m and 0m are equal as numbers, but not as what a person was shown.
            if (Show(expected) != Show(actual)) differences.Add($"{path}: {Show(expected)} became {Show(actual)}");
            return;
        }
        if (expected is SortedSet<string> sortedSet && !ReferenceEquals(((SortedSet<string>)actual).Comparer, sortedSet.Comparer))
        {
            differences.Add($"{path}: the set's comparer changed from {sortedSet.Comparer} to {((SortedSet<string>)actual).Comparer}");
        }
        if (expected is IDictionary dictionary)
        {
            var other = (IDictionary)actual;
            if (dictionary.Count != other.Count) differences.Add($"{path}: {dictionary.Count} entries became {other.Count}");
            foreach (DictionaryEntry entry in dictionary)
            {
                if (!other.Contains(entry.Key)) differences.Add($"{path}[{entry.Key}]: missing");
                else Compare($"{path}[{entry.Key}]", entry.Value, other[entry.Key], differences);
            }
            return;
        }
        if (expected is IEnumerable sequence)
        {
            var left = sequence.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            if (left.Count != right.Count) differences.Add($"{path}: {left.Count} items became {right.Count}");
            for (var i = 0; i < Math.Min(left.Count, right.Count); i++) Compare($"{path}[{i}]", left[i], right[i], differences);
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.CanRead))
        {
            Compare($"{path}.{property.Name}", property.GetValue(expected), property.GetValue(actual), differences);
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Builds an instance of any state class: every property and constructor argument set, by kind.</summary>
    private static class Filler
    {
        public static bool IsScalar(Type type) =>
            type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset)
            || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(TimeSpan) || type == typeof(Guid);

        public static object? Make(Type type, Variant variant, int depth)
        {
            var values = variant == Variant.Values;
            if (Nullable.GetUnderlyingType(type) is { } inner) return values ? Make(inner, variant, depth) : null;
            if (type == typeof(string)) return values ? $"tekst-é-{depth}" : "";
            if (type == typeof(bool)) return values;
            if (type == typeof(int)) return values ? 7 : 0;
            if (type == typeof(long)) return values ? 7L : 0L;
            if (type == typeof(double)) return values ? 1.5 : 0.0;
            // The amounts a person typed: a free tariff is 0.00, not 0; a price keeps its cents.
            if (type == typeof(decimal)) return values ? 12.50m : 0.00m;
            if (type == typeof(DateTimeOffset)) return values ? new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(1)) : default;
            if (type == typeof(DateTime)) return values ? new DateTime(2026, 3, 29, 1, 59, 59, DateTimeKind.Utc) : default;
            if (type == typeof(DateOnly)) return values ? new DateOnly(2026, 12, 31) : default;
            if (type == typeof(TimeOnly)) return values ? new TimeOnly(23, 59, 59) : default;
            if (type == typeof(TimeSpan)) return values ? TimeSpan.FromDays(3) : default;
            if (type == typeof(Guid)) return values ? Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff") : Guid.Empty;
            if (type.IsEnum)
            {
                var all = Enum.GetValues(type);
                return values ? all.GetValue(all.Length - 1) : Activator.CreateInstance(type);
            }
            if (depth > 6) return type.IsValueType ? Activator.CreateInstance(type) : null;
            var count = values ? 2 : 0;
            if (type.IsArray)
            {
                var array = Array.CreateInstance(type.GetElementType()!, count);
                for (var i = 0; i < count; i++) array.SetValue(Element(type.GetElementType()!, variant, depth, i), i);
                return array;
            }
            if (type.IsGenericType)
            {
                var definition = type.GetGenericTypeDefinition();
                var args = type.GetGenericArguments();
                if (definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(SortedDictionary<,>))
                {
                    var concrete = definition == typeof(SortedDictionary<,>) ? type : typeof(Dictionary<,>).MakeGenericType(args);
                    var map = (IDictionary)(args[0] == typeof(string)
                        ? Activator.CreateInstance(concrete, definition == typeof(SortedDictionary<,>) ? StringComparer.Ordinal : (object)StringComparer.Ordinal)!
                        : Activator.CreateInstance(concrete)!);
                    for (var i = 0; i < count; i++) map[Element(args[0], variant, depth, i)!] = Make(args[1], variant, depth + 1);
                    return map;
                }
                if (definition == typeof(SortedSet<>) || definition == typeof(HashSet<>))
                {
                    var set = args[0] == typeof(string) ? Activator.CreateInstance(type, StringComparer.Ordinal)! : Activator.CreateInstance(type)!;
                    var add = type.GetMethod("Add")!;
                    // "b" before "B" by culture, after it by ordinal: the order shows which comparer sorted them.
                    foreach (var item in values ? new object?[] { "b", "B", "a" } : []) add.Invoke(set, [args[0] == typeof(string) ? item : Element(args[0], variant, depth, 0)]);
                    return set;
                }
                if (typeof(IEnumerable).IsAssignableFrom(type) && args.Length == 1)
                {
                    var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args))!;
                    for (var i = 0; i < count; i++) list.Add(Element(args[0], variant, depth, i));
                    return list;
                }
            }
            return Construct(type, variant, depth);
        }

        /// <summary>Items of a list differ from each other (keys must).</summary>
        private static object? Element(Type type, Variant variant, int depth, int index) =>
            type == typeof(string) ? $"item-{index}" : type == typeof(int) ? index + 1 : Make(type, variant, depth + 1);

        private static object? Construct(Type type, Variant variant, int depth)
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
            if (constructor is null) return type.IsValueType ? Activator.CreateInstance(type) : null;
            var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Make(p.ParameterType, variant, depth + 1))]);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0))
            {
                if (constructor.GetParameters().Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase))) continue;
                property.SetValue(instance, Make(property.PropertyType, variant, depth + 1));
            }
            return instance;
        }
    }
}
