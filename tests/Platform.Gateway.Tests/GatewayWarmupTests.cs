using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Gateway.GraphQL.Http;

namespace Platform.Gateway.Tests;

/// <summary>A gateway is ready only once it answered the common public queries itself, executed in full.</summary>
public sealed class GatewayWarmupTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://127.0.0.1:5443", null)]
    [InlineData("http://10.1.2.3:8080", null)]
    public void The_warmup_goes_to_the_loopback_address_the_gateway_listens_on(string listening, string? expected)
    {
        Assert.Equal(expected, GatewayWarmup.LoopbackAddress([listening])?.ToString());
    }

    [Fact]
    public async Task Ready_after_every_query_was_executed_in_full_and_tried_again_after_a_failure()
    {
        var sent = new List<(string Body, string? CacheControl, string? Proto)>();
        var failFirst = true;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost(GraphQLHttpEndpoint.Path, async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            lock (sent)
            {
                sent.Add((body, request.Headers.CacheControl.ToString(), request.Headers["X-Forwarded-Proto"].ToString()));
                if (failFirst)
                {
                    failFirst = false;
                    return Results.Text("""{"errors":[{"message":"The platform cannot be reached just now"}]}""", "application/json", statusCode: 503);
                }
            }
            return Results.Text("""{"data":{}}""", "application/json");
        });
        await app.StartAsync();
        var warmup = new GatewayWarmup(app.Services.GetRequiredService<IServer>(), NullLogger<GatewayWarmup>.Instance);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => warmup.ReadyAsync(CancellationToken.None));
        Assert.Contains("503", failed.Message);
        Assert.Single(sent);

        await warmup.ReadyAsync(CancellationToken.None);
        Assert.Equal(1 + GatewayWarmup.Rounds * GatewayWarmup.Documents.Length, sent.Count);
        Assert.All(sent, s => Assert.Equal("no-cache", s.CacheControl));
        // As a proxy that ends TLS sends them: outside Development plain HTTP is refused otherwise.
        Assert.All(sent, s => Assert.Equal("https", s.Proto));
        foreach (var document in GatewayWarmup.Documents)
        {
            Assert.True(sent.Count(s => s.Body.Contains(document.Split(' ')[1], StringComparison.Ordinal)) >= GatewayWarmup.Rounds, document);
        }

        // Warm once: later checks send nothing.
        await warmup.ReadyAsync(CancellationToken.None);
        Assert.Equal(1 + GatewayWarmup.Rounds * GatewayWarmup.Documents.Length, sent.Count);
        await app.StopAsync();
    }

    [Fact]
    public async Task An_address_that_refuses_plain_HTTP_is_no_reason_to_stay_unready()
    {
        var sent = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost(GraphQLHttpEndpoint.Path, () =>
        {
            Interlocked.Increment(ref sent);
            return Results.Text("HTTPS is required: this server does not answer over plain HTTP.", statusCode: 426);
        });
        await app.StartAsync();
        var warmup = new GatewayWarmup(app.Services.GetRequiredService<IServer>(), NullLogger<GatewayWarmup>.Instance);

        await warmup.ReadyAsync(CancellationToken.None);

        Assert.Equal(1, sent);
        await app.StopAsync();
    }
}

/// <summary>Each warm-up document is valid for the gateway's schema and answered without errors (a renamed field would keep every gateway unready).</summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayWarmupDocumentTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_warmup_documents_run_against_the_real_schema_and_demo_data()
    {
        foreach (var document in GatewayWarmup.Documents)
        {
            var data = await fixture.DataAsync(document);
            Assert.True(data.AsObject().Count > 0, document);
        }
        var arrangements = (await fixture.DataAsync(GatewayWarmup.Documents[0]))["arrangements"]!["nodes"]!.AsArray();
        Assert.Contains(arrangements, a => a!["tariffs"]!.AsArray().Count > 0);
    }
}
