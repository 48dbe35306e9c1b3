using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Access;
using Platform.Domain.Calendar;
using Platform.Grains;
using Platform.Grains.Proposals;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ProposalTests(GatewayFixture fixture)
{
    private const string ProposalFields = """
        key phase outcome votingOpensAt votingClosesAt supportCount supportedByMe
        tally { yes no abstain notVoted totalWeight quorumReached outcome explanation }
        votes { municipalityCode choice weight changes }
        whatWouldChangeOutcome { to switches { municipalityCode from to } }
        comments { number text hidden hiddenReason authorRole authorOrganisation }
        history { action actor detail }
        """;

    private const string Propose = """
        mutation($input: ProposeChangeInput!) { proposeChange(input: $input) { proposal { key phase tariffChange { amount unit } } userErrors { field code message } } }
        """;

    /// <summary>A fresh arrangement whose one member is Hoorn (the demo accounts' municipality), with the debris tariff.</summary>
    private async Task<string> HoornArrangementAsync()
    {
        var key = $"prop-{Guid.NewGuid():N}"[..18];
        // An operator account of its own: the shared operator's 120 writes a minute are spent by the other suites' tests.
        var token = await fixture.DedicatedOperatorTokenAsync("proposals.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Hoorn alleen\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"bouwpuin\", name: \"Bouwpuin\" }], voteWeight: { kind: BY_INHABITANTS, inhabitantsPerVote: 10000 } }) { userErrors { code } } }", new { key }, token: token);
        await fixture.DataAsync("mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: \"GM0405\" }) { userErrors { code } } }", new { key }, token: token);
        await fixture.DataAsync("mutation($key: ID!) { publishTariffSchedule(input: { arrangementId: $key, tariffs: [{ serviceCode: \"bouwpuin\", amount: 35.00, unitQuantity: 0.5, unitMeasure: \"m³\", validFrom: \"2025-01-01\" }] }) { userErrors { code } } }", new { key }, token: token);
        return key;
    }

    private static object TariffChange(string arrangement, DateOnly effective, decimal amount = 20.00m) => new
    {
        arrangementId = arrangement, kind = "TARIFF_CHANGE", title = "Debris EUR 20", motivation = "Illegal dumping in the countryside",
        effectiveDate = effective.ToString("yyyy-MM-dd"), tariff = new { serviceCode = "bouwpuin", amount, unitQuantity = 0.5m, unitMeasure = "m³" },
    };

    private DateOnly Today => fixture.Clock.TodayInAmsterdam();

    private async Task<string> ProposeAsync(string arrangement, DateOnly effective)
    {
        var data = await fixture.DataAsync(Propose, new { input = TariffChange(arrangement, effective) }, token: await fixture.TokenAsync("board@demo.test"));
        Assert.Empty(data["proposeChange"]!["userErrors"]!.AsArray());
        return data["proposeChange"]!["proposal"]!["key"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_executing_organisation_proposes_its_plan_for_adoption_and_nothing_else_while_another_organisation_proposes_nothing()
    {
        // An arrangement of its own, made by an operator account of its own: the shared operator's 120 writes a minute are spent by others.
        var arrangement = $"plan-{Guid.NewGuid():N}"[..18];
        var operatorToken = await fixture.DedicatedOperatorTokenAsync("plan.operator@demo.test");
        await fixture.DataAsync("mutation($key: String!) { createArrangement(input: { key: $key, name: \"Gladheid West-Friesland\", executingOrganisationId: \"afvalbedrijf-nhn\", services: [{ code: \"bouwpuin\", name: \"Bouwpuin\" }] }) { userErrors { code } } }", new { key = arrangement }, token: operatorToken);
        await fixture.DataAsync("mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: \"GM0405\" }) { userErrors { code } } }", new { key = arrangement }, token: operatorToken);
        var executor = await fixture.DedicatedStaffTokenAsync("plan.executor@demo.test", "afvalbedrijf-nhn", "executor-staff");
        var stranger = await fixture.DedicatedStaffTokenAsync("plan.stranger@demo.test", "gladheidsdienst-amstelland", "executor-staff");
        const string Can = "query($id: ID!) { arrangement(id: $id) { viewerCan { proposeChange proposePlan } } }";
        var can = (await fixture.DataAsync(Can, new { id = arrangement }, token: executor))["arrangement"]!["viewerCan"]!;
        Assert.Equal((false, true), (can["proposeChange"]!.GetValue<bool>(), can["proposePlan"]!.GetValue<bool>()));
        Assert.False((await fixture.DataAsync(Can, new { id = arrangement }, token: stranger))["arrangement"]!["viewerCan"]!["proposePlan"]!.GetValue<bool>());

        var plan = new { arrangementId = arrangement, kind = "PLAN_ADOPTION", title = "Strooiplan 2026-2027", motivation = "Hoe wij strooien: hoofdroutes voor 07:00, fietspaden naar scholen voor 07:30.", text = "Preventief strooien bij een wegdek onder 1 °C; zoutvoorraad 1.200 ton op 1 november." };
        var proposed = (await fixture.DataAsync(Propose, new { input = plan }, token: executor))["proposeChange"]!;
        Assert.Empty(proposed["userErrors"]!.AsArray());
        var key = proposed["proposal"]!["key"]!.GetValue<string>();
        Assert.Equal("afvalbedrijf-nhn", (await fixture.DataAsync("query($id: ID!) { proposal(id: $id) { proposerMunicipality } }", new { id = key }))["proposal"]!["proposerMunicipality"]!.GetValue<string>());

        // A tariff change is the members' to propose; another executing organisation proposes nothing here.
        var (tariffStatus, tariffBody) = await fixture.PostAsync(Propose, new { input = TariffChange(arrangement, Today.AddDays(60)) }, token: executor);
        Assert.Equal(HttpStatusCode.Forbidden, tariffStatus);
        Assert.Contains("PLAN_ADOPTION", tariffBody["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostAsync(Propose, new { input = plan }, token: stranger)).Status);
    }

    /// <summary>The proposal's reminder ticks with the clock moved <paramref name="later"/> ahead, then the clock is put back.</summary>
    private async Task TickAsync(string key, TimeSpan later)
    {
        fixture.Clock.Offset = later;
        try
        {
            await fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<IProposalGrain>(key).TickAsync();
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    private async Task<JsonNode> ProposalAsync(string key, string? token = null) =>
        (await fixture.DataAsync($"query($id: ID!) {{ proposal(id: $id) {{ {ProposalFields} }} }}", new { id = key }, token: token))["proposal"]!;

    private async Task<JsonNode> VoteAsync(string key, string choice, string who = "board@demo.test", string? idempotencyKey = null) =>
        (await fixture.DataAsync("mutation($id: ID!, $choice: VoteChoice!) { castVote(input: { proposalId: $id, choice: $choice }) { userErrors { field code message } } }",
            new { id = key, choice }, idempotencyKey: idempotencyKey, token: await fixture.TokenAsync(who)))["castVote"]!;

    [Fact]
    public async Task A_board_member_votes_the_public_tally_changes_and_an_adopted_tariff_shows_from_its_date_and_not_before()
    {
        var arrangement = await HoornArrangementAsync();
        var effective = Today.AddDays(45);
        var key = await ProposeAsync(arrangement, effective);

        var before = await ProposalAsync(key);
        await VoteAsync(key, "YES", idempotencyKey: $"vote-{key}");
        var replay = await VoteAsync(key, "YES", idempotencyKey: $"vote-{key}");
        var after = await ProposalAsync(key); // anonymous: votes and tallies are public

        Assert.Equal(("VOTING", 0L, "NO_QUORUM"), (before["phase"]!.GetValue<string>(), before["tally"]!["yes"]!.GetValue<long>(), before["tally"]!["outcome"]!.GetValue<string>()));
        Assert.Equal("GM0405", before["whatWouldChangeOutcome"]!["switches"]![0]!["municipalityCode"]!.GetValue<string>());
        Assert.Empty(replay["userErrors"]!.AsArray());
        Assert.Equal(8, after["tally"]!["yes"]!.GetValue<long>()); // Hoorn's weight: 74,700 inhabitants at one vote per 10,000
        Assert.Equal("ADOPTED", after["tally"]!["outcome"]!.GetValue<string>());
        Assert.Single(after["history"]!.AsArray(), h => h!["action"]!.GetValue<string>() == "vote-cast");
        Assert.Equal("YES", after["votes"]![0]!["choice"]!.GetValue<string>());
        // Hoorn is the only member: its vote leaves nothing to wait for, so it closed the vote (the replay above was answered as applied).
        Assert.Equal(("CLOSED", "ADOPTED"), (after["phase"]!.GetValue<string>(), after["outcome"]!.GetValue<string>()));

        // Later ticks of the reminder change nothing; the change shows from its date only.
        await TickAsync(key, TimeSpan.FromDays(15));

        var tariffs = await fixture.DataAsync("""
            query($id: ID!, $before: Date!, $on: Date!) { arrangement(id: $id) {
              before: tariffs(on: $before) { amount decidedBy }
              on: tariffs(on: $on) { amount decidedBy decidedByProposal { key outcome } }
              decisions { title effect } } }
            """, new { id = arrangement, before = effective.AddDays(-1).ToString("yyyy-MM-dd"), on = effective.ToString("yyyy-MM-dd") });
        var closed = await ProposalAsync(key);

        Assert.Equal(35.00m, tariffs["arrangement"]!["before"]![0]!["amount"]!.GetValue<decimal>());
        var decided = tariffs["arrangement"]!["on"]![0]!;
        Assert.Equal(20.00m, decided["amount"]!.GetValue<decimal>());
        Assert.Equal((key, "ADOPTED"), (decided["decidedByProposal"]!["key"]!.GetValue<string>(), decided["decidedByProposal"]!["outcome"]!.GetValue<string>()));
        Assert.StartsWith("tariff bouwpuin EUR 20.00", tariffs["arrangement"]!["decisions"]![0]!["effect"]!.GetValue<string>());
        Assert.Equal(("CLOSED", "ADOPTED"), (closed["phase"]!.GetValue<string>(), closed["outcome"]!.GetValue<string>()));
        Assert.Null(closed["whatWouldChangeOutcome"]);
    }

    [Fact]
    public async Task The_last_member_to_vote_closes_the_vote_and_the_decision_lists_when_its_evidence_is_counted_again()
    {
        var arrangement = await HoornArrangementAsync();
        var board = await fixture.TokenAsync("board@demo.test");
        await fixture.DataAsync("mutation($id: ID!) { fileComplaint(input: { arrangementId: $id, serviceCode: \"bouwpuin\", description: \"Puin in de berm\", location: { address: \"Westerdijk, Hoorn\" } }) { userErrors { code } } }",
            new { id = arrangement }, token: await fixture.TokenAsync("citizen@demo.test"));
        var input = new
        {
            arrangementId = arrangement, kind = "POLICY_DECISION", title = "Puin gratis brengen", motivation = "Minder dumpen", text = "Bouwpuin tot 1 m³ gratis.",
            evidence = new { serviceCode = "bouwpuin", from = Today.AddDays(-30).ToString("yyyy-MM-dd"), to = Today.ToString("yyyy-MM-dd") },
        };
        var key = (await fixture.DataAsync(Propose, new { input }, token: board))["proposeChange"]!["proposal"]!["key"]!.GetValue<string>();
        const string Read = """
            query($id: ID!, $proposal: ID!, $today: Date!, $tomorrow: Date!) {
              proposal(id: $proposal) { phase outcome votingClosesAt nextEffectMeasurementOn }
              arrangement(id: $id) { today: decisions(appliedSince: $today) { proposalKey proposal { key nextEffectMeasurementOn effectMeasurements { months } } }
                                     tomorrow: decisions(appliedSince: $tomorrow) { proposalKey } } }
            """;
        var variables = new { id = arrangement, proposal = key, today = Today.ToString("yyyy-MM-dd"), tomorrow = Today.AddDays(1).ToString("yyyy-MM-dd") };
        var open = await fixture.DataAsync(Read, variables);
        Assert.Equal("VOTING", open["proposal"]!["phase"]!.GetValue<string>());
        Assert.Null(open["proposal"]!["nextEffectMeasurementOn"]);
        Assert.Empty(open["arrangement"]!["today"]!.AsArray());

        Assert.Empty((await VoteAsync(key, "YES"))["userErrors"]!.AsArray());
        var closed = await fixture.DataAsync(Read, variables);
        var proposal = closed["proposal"]!;
        Assert.Equal(("CLOSED", "ADOPTED"), (proposal["phase"]!.GetValue<string>(), proposal["outcome"]!.GetValue<string>()));
        Assert.True(proposal["votingClosesAt"]!.GetValue<DateTimeOffset>() < fixture.Clock.GetUtcNow().AddDays(1), "closed at the last vote, not after the voting days");
        var measureOn = Today.AddMonths(3).ToString("yyyy-MM-dd");
        Assert.Equal(measureOn, proposal["nextEffectMeasurementOn"]!.GetValue<string>());
        var decision = Assert.Single(closed["arrangement"]!["today"]!.AsArray())!;
        Assert.Equal((key, key, measureOn, 0), (decision["proposalKey"]!.GetValue<string>(), decision["proposal"]!["key"]!.GetValue<string>(),
            decision["proposal"]!["nextEffectMeasurementOn"]!.GetValue<string>(), decision["proposal"]!["effectMeasurements"]!.AsArray().Count));
        Assert.Empty(closed["arrangement"]!["tomorrow"]!.AsArray());

        // A vote after the close is refused by name and changes nothing.
        var late = (await VoteAsync(key, "NO"))["userErrors"]!.AsArray();
        Assert.Equal("CLOSED", Assert.Single(late)!["code"]!.GetValue<string>());
        Assert.Equal("YES", (await ProposalAsync(key))["votes"]![0]!["choice"]!.GetValue<string>());

        // Three months on, the reminder's tick counts the complaint again: one before, none after, also for Hoorn alone.
        await TickAsync(key, TimeSpan.FromDays(93));
        var measured = (await fixture.DataAsync("""
            query($id: ID!) { proposal(id: $id) { nextEffectMeasurementOn effectMeasurements { months beforeTotal afterTotal
              hoorn: member(municipality: "GM0405") { before after } stranger: member(municipality: "GM0363") { before } } } }
            """, new { id = key }))["proposal"]!;
        var three = Assert.Single(measured["effectMeasurements"]!.AsArray())!;
        Assert.Equal((3, 1, 0, 1, 0), (three["months"]!.GetValue<int>(), three["beforeTotal"]!.GetValue<int>(), three["afterTotal"]!.GetValue<int>(),
            three["hoorn"]!["before"]!.GetValue<int>(), three["hoorn"]!["after"]!.GetValue<int>()));
        Assert.Null(three["stranger"]);
        Assert.Equal(Today.AddMonths(6).ToString("yyyy-MM-dd"), measured["nextEffectMeasurementOn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Staff_without_the_board_role_get_403_and_a_vote_on_an_unknown_proposal_names_it()
    {
        var key = await ProposeAsync(await HoornArrangementAsync(), Today.AddDays(45));

        var (managerStatus, managerBody) = await fixture.PostAsync("mutation($id: ID!) { castVote(input: { proposalId: $id, choice: NO }) { userErrors { code } } }",
            new { id = key }, token: await fixture.TokenAsync("manager@demo.test"));
        var (partnerStatus, _) = await fixture.PostAsync("mutation($id: ID!) { castVote(input: { proposalId: $id, choice: NO }) { userErrors { code } } }",
            new { id = key }, token: await fixture.TokenAsync("demo-partner-readonly"));
        var unknown = await VoteAsync("p-does-not-exist", "YES");

        Assert.Equal(HttpStatusCode.Forbidden, managerStatus);
        Assert.Contains("board-member", managerBody["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, partnerStatus);
        Assert.Equal(("proposalId", "NOT_FOUND"), (unknown["userErrors"]![0]!["field"]!.GetValue<string>(), unknown["userErrors"]![0]!["code"]!.GetValue<string>()));
        Assert.Empty((await ProposalAsync(key))["votes"]!.AsArray());
    }

    [Fact]
    public async Task A_partner_system_with_the_vote_scope_votes_for_its_municipality()
    {
        var key = await ProposeAsync(await HoornArrangementAsync(), Today.AddDays(45));

        var result = await VoteAsync(key, "ABSTAIN", who: "demo-partner");

        Assert.Empty(result["userErrors"]!.AsArray());
        var vote = (await ProposalAsync(key))["votes"]![0]!;
        Assert.Equal(("GM0405", "ABSTAIN"), (vote["municipalityCode"]!.GetValue<string>(), vote["choice"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_vote_that_is_not_yes_no_or_abstain_is_a_request_error_that_changes_nothing()
    {
        var key = await ProposeAsync(await HoornArrangementAsync(), Today.AddDays(45));

        var (status, body) = await fixture.PostAsync("mutation($id: ID!) { castVote(input: { proposalId: $id, choice: MAYBE }) { userErrors { code } } }",
            new { id = key }, token: await fixture.TokenAsync("board@demo.test"));
        var (missingStatus, missingBody) = await fixture.PostAsync("mutation { castVote(input: { choice: YES }) { userErrors { code } } }",
            token: await fixture.TokenAsync("board@demo.test"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("MAYBE", body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains("proposalId", missingBody["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Empty((await ProposalAsync(key))["votes"]!.AsArray());
    }

    [Fact]
    public async Task Proposals_with_bad_input_are_answered_with_the_fields_named_and_nothing_is_stored()
    {
        var arrangement = await HoornArrangementAsync();
        var token = await fixture.TokenAsync("board@demo.test");

        var past = await fixture.DataAsync(Propose, new { input = TariffChange(arrangement, Today.AddDays(-1)) }, token: token);
        var negative = await fixture.DataAsync(Propose, new { input = TariffChange(arrangement, Today.AddDays(45), -3.00m) }, token: token);
        var service = await fixture.DataAsync(Propose, new
        {
            input = new { arrangementId = arrangement, kind = "TARIFF_CHANGE", title = "x", motivation = "y", effectiveDate = Today.AddDays(45).ToString("yyyy-MM-dd"), tariff = new { serviceCode = "asbest", amount = 1m, unitQuantity = 1m, unitMeasure = "kg" } },
        }, token: token);
        var (citizenStatus, _) = await fixture.PostAsync(Propose, new { input = TariffChange(arrangement, Today.AddDays(45)) }, token: await fixture.TokenAsync("citizen@demo.test"));

        static string Field(JsonNode data) => data["proposeChange"]!["userErrors"]![0]!["field"]!.GetValue<string>();
        Assert.Equal("effectiveDate", Field(past));
        Assert.Equal("tariff.amount", Field(negative));
        Assert.Equal("tariff.serviceCode", Field(service));
        Assert.Null(past["proposeChange"]!["proposal"]);
        Assert.Equal(HttpStatusCode.Forbidden, citizenStatus);
        var listed = await fixture.DataAsync("query($id: ID!) { arrangement(id: $id) { proposals { totalCount } } }", new { id = arrangement });
        Assert.Equal(0, listed["arrangement"]!["proposals"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_resident_supports_once_and_comments_and_the_municipality_hides_a_comment_with_its_reason()
    {
        var key = await ProposeAsync(await HoornArrangementAsync(), Today.AddDays(45));
        var citizen = await fixture.TokenAsync("citizen@demo.test");
        const string Support = "mutation($id: ID!) { supportProposal(input: { proposalId: $id }) { proposal { supportCount supportedByMe } userErrors { code message } } }";
        const string Comment = "mutation($id: ID!, $text: String!) { commentOnProposal(input: { proposalId: $id, text: $text }) { userErrors { field code } } }";

        var first = await fixture.DataAsync(Support, new { id = key }, token: citizen);
        var second = await fixture.DataAsync(Support, new { id = key }, token: citizen);
        await fixture.DataAsync(Comment, new { id = key, text = "Yes please, EUR 35 is too much for a few tiles." }, token: citizen);
        await fixture.DataAsync(Comment, new { id = key, text = "My neighbour at Kerkstraat 4 dumps in the dunes." }, token: citizen);
        var tooLong = await fixture.DataAsync(Comment, new { id = key, text = new string('x', 2_001) }, token: citizen);
        var hide = await fixture.DataAsync("mutation($id: ID!) { hideProposalComment(input: { proposalId: $id, commentNumber: 2, reason: \"Names a resident.\" }) { userErrors { code } } }",
            new { id = key }, token: await fixture.TokenAsync("admin@demo.test"));
        var (citizenHideStatus, _) = await fixture.PostAsync("mutation($id: ID!) { hideProposalComment(input: { proposalId: $id, commentNumber: 1, reason: \"I changed my mind\" }) { userErrors { code } } }",
            new { id = key }, token: citizen);

        Assert.Equal((1, true), (first["supportProposal"]!["proposal"]!["supportCount"]!.GetValue<int>(), first["supportProposal"]!["proposal"]!["supportedByMe"]!.GetValue<bool>()));
        Assert.Equal("DUPLICATE", second["supportProposal"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(("text", "TOO_LONG"), (tooLong["commentOnProposal"]!["userErrors"]![0]!["field"]!.GetValue<string>(), tooLong["commentOnProposal"]!["userErrors"]![0]!["code"]!.GetValue<string>()));
        Assert.Empty(hide["hideProposalComment"]!["userErrors"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, citizenHideStatus);
        var proposal = await ProposalAsync(key);
        Assert.Equal(1, proposal["supportCount"]!.GetValue<int>());
        var comments = proposal["comments"]!.AsArray();
        Assert.Equal(2, comments.Count);
        Assert.Equal(("citizen", "GM0405"), (comments[0]!["authorRole"]!.GetValue<string>(), comments[0]!["authorOrganisation"]!.GetValue<string>()));
        Assert.True(comments[1]!["hidden"]!.GetValue<bool>());
        Assert.Null(comments[1]!["text"]);
        Assert.Equal("Names a resident.", comments[1]!["hiddenReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Decision_rules_with_seats_that_do_not_add_up_or_a_threshold_above_one_are_refused_and_the_rule_stays()
    {
        var arrangement = await HoornArrangementAsync();
        const string SetRule = """
            mutation($input: SetDecisionRuleInput!) { setDecisionRule(input: $input) { arrangement { decisionRules { kind threshold weights } } userErrors { field code message } } }
            """;
        var token = await fixture.OperatorAsync();

        var seats = await fixture.DataAsync(SetRule, new { input = new { arrangementId = arrangement, kind = "PLAN_ADOPTION", weights = "SEATS", quorum = new { numerator = 1, denominator = 2 }, threshold = "SIMPLE_MAJORITY", abstentions = "IGNORED", opinionDays = 0, votingDays = 7, seats = new[] { new { municipalityCode = "GM0405", seats = 3 } }, totalSeats = 4 } }, token: token);
        var threshold = await fixture.DataAsync(SetRule, new { input = new { arrangementId = arrangement, kind = "PLAN_ADOPTION", weights = "ONE_PER_MEMBER", quorum = new { numerator = 1, denominator = 2 }, threshold = "QUALIFIED", qualifiedFraction = new { numerator = 5, denominator = 4 }, abstentions = "IGNORED", opinionDays = 0, votingDays = 7 } }, token: token);
        var good = await fixture.DataAsync(SetRule, new { input = new { arrangementId = arrangement, kind = "PLAN_ADOPTION", weights = "SEATS", quorum = new { numerator = 1, denominator = 2 }, threshold = "UNANIMITY", abstentions = "IGNORED", opinionDays = 0, votingDays = 7, seats = new[] { new { municipalityCode = "GM0405", seats = 3 } }, totalSeats = 3 } }, token: token);
        var (adminStatus, _) = await fixture.PostAsync(SetRule, new { input = new { arrangementId = arrangement, kind = "TARIFF_CHANGE", weights = "ONE_PER_MEMBER", quorum = new { numerator = 0, denominator = 1 }, threshold = "SIMPLE_MAJORITY", abstentions = "IGNORED", opinionDays = 0, votingDays = 1 } }, token: await fixture.TokenAsync("admin.amsterdam@demo.test"));

        Assert.Contains("add up to 3, not to totalSeats 4", seats["setDecisionRule"]!["userErrors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("qualifiedFraction", threshold["setDecisionRule"]!["userErrors"]![0]!["field"]!.GetValue<string>());
        var rules = good["setDecisionRule"]!["arrangement"]!["decisionRules"]!.AsArray();
        Assert.Equal(("UNANIMITY", "SEATS"), (rules.Single(r => r!["kind"]!.GetValue<string>() == "PLAN_ADOPTION")!["threshold"]!.GetValue<string>(),
            rules.Single(r => r!["kind"]!.GetValue<string>() == "PLAN_ADOPTION")!["weights"]!.GetValue<string>()));
        Assert.Equal("QUALIFIED", rules.Single(r => r!["kind"]!.GetValue<string>() == "TARIFF_CHANGE")!["threshold"]!.GetValue<string>()); // untouched
        Assert.Equal(HttpStatusCode.Forbidden, adminStatus);
    }

    [Fact]
    public async Task A_proposal_citing_complaints_shows_how_many_were_filed_about_the_service_in_the_period()
    {
        var arrangement = await HoornArrangementAsync();
        var citizen = await fixture.TokenAsync("citizen@demo.test");
        for (var i = 0; i < 2; i++)
        {
            await fixture.DataAsync("mutation($id: ID!) { fileComplaint(input: { arrangementId: $id, serviceCode: \"bouwpuin\", description: \"Debris dumped by the dike\", location: { address: \"Westerdijk, Hoorn\" } }) { userErrors { code } } }",
                new { id = arrangement }, token: citizen);
        }
        var input = new
        {
            arrangementId = arrangement, kind = "TARIFF_CHANGE", title = "Debris EUR 20", motivation = "See the complaints",
            effectiveDate = Today.AddDays(45).ToString("yyyy-MM-dd"), tariff = new { serviceCode = "bouwpuin", amount = 20m, unitQuantity = 0.5m, unitMeasure = "m³" },
            evidence = new { serviceCode = "bouwpuin", from = Today.AddDays(-30).ToString("yyyy-MM-dd"), to = Today.ToString("yyyy-MM-dd") },
        };

        var data = await fixture.DataAsync("mutation($input: ProposeChangeInput!) { proposeChange(input: $input) { proposal { evidence { serviceCode complaintCount } } userErrors { message } } }",
            new { input }, token: await fixture.TokenAsync("board@demo.test"));

        Assert.Equal(2, data["proposeChange"]!["proposal"]!["evidence"]!["complaintCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Proposals_page_by_cursor_and_a_foreign_or_unknown_cursor_is_a_named_error()
    {
        var arrangement = await HoornArrangementAsync();
        var first = await ProposeAsync(arrangement, Today.AddDays(45));
        var second = await ProposeAsync(arrangement, Today.AddDays(46));
        const string Page = "query($id: ID!, $after: String) { arrangement(id: $id) { proposals(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { key } } } }";

        var one = (await fixture.DataAsync(Page, new { id = arrangement }))["arrangement"]!["proposals"]!;
        var two = (await fixture.DataAsync(Page, new { id = arrangement, after = one["pageInfo"]!["endCursor"]!.GetValue<string>() }))["arrangement"]!["proposals"]!;
        var (_, unknown) = await fixture.PostAsync(Page, new { id = arrangement, after = GatewayCursor("ProposalCursor", "p-nope") });
        var (_, foreign) = await fixture.PostAsync(Page, new { id = arrangement, after = GatewayCursor("ComplaintCursor", first) });
        var missing = await fixture.DataAsync("query($id: ID!) { proposal(id: $id) { key } }", new { id = new string('x', 300) });

        Assert.Equal((2, true), (one["totalCount"]!.GetValue<int>(), one["pageInfo"]!["hasNextPage"]!.GetValue<bool>()));
        Assert.Equal([second, first], new[] { one["nodes"]![0]!["key"]!.GetValue<string>(), two["nodes"]![0]!["key"]!.GetValue<string>() }); // newest first
        Assert.False(two["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Contains("'after'", unknown["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Contains("'after'", foreign["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Null(missing["proposal"]);
    }

    private static string GatewayCursor(string type, string key) => Platform.Gateway.GraphQL.Types.GlobalId.Encode(type, key);

    [Fact]
    public async Task The_demo_proposal_cites_debris_complaints_and_is_listed_under_its_arrangement()
    {
        var data = await fixture.DataAsync("""
            { arrangement(id: "afval-nhn") { proposals(open: true) { totalCount nodes { key kind proposerMunicipality evidence { serviceCode complaintCount } rule { threshold required { numerator denominator } } ballots { municipalityCode weight } } } } }
            """);

        var proposal = data["arrangement"]!["proposals"]!["nodes"]!.AsArray().Single(p => p!["key"]!.GetValue<string>() == "p-demo-bouwpuin")!;
        Assert.Equal(("TARIFF_CHANGE", "GM0405", "bouwpuin"), (proposal["kind"]!.GetValue<string>(), proposal["proposerMunicipality"]!.GetValue<string>(), proposal["evidence"]!["serviceCode"]!.GetValue<string>()));
        Assert.Equal((2, 3), (proposal["rule"]!["required"]!["numerator"]!.GetValue<int>(), proposal["rule"]!["required"]!["denominator"]!.GetValue<int>()));
        Assert.Equal(10, proposal["ballots"]!.AsArray().Count);
        Assert.Equal(8, proposal["ballots"]!.AsArray().Single(b => b!["municipalityCode"]!.GetValue<string>() == "GM0405")!["weight"]!.GetValue<int>());
    }
}
