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
        var tokens = new List<string>();
        var signedIn = new List<(string Body, string? Proto)>();
        var failFirst = true;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost(GraphQLHttpEndpoint.Path, async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            if (request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
            {
                // The token validation's warm-up: refused, as the gateway refuses a token no key signed.
                lock (tokens) tokens.Add(authorization);
                return Results.Text("""{"errors":[{"message":"invalid token"}]}""", "application/json", statusCode: 401);
            }
            if (GatewayWarmup.SignedInDocuments.Any(d => body.Contains(System.Text.Json.JsonSerializer.Serialize(d.Query), StringComparison.Ordinal)))
            {
                // A signed-in document without a token: refused at the sign-in check, as the gateway refuses it.
                lock (signedIn) signedIn.Add((body, request.Headers["X-Forwarded-Proto"].ToString()));
                return Results.Text("""{"errors":[{"message":"Sign in first.","extensions":{"code":"UNAUTHENTICATED"}}]}""", "application/json", statusCode: 401);
            }
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
        // And a signed-in request's token check, once the queries ran (so the identity server's keys are fetched).
        Assert.Equal(GatewayWarmup.Rounds, tokens.Count);
        Assert.All(tokens, t => Assert.Equal($"Bearer {GatewayWarmup.UnsignedToken}", t));
        // And the signed-in documents, without a token, each of them every round, with their variables.
        Assert.Equal(GatewayWarmup.Rounds * GatewayWarmup.SignedInDocuments.Length, signedIn.Count);
        Assert.All(signedIn, s => Assert.Equal("https", s.Proto));
        Assert.All(GatewayWarmup.SignedInDocuments, d => Assert.Equal(GatewayWarmup.Rounds,
            signedIn.Count(s => s.Body.Contains(System.Text.Json.JsonSerializer.Serialize(d.Query), StringComparison.Ordinal) && s.Body.Contains("\"variables\":{", StringComparison.Ordinal))));

        // Warm once: later checks send nothing.
        await warmup.ReadyAsync(CancellationToken.None);
        Assert.Equal(1 + GatewayWarmup.Rounds * GatewayWarmup.Documents.Length, sent.Count);
        Assert.Equal(GatewayWarmup.Rounds, tokens.Count);
        Assert.Equal(GatewayWarmup.Rounds * GatewayWarmup.SignedInDocuments.Length, signedIn.Count);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_token_check_that_cannot_reach_the_identity_server_is_no_reason_to_stay_unready()
    {
        var tokenChecks = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost(GraphQLHttpEndpoint.Path, (HttpRequest request) =>
        {
            if (request.Headers.Authorization.Count == 0) return Results.Text("""{"data":{}}""", "application/json");
            Interlocked.Increment(ref tokenChecks);
            return Results.Text("""{"errors":[{"message":"The identity server cannot be reached"}]}""", "application/json", statusCode: 503);
        });
        await app.StartAsync();
        var warmup = new GatewayWarmup(app.Services.GetRequiredService<IServer>(), NullLogger<GatewayWarmup>.Instance);

        await warmup.ReadyAsync(CancellationToken.None);

        // Tried once, and the gateway is ready for the public reads it can answer.
        Assert.Equal(1, tokenChecks);
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

    [Fact]
    public async Task The_warmup_runs_the_complaint_lists_queries_against_the_real_read_model()
    {
        var counts = fixture.Services.GetRequiredService<Platform.Gateway.Complaints.ListCounts>();
        var before = counts.Counts;

        Assert.True(await GatewayWarmup.WarmComplaintListAsync(fixture.Services, CancellationToken.None));

        // The list's own path, version query included, ran twice: each round's total was counted in the database or, at
        // a list version counted before (by this gateway's own warm-up, when a readiness check ran it), told again.
        var after = counts.Counts;
        Assert.True(after.Counted + after.Kept - before.Counted - before.Kept >= 2, $"{before} -> {after}");
    }

    [Fact]
    public async Task The_warmup_calls_absent_grains_through_the_real_cluster_announces_a_change_stores_nothing_and_every_message_round_trips_whole()
    {
        var cache = fixture.Services.GetRequiredService<PublicAnswerCache>();
        var generation = cache.Ticket();

        Assert.Null(await GatewayWarmup.WarmGrainCallsAsync(fixture.Services, CancellationToken.None));

        // The change it announced reached this gateway, which dropped what it kept.
        Assert.True(cache.Ticket() > generation);
        var grains = fixture.Services.GetRequiredService<IClusterClient>();
        for (var i = 0; i < GatewayWarmup.GrainReads; i++)
        {
            Assert.Null(await grains.GetGrain<Platform.Grains.Complaints.IComplaintGrain>($"{GatewayWarmup.AbsentKey}-{i}").GetAsync());
            Assert.Null(await grains.GetGrain<Platform.Grains.Proposals.IProposalGrain>($"{GatewayWarmup.AbsentKey}-{i}").GetAsync());
            Assert.Null(await grains.GetGrain<Platform.Grains.Organisations.IOrganisationGrain>($"{GatewayWarmup.AbsentKey}-{i}").GetAsync());
        }
        // The codecs it compiles are those of the messages themselves: each comes back with every field it was sent with.
        var serializer = fixture.Services.GetRequiredService<Orleans.Serialization.Serializer>();
        var messages = GatewayWarmup.Messages().ToList();
        Assert.Equal(4, messages.Select(m => m.GetType()).Distinct().Count());
        foreach (var message in messages)
        {
            var back = GatewayWarmup.RoundTrip(serializer, message);
            Assert.Equal(message.GetType(), back.GetType());
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
        }
    }

    [Fact]
    public async Task A_gateway_without_a_cluster_client_is_ready_all_the_same_and_says_why_the_grain_warmup_was_left_out()
    {
        using var empty = new ServiceCollection().BuildServiceProvider();

        Assert.Equal("no cluster client", await GatewayWarmup.WarmGrainCallsAsync(empty, CancellationToken.None));
    }

    [Fact]
    public async Task The_signed_in_warmup_documents_are_valid_on_the_real_schema_and_refused_at_the_sign_in_check_with_nothing_stored()
    {
        var before = (await fixture.DataAsync("{ complaints(first: 1) { totalCount } }", token: await fixture.TokenAsync("citizen@demo.test")))["complaints"]!["totalCount"]!.GetValue<int>();

        foreach (var (query, variables) in GatewayWarmup.SignedInDocuments)
        {
            var (status, body) = await fixture.PostAsync(query, variables);

            // Not a validation error (a renamed field or input would be one): the resolver ran and asked for a sign-in.
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, status);
            Assert.Equal("UNAUTHENTICATED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        }
        var after = (await fixture.DataAsync("{ complaints(first: 1) { totalCount } }", token: await fixture.TokenAsync("citizen@demo.test")))["complaints"]!["totalCount"]!.GetValue<int>();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task The_warmup_token_is_refused_by_the_real_gateway_as_a_token_no_key_signed()
    {
        var (status, body) = await fixture.PostAsync("{ viewer { organisation } }", token: GatewayWarmup.UnsignedToken);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, status);
        Assert.Equal("INVALID_TOKEN", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }
}
