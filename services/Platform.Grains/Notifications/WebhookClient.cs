using System.Net;
using System.Net.Sockets;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Domain.Events;
using StandardWebhooks;

namespace Platform.Grains.Notifications;

/// <summary>
/// Delivers events to partners' endpoints: a CloudEvents 1.0 JSON body (structured mode), signed the Standard Webhooks
/// way (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>: HMAC-SHA256 over id, timestamp and body).
/// Redirects are not followed, and unless private targets are allowed a connection to anything but a public address is
/// refused after the name is resolved, so a name that points inside the network does not get through either.
/// </summary>
public static class WebhookClient
{
    public const string Name = "webhooks";
    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>
    /// One client for every delivery, built here rather than by the HTTP client factory: the platform's default
    /// resilience handler would retry a failed delivery itself, and those attempts belong in the notifier's log.
    /// </summary>
    public static IServiceCollection AddWebhookClient(this IServiceCollection services)
    {
        services.AddSingleton<WebhookHttp>();
        return services;
    }

    public static SocketsHttpHandler Handler(bool allowPrivateTargets) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2), // names are resolved (and checked) again
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => allowPrivateTargets || WebhookRules.IsPublic(a)).ToList();
            if (allowed.Count == 0)
            {
                throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to loopback, private or link-local addresses; webhooks go to public addresses only.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed[0], context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The request for one event to one endpoint, signed at <paramref name="now"/>.</summary>
    public static HttpRequestMessage Request(PlatformEvent e, WebhookTarget target, Uri webApp, DateTimeOffset now)
    {
        var cloudEvent = new CloudEvent
        {
            Id = e.Id,
            Type = e.Type,
            Source = new Uri(webApp, $"complaints/{Uri.EscapeDataString(e.Subject)}"),
            Subject = e.Subject,
            Time = e.Time,
            DataContentType = "application/json",
            Data = System.Text.Json.JsonDocument.Parse(e.Data).RootElement,
        };
        var body = Encoding.UTF8.GetString(new JsonEventFormatter().EncodeStructuredModeMessage(cloudEvent, out _).Span);
        var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(ContentType);
        // The event's id is the message id: a repeated delivery of the same event carries the same one.
        request.Headers.Add("webhook-id", e.Id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(target.Secret).Sign(e.Id, now, body));
        return request;
    }
}

/// <summary>The HTTP client webhooks are delivered with (see <see cref="WebhookClient"/>).</summary>
public sealed class WebhookHttp(IOptions<NotificationSettings> settings) : IDisposable
{
    public HttpClient Client { get; } = new(WebhookClient.Handler(settings.Value.AllowPrivateWebhookTargets)) { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => Client.Dispose();
}
