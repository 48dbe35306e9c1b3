using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.Gateway.Tests;

/// <summary>On SIGTERM a process with a drain keeps answering, says it is not ready, and closes each connection after its answer.</summary>
public sealed class ShutdownDrainTests
{
    private static async Task<(WebApplication App, Uri Url)> StartAsync(string drain)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:Shutdown:Drain"] = drain });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/answer", () => "answered");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address + "/"));
    }

    [Fact]
    public async Task While_draining_it_answers_reports_not_ready_and_closes_connections_then_stops_listening()
    {
        var (app, url) = await StartAsync("00:00:02");
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
        var before = await http.GetAsync("answer");
        Assert.False(before.Headers.ConnectionClose ?? false);

        var stopping = app.StopAsync(); // what SIGTERM starts
        await Task.Delay(300);

        Assert.False(stopping.IsCompleted);
        using var fresh = new HttpClient { BaseAddress = url };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await fresh.GetAsync("health")).StatusCode);
        var during = await fresh.GetAsync("answer");
        Assert.Equal("answered", await during.Content.ReadAsStringAsync());
        Assert.True(during.Headers.ConnectionClose);

        await stopping;
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, url.Port);
        });
    }
}
