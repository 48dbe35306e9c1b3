using GraphQL;

namespace Platform.Gateway.GraphQL.Types;

public static class ResolveContextExtensions
{
    /// <summary>The Orleans cluster, through which every read and write goes; the gateway keeps no state.</summary>
    public static IGrainFactory Grains(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IGrainFactory>();

    /// <summary>A grain by key, its reference made once (see <see cref="GrainReferences"/>).</summary>
    public static T Grain<T>(this IResolveFieldContext context, string key) where T : IGrainWithStringKey =>
        context.RequestServices!.GetRequiredService<GrainReferences>().Get<T>(key);

    public static TimeProvider Time(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<TimeProvider>();
}
