using System.Collections.Concurrent;

namespace Platform.Gateway.GraphQL.Types;

/// <summary>
/// Grain references by interface and key, made once. Orleans reads the grain interface's attributes on every
/// <c>GetGrain</c> (3 % of a tariff read's time in a profile under load); a reference is immutable and may be
/// shared, so the hot reads take it from here. Bounded: past the limit, references are made as before.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    private const int Limit = 100_000;
    private readonly ConcurrentDictionary<(Type Interface, string Key), IAddressable> references = new();

    public T Get<T>(string key) where T : IGrainWithStringKey
    {
        if (references.TryGetValue((typeof(T), key), out var known)) return (T)known;
        var made = grains.GetGrain<T>(key);
        if (references.Count < Limit) references.TryAdd((typeof(T), key), made);
        return made;
    }
}
