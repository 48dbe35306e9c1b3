namespace Platform.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ProposalJourneyTests(PlatformFixture platform)
{
    [Fact]
    public async Task Hoorn_proposes_votes_and_a_resident_supports_and_everyone_sees_the_tally_through_the_running_platform()
    {
        var board = await platform.Tokens.UserAccessTokenAsync("board@demo.test");
        var citizen = await platform.Tokens.UserAccessTokenAsync("citizen@demo.test");
        var effective = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60).ToString("yyyy-MM-dd");

        var proposed = await platform.GraphQLAsync("""
            mutation($effective: Date!) { proposeChange(input: { arrangementId: "afval-nhn", kind: TARIFF_CHANGE, title: "Bulky waste EUR 15 per m³",
              motivation: "Bulky waste is left on the street when collection costs EUR 25.", effectiveDate: $effective,
              tariff: { serviceCode: "grofvuil", amount: 15.00, unitQuantity: 1, unitMeasure: "m³" } }) { proposal { key phase } userErrors { message } } }
            """, new { effective }, board);
        var key = proposed["proposeChange"]!["proposal"]!["key"]!.GetValue<string>();
        const string Vote = "mutation($id: ID!) { castVote(input: { proposalId: $id, choice: YES, clientMutationId: \"e2e-vote\" }) { userErrors { message } } }";
        await platform.GraphQLAsync(Vote, new { id = key }, board);
        await platform.GraphQLAsync(Vote, new { id = key }, board); // a retry: changes nothing
        await platform.GraphQLAsync("mutation($id: ID!) { supportProposal(input: { proposalId: $id }) { userErrors { message } } }", new { id = key }, citizen);

        var seen = await platform.GraphQLAsync("""
            query($id: ID!) { proposal(id: $id) { phase supportCount tally { yes totalWeight outcome } votes { municipalityCode choice }
              whatWouldChangeOutcome { to switches { municipalityCode } } history { action actor } }
              arrangement(id: "afval-nhn") { proposals(open: true) { nodes { key } } } }
            """, new { id = key });

        var proposal = seen["proposal"]!;
        Assert.Equal("VOTING", proposal["phase"]!.GetValue<string>());
        Assert.Equal(1, proposal["supportCount"]!.GetValue<int>());
        Assert.Equal(8, proposal["tally"]!["yes"]!.GetValue<int>());
        Assert.Equal("NO_QUORUM", proposal["tally"]!["outcome"]!.GetValue<string>()); // 8 of 42 weight voted; the quorum is half
        Assert.Equal("ADOPTED", proposal["whatWouldChangeOutcome"]!["to"]!.GetValue<string>());
        Assert.Equal([("GM0405", "YES")], proposal["votes"]!.AsArray().Select(v => (v!["municipalityCode"]!.GetValue<string>(), v["choice"]!.GetValue<string>())));
        Assert.Equal(["proposed", "vote-cast"], proposal["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("board-member@GM0405", proposal["history"]![1]!["actor"]!.GetValue<string>());
        Assert.Contains(seen["arrangement"]!["proposals"]!["nodes"]!.AsArray(), n => n!["key"]!.GetValue<string>() == key);
        // Read back from Azurite (JSON grain state): every field as it was written, defaults included.
        var demo = await platform.GraphQLAsync("""{ proposal(id: "p-demo-bouwpuin") { kind rule { kind threshold } evidence { serviceCode } ballots { municipalityCode } } }""");
        Assert.Equal(10, demo["proposal"]!["ballots"]!.AsArray().Count);
        Assert.Equal(("TARIFF_CHANGE", "TARIFF_CHANGE", "QUALIFIED"), (demo["proposal"]!["kind"]!.GetValue<string>(),
            demo["proposal"]!["rule"]!["kind"]!.GetValue<string>(), demo["proposal"]!["rule"]!["threshold"]!.GetValue<string>()));
    }
}
