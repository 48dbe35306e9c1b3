namespace Platform.Grains;

/// <summary>
/// The caller's identity travels with every grain call in Orleans <see cref="RequestContext"/>, so a
/// grain can record who did something (and, from the identity issue on, refuse who may not).
/// </summary>
public static class CallerContext
{
    private const string ActorKey = "platform.actor";

    /// <summary>Used when nobody set a caller: calls from inside the cluster, such as the demo seeder.</summary>
    public const string System = "system";

    public static string Actor => RequestContext.Get(ActorKey) as string ?? System;

    public static void SetActor(string actor) => RequestContext.Set(ActorKey, actor);
}
