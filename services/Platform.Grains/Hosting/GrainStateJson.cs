using Platform.Grains.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using Orleans.Serialization;

namespace Platform.Grains.Hosting;

/// <summary>
/// How grain state is written to and read from storage (Orleans' JSON grain storage serializer, used by the
/// Azure Blob provider). Orleans' defaults leave out default values (<c>0.00m</c> is one, and read back as
/// <c>0</c>) and fill the object a grain starts with on reload (an initialised list gains the stored items
/// after its initial ones). The platform writes every value and replaces what a grain started with, so
/// state reads back exactly as it was written; sets and dictionaries keyed by text keep their ordinal
/// comparer, which a replaced collection would otherwise lose (a <c>SortedSet&lt;string&gt;</c> made by the
/// serializer sorts by culture).
/// </summary>
public static class GrainStateJson
{
    public static IServiceCollection AddPlatformGrainStateJson(this IServiceCollection services) =>
        services.Configure<OrleansJsonSerializerOptions>(o => Apply(o.JsonSerializerSettings));

    /// <summary>What every silo of the platform does, whatever its providers: state stored exactly, failed calls reset.</summary>
    public static ISiloBuilder AddPlatformGrainBehaviour(this ISiloBuilder silo)
    {
        silo.Services.AddPlatformGrainStateJson();
        // A grain call is a span of the caller's trace (Microsoft.Orleans.Application), gateway to silo to silo, when
        // something listens: the traces' exporter for the calls it samples, the slow span log (Platform:Telemetry:SlowSpanMs).
        silo.AddActivityPropagation();
        silo.Services.AddWebhookClient();
        silo.AddIncomingGrainCallFilter<ResetOnFailure>();
        silo.AddIncomingGrainCallFilter<PublicData.PublicDataChanges>();
        silo.Services.AddPlatformSiloSettings();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloWarmUp>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, GatewayDrain>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Complaints.ServiceLevelSweepArming>();
        return silo;
    }

    public static JsonSerializerSettings Apply(JsonSerializerSettings settings)
    {
        settings.DefaultValueHandling = DefaultValueHandling.Include;
        settings.NullValueHandling = NullValueHandling.Include;
        settings.ObjectCreationHandling = ObjectCreationHandling.Replace;
        settings.FloatParseHandling = FloatParseHandling.Decimal;
        settings.ContractResolver = new OrdinalKeyedCollections();
        return settings;
    }

    /// <summary>Creates sets and dictionaries of text with <see cref="StringComparer.Ordinal"/>, as the state classes do.</summary>
    private sealed class OrdinalKeyedCollections : DefaultContractResolver
    {
        protected override JsonContract CreateContract(Type objectType)
        {
            var contract = base.CreateContract(objectType);
            if (OrdinalCreator(objectType) is { } creator)
            {
                contract.DefaultCreator = creator;
            }
            return contract;
        }

        private static Func<object>? OrdinalCreator(Type type)
        {
            if (!type.IsGenericType || type.GetGenericArguments()[0] != typeof(string)) return null;
            var definition = type.GetGenericTypeDefinition();
            var comparerType =
                definition == typeof(SortedSet<>) || definition == typeof(SortedDictionary<,>) ? typeof(IComparer<string>)
                : definition == typeof(HashSet<>) || definition == typeof(Dictionary<,>) ? typeof(IEqualityComparer<string>)
                : null;
            var constructor = comparerType is null ? null : type.GetConstructor([comparerType]);
            return constructor is null ? null : () => constructor.Invoke([StringComparer.Ordinal]);
        }
    }
}
