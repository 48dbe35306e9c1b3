using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Metadata;
using Orleans.TestingHost;
using Platform.Grains.Hosting;

namespace Platform.Grains.Tests;

/// <summary>
/// A silo that stops keeps passing on the answers to calls already sent through its gateway: a client whose call went
/// through the stopping silo to a grain on another silo gets its answer, not the grain-call timeout. Without the
/// drain this fails: the stopping silo logs <c>Dropping message Response … since this silo is blocking application
/// messages</c> for every answer, and each call times out. Two silos of its own (the assembly's shared cluster has one).
/// </summary>
public sealed class GatewayDrainTests
{
    /// <summary>Longer than the drain (2 s) plus the answer (1 s), far shorter than a lost answer's wait.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Answers_to_calls_sent_through_a_stopping_silo_reach_the_client()
    {
        // One silo, the one that will stop, with the client connected to its gateway; then a second silo without a
        // gateway, so that the client is not connected to it. So it was in the rolling rehearsal (runs bb and bd): a
        // silo had just started again and the gateways' clients were not connected to it yet, so the answers of its
        // grains went back through the silo each call had come through, which was stopping, and it dropped them.
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((options, silo) =>
        {
            if (options.SiloName != "Silo_0") silo.Services.PostConfigure<EndpointOptions>(o => o.GatewayPort = 0);
            silo.AddMemoryGrainStorage(StorageNames.Grains);
            silo.UseInMemoryReminderService();
            silo.AddPlatformGrainBehaviour();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SlowLastSteps>();
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ClientTimeout));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var stopping = cluster.Silos[0];
        Assert.Equal(GatewayDrain.Default, stopping.ServiceProvider.GetServices<ILifecycleParticipant<ISiloLifecycle>>().OfType<GatewayDrain>().Single().Drain);
        var added = await cluster.StartAdditionalSiloAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        // Placement on the stopping silo chooses among the silos in its cluster manifest, which learns of the new silo
        // a moment after the membership does (CI run of 5 December: 0 of 60 grains placed on the new silo).
        await ManifestListsAsync(stopping, added.SiloAddress, TimeSpan.FromSeconds(30));

        // Grains on the new silo (placed by their key's hash): each call goes through the stopping silo's gateway to
        // the new silo, and its answer comes back the same way.
        var elsewhere = new List<ISlowAnswerGrain>();
        for (var key = 0; key < 200 && elsewhere.Count < 16; key++)
        {
            var grain = cluster.Client.GetGrain<ISlowAnswerGrain>(key);
            if (await grain.WhereAsync() != stopping.SiloAddress.ToString()) elsewhere.Add(grain);
        }
        Assert.True(elsewhere.Count >= 8, $"only {elsewhere.Count} of 200 grains were placed on the new silo");

        var calls = elsewhere.Select(async grain =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                await grain.AnswerAsync(TimeSpan.FromSeconds(1));
                return (Answered: true, watch.Elapsed, Error: "");
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                return (Answered: false, watch.Elapsed, Error: ex.GetType().Name);
            }
        }).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var stop = cluster.StopSiloAsync(stopping);

        var results = await Task.WhenAll(calls);
        await stop;

        var lost = results.Where(r => !r.Answered || r.Elapsed > TimeSpan.FromSeconds(5)).ToList();
        Assert.True(lost.Count == 0,
            $"{lost.Count} of {results.Length} calls lost their answer: {string.Join(", ", lost.Select(r => $"{r.Error} after {r.Elapsed.TotalSeconds:F1} s"))}");
    }

    /// <summary>Waits until the silo's cluster manifest lists the other silo, so that its placement may choose it.</summary>
    private static async Task ManifestListsAsync(InProcessSiloHandle silo, SiloAddress other, TimeSpan deadline)
    {
        var manifests = silo.ServiceProvider.GetRequiredService<IClusterManifestProvider>();
        var watch = Stopwatch.StartNew();
        while (!manifests.Current.Silos.ContainsKey(other))
        {
            Assert.True(watch.Elapsed < deadline, $"the cluster manifest of {silo.SiloAddress} did not list {other} within {deadline.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    [Theory]
    [InlineData("00:00:00", 0)]
    [InlineData("00:00:05", 5000)]
    [InlineData("-00:00:01", 0)]
    public void The_drain_is_read_from_the_silo_settings(string setting, int expectedMs)
    {
        using var services = SiloServices(setting);

        var drain = ActivatorUtilities.CreateInstance<GatewayDrain>(services);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), drain.Drain);
    }

    [Fact]
    public void A_drain_that_is_not_a_time_span_stops_the_silo_naming_the_setting()
    {
        using var services = SiloServices("two seconds");

        var error = Assert.Throws<InvalidOperationException>(() => ActivatorUtilities.CreateInstance<GatewayDrain>(services));

        Assert.Contains("Platform:Silo:GatewayDrain", error.Message, StringComparison.Ordinal);
        Assert.Contains("TimeSpan", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The silo's services as the platform registers its settings, with this drain in its configuration.</summary>
    private static ServiceProvider SiloServices(string drain) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:Silo:GatewayDrain"] = drain }).Build())
            .AddLogging()
            .AddPlatformSiloSettings()
            .BuildServiceProvider();
}

/// <summary>
/// The last steps of a silo's stop as they go on a busy cluster: after it closed its gateway and stopped passing on
/// messages, the other silos still take it for a member for a while (until its row in the membership table says it
/// is dead), and send it the answers for clients that called through it. Here that while is 3 s.
/// </summary>
internal sealed class SlowLastSteps : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SlowLastSteps), ServiceLifecycleStage.RuntimeServices - 1, _ => Task.CompletedTask, _ => Task.Delay(TimeSpan.FromSeconds(3)));
}

[Alias("Platform.Grains.Tests.ISlowAnswerGrain")]
public interface ISlowAnswerGrain : IGrainWithIntegerKey
{
    /// <summary>The address of the silo it lives on.</summary>
    [Alias("Where")]
    Task<string> WhereAsync();

    /// <summary>Answers (its silo's address) after the given time.</summary>
    [Alias("Answer")]
    Task<string> AnswerAsync(TimeSpan after);
}

[Orleans.Placement.HashBasedPlacement]
public sealed class SlowAnswerGrain(ILocalSiloDetails silo) : Grain, ISlowAnswerGrain
{
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToString());

    public async Task<string> AnswerAsync(TimeSpan after)
    {
        await Task.Delay(after);
        return silo.SiloAddress.ToString();
    }
}
