using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Tests;

/// <summary>
/// The gateway in the Development environment (where ASP.NET Core adds its exception page, which echoes
/// request headers) in front of a cluster whose every grain call fails, as when the silo is down or a
/// grain has a bug: answers are 503 with Retry-After, or a logged internal error with its trace id, in the
/// API's own format, naming no internal type and echoing nothing.
/// </summary>
public sealed class FailingClusterFixture : WebApplicationFactory<Program>
{
    public FailingGrains Grains { get; } = new();

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Platform:Gateway:Orleans", "External");
        builder.UseSetting("Platform:Gateway:Authority", "http://127.0.0.1:1/");
        builder.UseSetting("ConnectionStrings:readmodel", $"Data Source={Path.Combine(Path.GetTempPath(), $"failing-cluster-{Guid.NewGuid():N}", "complaints.db")}");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Grains.Factory);
            services.AddSingleton(TimeProvider.System);
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

/// <summary>A grain factory whose grains throw whatever <see cref="Failure"/> makes, for every call.</summary>
public sealed class FailingGrains
{
    public Func<Exception> Failure { get; set; } = () => new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:11111:0");

    public IGrainFactory Factory { get; }

    public FailingGrains()
    {
        Factory = DispatchProxy.Create<IGrainFactory, FactoryProxy>();
        ((FactoryProxy)(object)Factory).Owner = this;
    }

    public class FactoryProxy : DispatchProxy
    {
        public FailingGrains Owner { get; set; } = null!;

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var type = method!.ReturnType;
            if (!type.IsInterface) throw new NotSupportedException(method.Name);
            var grain = DispatchProxy.Create(type, typeof(GrainProxy));
            ((GrainProxy)grain).Owner = Owner;
            return grain;
        }
    }

    public class GrainProxy : DispatchProxy
    {
        public FailingGrains Owner { get; set; } = null!;

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var error = Owner.Failure();
            var type = method!.ReturnType;
            if (type == typeof(Task)) return Task.FromException(error);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var source = Activator.CreateInstance(typeof(TaskCompletionSource<>).MakeGenericType(type.GetGenericArguments()[0]))!;
                source.GetType().GetMethod("SetException", [typeof(Exception)])!.Invoke(source, [error]);
                return source.GetType().GetProperty("Task")!.GetValue(source);
            }
            throw error;
        }
    }
}

public sealed class FailingClusterTests(FailingClusterFixture gateway) : IClassFixture<FailingClusterFixture>
{
    private const string Secret = "header-secret-7f3a";

    private async Task<(HttpResponseMessage Response, string Body)> SendAsync(string path, HttpContent? content = null)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(content is null ? HttpMethod.Get : HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Api-Secret", Secret);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Query(string query) => new($$"""{"query":{{System.Text.Json.JsonSerializer.Serialize(query)}}}""", Encoding.UTF8, "application/json");

    public static TheoryData<string, bool> Surfaces => new()
    {
        { "/graphql", true },
        { "/t/GM0405/graphql", true },        // the tenant lookup fails before the endpoint runs
        { "/open311/v2/services.json?jurisdiction_id=GM0405", false },
        { "/open311/v2/services.xml?jurisdiction_id=GM0405", false },
    };

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task An_unreachable_cluster_is_a_503_with_Retry_After_naming_no_internal_type(string path, bool graphql)
    {
        gateway.Grains.Failure = () => new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:11111:0");

        var (response, body) = await SendAsync(path, graphql ? Query("""{ arrangement(id: "afval-nhn") { name } }""") : null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("cannot be reached", body);
        Assert.DoesNotContain("Orleans", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("11111", body);
        Assert.DoesNotContain(Secret, body);
        if (graphql) Assert.Equal("SERVICE_UNAVAILABLE", JsonNode.Parse(body)!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_change_that_got_no_answer_in_time_does_not_claim_nothing_was_changed()
    {
        // The grain call may have run: the answer says the outcome is unknown and how to learn it. (Confirming a filing
        // needs no token: the link's secret is the credential, so the mutation reaches its grain here.)
        gateway.Grains.Failure = () => new TimeoutException("Response did not arrive on time in 00:00:10");

        var (write, writeBody) = await SendAsync("/graphql", Query("""mutation { confirmComplaint(input: { followToken: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }) { userErrors { code } } }"""));
        var (read, readBody) = await SendAsync("/graphql", Query("""{ arrangement(id: "afval-nhn") { name } }"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        var error = JsonNode.Parse(writeBody)!["errors"]![0]!;
        Assert.Equal("SERVICE_UNAVAILABLE", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("may or may not have been made", error["message"]!.GetValue<string>());
        Assert.Contains("Idempotency-Key", error["message"]!.GetValue<string>());
        Assert.DoesNotContain("nothing was changed", writeBody);
        Assert.DoesNotContain("Orleans", writeBody);
        // A read changes nothing, whatever happened to it.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.Contains("nothing was changed", readBody);
    }

    [Fact]
    public async Task A_failing_resolver_is_logged_with_the_trace_id_the_client_sees_and_answered_without_internals()
    {
        gateway.Grains.Failure = () => new InvalidOperationException("Sequence contains no elements at ArrangementGrain.GetAsync");

        var (response, body) = await SendAsync("/graphql", Query("""{ arrangement(id: "afval-nhn") { name } }"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = JsonNode.Parse(body)!["errors"]![0]!;
        Assert.Equal("INTERNAL_ERROR", error["extensions"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("Sequence contains", body);
        Assert.DoesNotContain(Secret, body);
        var traceId = System.Text.RegularExpressions.Regex.Match(error["message"]!.GetValue<string>(), "trace id ([0-9a-f]{32})").Groups[1].Value;
        Assert.NotEmpty(traceId);
        var logged = Assert.Single(gateway.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(traceId, StringComparison.Ordinal));
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact]
    public async Task An_exception_outside_GraphQL_in_Development_is_a_problem_body_not_the_exception_page()
    {
        gateway.Grains.Failure = () => new InvalidOperationException("boom inside the tenant store");

        var (response, body) = await SendAsync("/t/GM0405/graphql", Query("{ __typename }"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("boom", body);
        Assert.DoesNotContain(Secret, body);
        Assert.Equal("INTERNAL_ERROR", JsonNode.Parse(body)!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains(gateway.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "boom inside the tenant store");
    }
}
