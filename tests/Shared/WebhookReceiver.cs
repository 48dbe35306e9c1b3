using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Platform.Tests.Shared;

/// <summary>
/// A partner's webhook receiver: a real HTTP server on 127.0.0.1 that records each request and answers with the next
/// scripted status (then 204); a scripted 302 points at the cloud metadata address, as a hostile receiver would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    public ConcurrentQueue<(IHeaderDictionary Headers, string Body)> Received { get; } = new();

    public ConcurrentQueue<int> Script { get; } = new();

    public Uri Url { get; private set; } = null!;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue((new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body));
            var status = receiver.Script.TryDequeue(out var next) ? next : 204;
            if (status is 302) http.Response.Headers.Location = "http://169.254.169.254/latest/meta-data/";
            http.Response.StatusCode = status;
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/hook");
        return receiver;
    }

    /// <summary>Waits (up to <paramref name="seconds"/>) until <paramref name="done"/> holds for what was received.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyCollection<(IHeaderDictionary Headers, string Body)>, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(Received))
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
