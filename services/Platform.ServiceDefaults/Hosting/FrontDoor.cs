using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Security;

namespace Platform.ServiceDefaults.Hosting;

/// <summary>
/// Something a process can answer from the request as the server received it, before the ASP.NET Core host makes a
/// request of it: no <c>HttpContext</c>, no request Activity or logging scope, no middleware. Meant for answers that
/// are already made (kept bytes), where that work would cost more than the answer itself.
/// </summary>
public interface IFrontAnswer
{
    /// <summary>
    /// Answers the request and returns true, or returns false and leaves it as it came (a body it read is put back)
    /// for the pipeline. <paramref name="transport"/> is the transport's verdict: answer only where it lets the request
    /// through, and add its <c>Strict-Transport-Security</c> header.
    /// </summary>
    ValueTask<bool> TryAnswerAsync(IFeatureCollection features, TransportVerdict transport);
}

/// <summary>
/// Puts an <see cref="IFrontAnswer"/> in front of the web server's application. Each request is offered to it first,
/// unless the process is draining (then every answer must close its connection, which the pipeline does); a request it
/// does not answer goes on to the host as if the front were not there. A test server (which replaces the web server) has
/// no front: the pipeline answers everything there.
/// </summary>
public static class FrontDoor
{
    public static IHostApplicationBuilder AddFrontDoor<TAnswer>(this IHostApplicationBuilder builder) where TAnswer : class, IFrontAnswer
    {
        builder.Services.TryAddSingleton<TransportRules>();
        builder.Services.AddSingleton<IFrontAnswer, TAnswer>();
        PutInFront(builder.Services);
        return builder;
    }

    /// <summary>
    /// Wraps the web server registered last (once: a server already wrapped stays as it is). Called by
    /// <see cref="AddFrontDoor"/>; a host that registers its web server later (a test factory choosing Kestrel) calls it again.
    /// </summary>
    public static void PutInFront(IServiceCollection services)
    {
        var server = services.LastOrDefault(d => d.ServiceType == typeof(IServer));
        if (server is null || server.IsKeyedService || server.ImplementationFactory?.Target is Wrapped) return;
        services.Remove(server);
        services.AddSingleton<IServer>(new Wrapped(server).Create);
    }

    private sealed class Wrapped(ServiceDescriptor server)
    {
        public IServer Create(IServiceProvider provider) => new Server(Create(provider, server), provider.GetRequiredService<IFrontAnswer>(),
            provider.GetRequiredService<TransportRules>(), provider.GetRequiredService<ShutdownDrain>());

        private static IServer Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
            descriptor.ImplementationInstance as IServer
            ?? descriptor.ImplementationFactory?.Invoke(provider) as IServer
            ?? (IServer)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
    }

    private sealed class Server(IServer inner, IFrontAnswer front, TransportRules transport, ShutdownDrain drain) : IServer
    {
        public IFeatureCollection Features => inner.Features;

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            inner.StartAsync(new Application<TContext>(application, front, transport, drain), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

        public void Dispose() => inner.Dispose();
    }

    private sealed class Application<TContext>(IHttpApplication<TContext> inner, IFrontAnswer front, TransportRules transport, ShutdownDrain drain)
        : IHttpApplication<Application<TContext>.Context> where TContext : notnull
    {
        public sealed class Context(IFeatureCollection features)
        {
            public IFeatureCollection Features { get; } = features;
            public TContext? Inner { get; set; }
        }

        public Context CreateContext(IFeatureCollection contextFeatures) => new(contextFeatures);

        public async Task ProcessRequestAsync(Context context)
        {
            if (!drain.Draining && transport.Judge(context.Features) is { LetsThrough: true } verdict
                && await front.TryAnswerAsync(context.Features, verdict))
            {
                return;
            }
            // The host's own request starts here: everything it does (Activity, metrics, logging scope, middleware) as before.
            context.Inner = inner.CreateContext(context.Features);
            await inner.ProcessRequestAsync(context.Inner);
        }

        public void DisposeContext(Context context, Exception? exception)
        {
            if (context.Inner is { } started) inner.DisposeContext(started, exception);
        }
    }
}
