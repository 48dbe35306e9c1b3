using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Hosting;
using Platform.ServiceDefaults.Security;

namespace Platform.Gateway.Tests;

/// <summary>
/// A front on the web server answers what it can before the host makes a request of it, and hands everything else to
/// the pipeline exactly as it came; it is never asked while the process drains or where the transport rules refuse.
/// </summary>
public sealed class FrontDoorTests
{
    /// <summary>Answers POST /front with "front:" and the body; reads the body of POST /declined and puts it back.</summary>
    private sealed class EchoFront : IFrontAnswer
    {
        public int Asked;

        public async ValueTask<bool> TryAnswerAsync(IFeatureCollection features, TransportVerdict transport)
        {
            Interlocked.Increment(ref Asked);
            var request = features.Get<IHttpRequestFeature>()!;
            if (request.Path is not ("/front" or "/declined")) return false;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            if (request.Path == "/declined")
            {
                request.Body = new MemoryStream(buffer.ToArray());
                return false;
            }
            var answer = Encoding.UTF8.GetBytes("front:" + Encoding.UTF8.GetString(buffer.ToArray()));
            var response = features.Get<IHttpResponseFeature>()!;
            response.StatusCode = 200;
            response.Headers.ContentLength = answer.Length;
            if (transport.StrictTransportSecurity is { } hsts) response.Headers.StrictTransportSecurity = hsts;
            await features.Get<IHttpResponseBodyFeature>()!.Writer.WriteAsync(answer);
            return true;
        }
    }

