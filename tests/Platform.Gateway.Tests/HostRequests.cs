using System.Diagnostics;

namespace Platform.Gateway.Tests;

/// <summary>Trace ids of the requests the ASP.NET Core host started (its request Activity takes the caller's traceparent).</summary>
public sealed class HostRequests : IDisposable
{
    private readonly ActivityListener listener;
    private readonly HashSet<ActivityTraceId> started = [];

    public HostRequests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity => { lock (started) started.Add(activity.TraceId); },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public bool Started(ActivityTraceId id)
    {
        lock (started) return started.Contains(id);
    }

    public void Dispose() => listener.Dispose();

    /// <summary>A client that sends the traceparent each request carries (its own tracing would put another in its place).</summary>
    public static HttpClient Client(Uri baseAddress) =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = baseAddress };

    /// <summary>A new trace id, and the traceparent header that carries it.</summary>
    public static (ActivityTraceId Trace, string Header) NewTrace()
    {
        var trace = ActivityTraceId.CreateRandom();
        return (trace, $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
    }
}
