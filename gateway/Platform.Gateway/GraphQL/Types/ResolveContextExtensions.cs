using GraphQL;

namespace Platform.Gateway.GraphQL.Types;

public static class ResolveContextExtensions
{
    /// <summary>The Orleans cluster, through which every read and write goes; the gateway keeps no state.</summary>
    public static IGrainFactory Grains(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IGrainFactory>();

    public static TimeProvider Time(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<TimeProvider>();
}
