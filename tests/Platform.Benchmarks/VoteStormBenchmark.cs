using System.Diagnostics;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Domain.Calendar;
using Platform.Domain.Proposals;
using Platform.Domain.Tariffs;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Proposals;

namespace Platform.Benchmarks;

/// <summary>
/// A vote storm: ten members of each of 100 arrangements (an eleventh never votes, so the vote stays open)
/// vote at the same moment on its arrangement's open proposal, through the proposal grains with their state in Azurite. Each round
/// flips every vote (yes, then no, ...) so that every vote is a real write. Measured against 1,000
/// raw blob writes of the same size started at the same moment, in the same rounds.
/// </summary>
public static class VoteStormBenchmark
{
    private const int Arrangements = 100;
    private const int MembersEach = 10;

    public static async Task RunAsync(LoadOptions options)
    {
        await using var azurite = await LocalAzurite.StartAsync();
        await using var host = await GatewayHost.StartAsync(documentCache: true, azurite.ConnectionString);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var clock = host.Services.GetRequiredService<TimeProvider>();

        Console.WriteLine($"Vote storm: {Arrangements} arrangements x {MembersEach} members, {options.Rounds} rounds, Azurite on 127.0.0.1:{azurite.BlobPort}; setting up...");
        var setup = Stopwatch.StartNew();
        var voters = await SetUpAsync(grains, clock);
        Console.WriteLine($"set up {voters.Count} voters in {setup.Elapsed.TotalSeconds:F0} s");

        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("bench-baseline");
        await container.CreateIfNotExistsAsync();
        var state = BinaryData.FromBytes(new byte[3_000]); // about a proposal's state with ten votes and its history
        var blobNames = Enumerable.Range(0, voters.Count).Select(i => $"vote-{i}").ToList();

        // Warm-up: one storm of each, not measured.
        await StormAsync(voters.Select(v => (Func<Task>)(() => VoteAsync(grains, v, VoteChoice.Abstain))).ToList());
        await StormAsync(blobNames.Select(n => (Func<Task>)(() => container.GetBlobClient(n).UploadAsync(state, overwrite: true))).ToList());

        var votes = new List<StormResult>();
        var blobs = new List<StormResult>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var choice = round % 2 == 0 ? VoteChoice.Yes : VoteChoice.No;
            blobs.Add(await StormAsync(blobNames.Select(n => (Func<Task>)(() => container.GetBlobClient(n).UploadAsync(state, overwrite: true))).ToList()));
            votes.Add(await StormAsync(voters.Select(v => (Func<Task>)(() => VoteAsync(grains, v, choice))).ToList()));
        }

        // Every vote counted: the last round's choice from every member.
        var last = options.Rounds % 2 == 1 ? VoteChoice.Yes : VoteChoice.No;
        var tallies = await Task.WhenAll(voters.Select(v => v.Proposal).Distinct().Select(id => grains.GetGrain<IProposalGrain>(id).GetAsync()));
        var counted = tallies.Sum(p => p!.Votes.Count(v => v.Choice == last));
        if (counted != voters.Count) throw new InvalidOperationException($"Only {counted} of {voters.Count} votes were counted.");

        var v = Median(votes);
        var b = Median(blobs);
        Console.WriteLine();
        Console.WriteLine($"{"measure (median of rounds)",-44} {"per second",12} {"p50 ms",8} {"p99 ms",8}");
        Console.WriteLine($"{"raw blob writes (3 KB), 1,000 at once",-44} {b.PerSecond,12:N0} {b.P50,8:N0} {b.P99,8:N0}");
        Console.WriteLine($"{"votes, 1,000 at once on 100 proposals",-44} {v.PerSecond,12:N0} {v.P50,8:N0} {v.P99,8:N0}");
        Console.WriteLine($"ratio: {v.PerSecond / b.PerSecond:P0} of the raw blob write rate; all {counted} votes of the last round counted");
    }

    private sealed record Voter(string Proposal, Caller Board);

    private sealed record StormResult(double PerSecond, double P50, double P99);

    private static StormResult Median(List<StormResult> results) => new(
        results.Select(r => r.PerSecond).Order().ElementAt(results.Count / 2),
        results.Select(r => r.P50).Order().ElementAt(results.Count / 2),
        results.Select(r => r.P99).Order().ElementAt(results.Count / 2));

    private static async Task VoteAsync(IGrainFactory grains, Voter voter, VoteChoice choice)
    {
        CallerContext.Set(voter.Board);
        var result = await grains.GetGrain<IProposalGrain>(voter.Proposal).CastVoteAsync(choice);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    /// <summary>Starts every operation at once and times each; the rate is operations over the storm's wall time.</summary>
    private static async Task<StormResult> StormAsync(IReadOnlyList<Func<Task>> operations)
    {
        var latencies = new double[operations.Count];
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(operations.Select((operation, i) => Task.Run(async () =>
        {
            var started = Stopwatch.GetTimestamp();
            await operation();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        })));
        var seconds = wall.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new(operations.Count / seconds, latencies[latencies.Length / 2], latencies[(int)Math.Ceiling(latencies.Length * 0.99) - 1]);
    }

    private static async Task<List<Voter>> SetUpAsync(IGrainFactory grains, TimeProvider clock)
    {
        CallerContext.Set(Caller.System("system:benchmark"));
        var voters = new List<Voter>();
        var effective = clock.TodayInAmsterdam().AddDays(60);
        await Task.WhenAll(Enumerable.Range(0, Arrangements).Select(async a =>
        {
            CallerContext.Set(Caller.System("system:benchmark"));
            var id = $"storm-{a:000}";
            var arrangement = grains.GetGrain<IArrangementGrain>(id);
            await arrangement.CreateAsync(new($"Storm {a}", "Uitvoerder", [new("bouwpuin", "Bouwpuin")], VoteWeightRule.PerInhabitants(10_000), $"exec-{id}"));
            var codes = Enumerable.Range(0, MembersEach).Select(m => $"GM{5000 + a * MembersEach + m:0000}").ToList();
            // One member more who never votes: a vote closes as soon as every member has voted, and the storm's rounds
            // change votes on proposals that stay open.
            var silent = $"GM{5000 + Arrangements * MembersEach + a:0000}";
            foreach (var code in codes.Append(silent))
            {
                await grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 15_000 + 7_000 * (code[^1] - '0'), new(2024, 1, 1)));
                await arrangement.AddMemberAsync(new(code));
            }
            await arrangement.PublishTariffScheduleAsync(new([new("bouwpuin", 35m, TariffSchedule.Euro, 0.5m, "m³", new(2025, 1, 1), null, "AB-1")]));
            CallerContext.Set(new Caller(CallerKind.User, "system:benchmark", codes[0], [Roles.BoardMember], []));
            var proposal = $"p-storm-{a:000}";
            var proposed = await grains.GetGrain<IProposalGrain>(proposal).ProposeAsync(new(id,
                new(ProposalKind.TariffChange, "Debris EUR 20", "Benchmark", null, effective, new("bouwpuin", 20m, 0.5m, "m³"), null), null));
            if (!proposed.Succeeded) throw new InvalidOperationException(string.Join("; ", proposed.Errors.Select(e => e.Message)));
            lock (voters)
            {
                voters.AddRange(codes.Select(code => new Voter(proposal, new Caller(CallerKind.User, $"board@{code}", code, [Roles.BoardMember], []))));
            }
        }));
        return voters;
    }
}
