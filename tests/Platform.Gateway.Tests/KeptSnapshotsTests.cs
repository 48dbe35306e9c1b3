using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Arrangements;
using Platform.Grains.Common;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class KeptSnapshotsTests(GatewayFixture fixture)
{
    private sealed record Box(string Name);

    /// <summary>A grain's side of the conversation, scripted: what it answers, and the versions it was told.</summary>
    private sealed class Script(params VersionedRead<Box>[] answers)
    {
        private int next;
        public List<string?> Told { get; } = [];

        public Task<VersionedRead<Box>> ReadAsync(string? knownVersion)
        {
            Told.Add(knownVersion);
            return Task.FromResult(answers[next++]);
        }
    }

    [Fact]
    public async Task A_record_is_copied_once_per_version_and_the_grain_is_asked_every_time()
    {
        var kept = new KeptSnapshots<Box>();
        Box v1 = new("one"), v2 = new("two");
        var grain = new Script(new(true, "e1", v1), new(true, "e1", null), new(true, "e2", v2), new(true, "e2", null), VersionedRead<Box>.Missing,
            new(true, "e3", new("three")));

        var reads = new List<Box?>();
        for (var i = 0; i < 6; i++) reads.Add(await kept.ReadAsync("a", grain.ReadAsync));

        Assert.Equal([null, "e1", "e1", "e2", "e2", null], grain.Told);
        Assert.Same(v1, reads[0]);
        Assert.Same(v1, reads[1]);
        Assert.Same(v2, reads[2]);
        Assert.Same(v2, reads[3]);
        Assert.Null(reads[4]);
        Assert.Equal("three", reads[5]!.Name);
    }

    [Fact]
    public async Task Told_unchanged_of_a_version_it_does_not_hold_it_asks_for_the_whole_record()
    {
        var kept = new KeptSnapshots<Box>();
        var grain = new Script(new(true, "e9", null), new(true, "e9", new("nine")));

        var read = await kept.ReadAsync("a", grain.ReadAsync);

        Assert.Equal("nine", read!.Name);
        Assert.Equal([null, null], grain.Told);
    }

    [Fact]
    public async Task It_keeps_at_most_its_bound_and_never_a_record_without_a_version()
    {
        var kept = new KeptSnapshots<Box>();
        for (var i = 0; i <= KeptSnapshots<Box>.MaxEntries; i++)
        {
            var key = $"k{i}";
            await kept.ReadAsync(key, _ => Task.FromResult(new VersionedRead<Box>(true, "e", new(key))));
        }
        Assert.InRange(kept.Count, 1, KeptSnapshots<Box>.MaxEntries);

        var unversioned = new KeptSnapshots<Box>();
        var grain = new Script(new(true, null, new("x")), new(true, null, new("y")));
        await unversioned.ReadAsync("a", grain.ReadAsync);
        Assert.Equal("y", (await unversioned.ReadAsync("a", grain.ReadAsync))!.Name);
        Assert.Equal([null, null], grain.Told);
    }

    [Fact]
    public async Task A_change_stored_after_a_kept_read_is_in_the_next_read()
    {
        const string query = "query($id: ID!) { arrangement(id: $id) { members { municipality { code } } } }";
        var token = await fixture.OperatorAsync();
        await fixture.DataAsync("""mutation($input: CreateArrangementInput!) { createArrangement(input: $input) { userErrors { code } } }""",
            new { input = new { key = "kept-reads", name = "Regeling kept-reads", executingOrganisationId = "afvalbedrijf-nhn", services = new[] { new { code = "zout", name = "Zout" } } } }, token: token);
        var before = await fixture.DataAsync(query, new { id = "kept-reads" });
        var snapshots = fixture.Services.GetRequiredService<KeptSnapshots<ArrangementSnapshot>>();
        var keptAfterFirstRead = snapshots.Count;

        await fixture.DataAsync("""mutation($input: AddMemberInput!) { addMember(input: $input) { userErrors { code } } }""",
            new { input = new { arrangementId = "kept-reads", municipalityCode = "GM0405" } }, token: token);
        var after = await fixture.DataAsync(query, new { id = "kept-reads" });

        Assert.Empty(before["arrangement"]!["members"]!.AsArray());
        Assert.True(keptAfterFirstRead > 0);
        Assert.Equal("GM0405", Assert.Single(after["arrangement"]!["members"]!.AsArray())!["municipality"]!["code"]!.GetValue<string>());
    }
}