    private static async Task<(WebApplication App, Uri Url, EchoFront Front)> StartAsync(string environment, string drain = "00:00:00")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:Shutdown:Drain"] = drain });
        builder.AddServiceDefaults();
        builder.AddFrontDoor<EchoFront>();
        var app = builder.Build();
        app.UsePlatformWebSecurity(WebSecurity.ApiPolicy);
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return "pipeline:" + request.Path + ":" + await reader.ReadToEndAsync();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address + "/"), (EchoFront)app.Services.GetRequiredService<IFrontAnswer>());
    }

    private static async Task<(HttpStatusCode Status, string Body, ActivityTraceId Trace, HttpResponseMessage Response)> PostAsync(HttpClient http, string path, string body)
    {
        var (trace, traceparent) = HostRequests.NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), trace, response);
    }

    [Fact]
    public async Task What_the_front_answers_never_becomes_a_request_of_the_host_and_what_it_declines_arrives_as_sent()
    {
        using var host = new HostRequests();
        var (app, url, front) = await StartAsync("Development");
        await using var _ = app;
        using var http = HostRequests.Client(url);

        var answered = await PostAsync(http, "front", "hallo");
        var declined = await PostAsync(http, "declined", "{\"query\":\"{ a }\"}");
        var other = await PostAsync(http, "elsewhere", "x");

        Assert.Equal((HttpStatusCode.OK, "front:hallo"), (answered.Status, answered.Body));
        Assert.False(host.Started(answered.Trace));
        // The body the front read is read again by the endpoint, whole.
        Assert.Equal((HttpStatusCode.OK, "pipeline:/declined:{\"query\":\"{ a }\"}"), (declined.Status, declined.Body));
        Assert.True(host.Started(declined.Trace));
        Assert.Equal("pipeline:/elsewhere:x", other.Body);
        Assert.True(host.Started(other.Trace));
        Assert.Equal(3, front.Asked);
    }

    [Fact]
    public async Task Where_plain_HTTP_is_refused_the_front_is_not_asked_and_the_refusal_is_the_pipelines()
    {
        var (app, url, front) = await StartAsync("Production");
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = url };

        var refused = await PostAsync(http, "front", "hallo");

        Assert.Equal(HttpStatusCode.UpgradeRequired, refused.Status);
        Assert.Contains("HTTPS is required", refused.Body);
        Assert.Equal(0, front.Asked);
    }

    [Fact]
    public async Task While_draining_the_pipeline_answers_everything_and_closes_each_connection()
    {
        var (app, url, front) = await StartAsync("Development", drain: "00:00:02");
        await using var _ = app;
        var stopping = app.StopAsync();
        await Task.Delay(300);
        using var http = new HttpClient { BaseAddress = url };

        var during = await PostAsync(http, "front", "hallo");

        Assert.Equal("pipeline:/front:hallo", during.Body);
        Assert.True(during.Response.Headers.ConnectionClose);
        Assert.Equal(0, front.Asked);
        await stopping;
    }

    public static TheoryData<string, string?, string, string?, string?, bool> Requests => new()
    {
        // environment, AllowPlainHttp/ForwardedHeaders ("plain", "forwarded"), scheme, host, X-Forwarded-Proto / X-Forwarded-For ("proto|for"), expected through
        { "Development", null, "http", "127.0.0.1", null, true },
        { "Development", null, "https", "regelingen.example.nl", null, true },
        { "Production", null, "http", "regelingen.example.nl", null, false },
        { "Production", null, "https", "regelingen.example.nl", null, true },
        { "Production", null, "https", "localhost", null, true },
        { "Production", "plain", "http", "regelingen.example.nl", null, true },
        { "Production", null, "http", "regelingen.example.nl", "https|", false },
        { "Production", "forwarded", "http", "regelingen.example.nl", "https|", true },
        { "Production", "forwarded", "http", "regelingen.example.nl", "https|203.0.113.9", true },
        { "Production", "forwarded", "http", "regelingen.example.nl", "http|203.0.113.9", false },
        { "Production", "forwarded", "https", "regelingen.example.nl", "http|", false },
        // Only the forwarded-headers middleware reads these: the front leaves them to the pipeline.
        { "Production", "forwarded", "http", "regelingen.example.nl", "https, https|", false },
        { "Production", "forwarded", "http", "regelingen.example.nl", "https|not-an-address", false },
        { "Production", "forwarded", "http", "regelingen.example.nl", "HTTPS|", false },
    };

    /// <summary>
    /// Wherever the front's verdict lets a request through, the pipeline's transport security lets the same request through
    /// and gives it the same Strict-Transport-Security header: the front never answers what the pipeline would refuse.
    /// </summary>
    [Theory]
    [MemberData(nameof(Requests))]
    public async Task The_fronts_transport_verdict_agrees_with_the_pipeline(string environment, string? setting, string scheme, string? host, string? forwarded, bool through)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        if (setting == "plain") builder.Configuration["Platform:Http:AllowPlainHttp"] = "true";
        if (setting == "forwarded") builder.Configuration["Platform:Http:ForwardedHeaders"] = "true";
        await using var app = builder.Build();
        app.UsePlatformTransportSecurity();
        app.MapGet("/answer", () => "answered");
        await app.StartAsync();

        var headers = new HeaderDictionary { ["Host"] = host };
        var (proto, forwardedFor) = forwarded?.Split('|') is [var p, var f] ? (p, f) : ("", "");
        if (proto.Length > 0) headers["X-Forwarded-Proto"] = proto;
        if (forwardedFor.Length > 0) headers["X-Forwarded-For"] = forwardedFor;
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature { Scheme = scheme, Method = "GET", Path = "/answer", Headers = headers });
        var verdict = new TransportRules(app.Configuration, app.Environment, app.Services.GetRequiredService<IOptions<HstsOptions>>()).Judge(features);

        var client = app.GetTestClient();
        client.BaseAddress = new Uri($"{scheme}://{host}/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "answer");
        foreach (var (name, value) in headers.Where(h => h.Key != "Host")) request.Headers.TryAddWithoutValidation(name, value.ToString());
        using var response = await client.SendAsync(request);

        Assert.Equal(through, verdict.LetsThrough);
        if (verdict.LetsThrough)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var pipelineHsts = response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? values.Single() : null;
            Assert.Equal(pipelineHsts, verdict.StrictTransportSecurity);
        }
        if (environment == "Production" && scheme == "https" && host != "localhost" && forwarded is null)
        {
            Assert.StartsWith("max-age=", verdict.StrictTransportSecurity);
        }
    }
}
