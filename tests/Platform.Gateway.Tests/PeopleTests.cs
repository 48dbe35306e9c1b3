using System.Net;
using System.Text.Json.Nodes;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

/// <summary>Organisations manage their own people: invite, change a role, remove; executing organisations are tenants.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PeopleTests(GatewayFixture fixture)
{
    private const string Invite = """
        mutation($org: ID!, $email: String!, $name: String!, $role: String!) {
          invitePerson(input: { organisationId: $org, email: $email, name: $name, role: $role }) { person { email role status invitationSent } userErrors { field code message } }
        }
        """;

    private const string ChangeRole = """
        mutation($org: ID!, $email: String!, $role: String!) { changePersonRole(input: { organisationId: $org, email: $email, role: $role }) { person { role } userErrors { field code message } } }
        """;

    private const string Remove = """
        mutation($org: ID!, $email: String!) { removePerson(input: { organisationId: $org, email: $email }) { person { status } userErrors { field code message } } }
        """;

    private const string Viewer = "{ viewer { organisation roles } }";

    private static string Code(JsonNode body) => body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    [Fact]
    public async Task A_registered_executing_organisation_invites_its_staff_and_complaints_on_its_arrangements_reach_them()
    {
        var operatorToken = await fixture.OperatorAsync();
        var registered = (await fixture.DataAsync("""
            mutation { registerOrganisation(input: { id: "groenbeheer-wf", name: "Groenbeheer West-Friesland", adminEmail: "directie@groenbeheer.test", adminName: "Directie" }) {
              organisation { key kind name } userErrors { field code message } } }
            """, token: operatorToken))["registerOrganisation"]!;
        Assert.Empty(registered["userErrors"]!.AsArray());
        Assert.Equal(("groenbeheer-wf", "EXECUTING_ORGANISATION"), (registered["organisation"]!["key"]!.GetValue<string>(), registered["organisation"]!["kind"]!.GetValue<string>()));

        // Its first admin, invited by mail, invites a staff member, who signs in too.
        var admin = await fixture.AcceptInvitationAsync("directie@groenbeheer.test");
        Assert.Equal(["executor-admin"], (await fixture.DataAsync(Viewer, token: admin))["viewer"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        var invited = (await fixture.DataAsync(Invite, new { org = "groenbeheer-wf", email = "hovenier@groenbeheer.test", name = "Hovenier", role = "executor-staff" }, token: admin))["invitePerson"]!;
        Assert.Equal(("executor-staff", true), (invited["person"]!["role"]!.GetValue<string>(), invited["person"]!["invitationSent"]!.GetValue<bool>()));
        var staff = await fixture.AcceptInvitationAsync("hovenier@groenbeheer.test");

        // An arrangement names it as its executing organisation; a resident's complaint reaches its staff.
        var key = $"groen-{Guid.NewGuid():N}"[..16];
        var created = (await fixture.DataAsync("""
            mutation($key: String!) { createArrangement(input: { key: $key, name: "Groen West-Friesland", executingOrganisationId: "groenbeheer-wf", services: [{ code: "maaien", name: "Maaien" }] }) {
              arrangement { executingOrganisation { key name } } userErrors { code } } }
            """, new { key }, token: operatorToken))["createArrangement"]!;
        Assert.Equal("Groenbeheer West-Friesland", created["arrangement"]!["executingOrganisation"]!["name"]!.GetValue<string>());
        await fixture.DataAsync("mutation($key: ID!) { addMember(input: { arrangementId: $key, municipalityCode: \"GM0405\" }) { userErrors { code } } }", new { key }, token: operatorToken);
        var filed = await fixture.DataAsync("mutation($key: ID!) { fileComplaint(input: { arrangementId: $key, serviceCode: \"maaien\", description: \"Gras niet gemaaid\", location: { address: \"Kerkplein 1, Hoorn\" } }) { complaint { key } } }",
            new { key }, token: await fixture.TokenAsync("citizen@demo.test"));
        var complaint = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        var seen = await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { viewerRole allowedActions } }", new { id = complaint }, token: staff);
        Assert.Equal("EXECUTOR_STAFF", seen["complaint"]!["viewerRole"]!.GetValue<string>());
        Assert.Contains("ACKNOWLEDGE", seen["complaint"]!["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task A_changed_role_applies_at_once_and_a_removed_person_is_refused_at_once_and_cannot_sign_in_again()
    {
        var admin = await fixture.TokenAsync("admin@demo.test");
        var invited = (await fixture.DataAsync(Invite, new { org = "GM0405", email = "beleid@hoorn.test", name = "Beleidsmedewerker", role = "contract-manager" }, token: admin))["invitePerson"]!;
        Assert.Empty(invited["userErrors"]!.AsArray());
        var person = await fixture.AcceptInvitationAsync("beleid@hoorn.test");
        var refresh = (await fixture.Tokens.SignInAsync("beleid@hoorn.test", "Nieuw!2345"))["refresh_token"]!.GetValue<string>();
        // Read once and again before the change, so that the gateway keeps this person's access (read from it since 4 December).
        await fixture.DataAsync(Viewer, token: person);
        var rolesBefore = (await fixture.DataAsync(Viewer, token: person))["viewer"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>());

        var changed = (await fixture.DataAsync(ChangeRole, new { org = "GM0405", email = "beleid@hoorn.test", role = "alderman" }, token: admin))["changePersonRole"]!;
        var rolesNow = (await fixture.DataAsync(Viewer, token: person))["viewer"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>());
        var removed = (await fixture.DataAsync(Remove, new { org = "GM0405", email = "beleid@hoorn.test" }, token: admin))["removePerson"]!;
        var (afterStatus, afterBody) = await fixture.PostAsync(Viewer, token: person);
        var (refreshStatus, _) = await fixture.Tokens.RefreshAsync(refresh);
        var signIn = await Assert.ThrowsAsync<SignInRefusedException>(() => fixture.Tokens.SignInAsync("beleid@hoorn.test", "Nieuw!2345"));

        Assert.Equal("alderman", changed["person"]!["role"]!.GetValue<string>());
        Assert.Equal(["contract-manager"], rolesBefore);
        Assert.Equal(["alderman"], rolesNow); // the same token, the organisation's current role
        Assert.Empty(removed["userErrors"]!.AsArray());
        Assert.Equal("REMOVED", removed["person"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, afterStatus);
        Assert.Equal("INVALID_TOKEN", Code(afterBody));
        Assert.Contains("withdrawn", afterBody["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refreshStatus);
        Assert.Equal(400, signIn.Status);
    }

    [Theory]
    [InlineData("GM0363", "mole@evil.test", "municipality-admin", "FORBIDDEN")]
    [InlineData("GM0405", "x@hoorn.test", "operator", "OUT_OF_RANGE")]
    [InlineData("GM0405", "x@hoorn.test", "executor-staff", "OUT_OF_RANGE")]
    [InlineData("GM0405", "not-an-address", "alderman", "INVALID_FORMAT")]
    [InlineData("GM0405", "manager@demo.test", "alderman", "ALREADY_EXISTS")]
    [InlineData("GM0405", "executor@demo.test", "alderman", "ALREADY_EXISTS")]
    [InlineData("GM9999", "x@hoorn.test", "alderman", "NOT_FOUND")]
    public async Task A_bad_invitation_is_refused_and_named_and_nobody_is_added(string organisation, string email, string role, string code)
    {
        var admin = await fixture.TokenAsync("admin@demo.test");
        var before = await PeopleAsync(organisation);

        var (status, body) = await fixture.PostAsync(Invite, new { org = organisation, email, name = "Iemand", role }, token: admin);

        var error = code == "FORBIDDEN" ? Code(body) : body["data"]!["invitePerson"]!["userErrors"]![0]!["code"]!.GetValue<string>();
        Assert.Equal(code, error);
        Assert.Equal(code == "FORBIDDEN" ? HttpStatusCode.Forbidden : HttpStatusCode.OK, status);
        Assert.Equal(before, await PeopleAsync(organisation));
    }

    [Fact]
    public async Task The_last_admin_of_an_organisation_cannot_be_removed()
    {
        var admin = await fixture.TokenAsync("admin.amsterdam@demo.test");

        var removed = (await fixture.DataAsync(Remove, new { org = "GM0363", email = "admin.amsterdam@demo.test" }, token: admin))["removePerson"]!;

        Assert.Equal(("email", "OUT_OF_RANGE"), (removed["userErrors"]![0]!["field"]!.GetValue<string>(), removed["userErrors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(["municipality-admin"], (await fixture.DataAsync(Viewer, token: admin))["viewer"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_the_tenant_check_refuses_an_admin_arriving_on_another_tenants_link()
    {
        // Hoorn's admin may manage Hoorn's people (the control below), but not through Amsterdam's part of the portal.
        var admin = await fixture.TokenAsync("admin@demo.test");
        var variables = new { org = "GM0405", email = "tenant-check@hoorn.test", name = "Via de verkeerde link", role = "alderman" };

        var (status, body) = await fixture.PostAsync(Invite, variables, token: admin, path: "/t/GM0363/graphql");
        var peopleAfterRefusal = await PeopleAsync("GM0405");
        var control = await fixture.DataAsync(Invite, variables, token: admin);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("TENANT_CONFLICT", Code(body));
        Assert.DoesNotContain("tenant-check@hoorn.test", peopleAfterRefusal);
        Assert.Empty(control["invitePerson"]!["userErrors"]!.AsArray());
    }

    [Fact]
    public async Task People_are_shown_to_the_organisations_admins_and_operators_only()
    {
        const string People = """{ organisation(id: "GM0405") { name viewerCan { managePeople assignableRoles } people { email } } }""";

        var (managerStatus, managerBody) = await fixture.PostAsync(People, token: await fixture.TokenAsync("manager@demo.test"));
        var (anonymousStatus, _) = await fixture.PostAsync(People);
        var admin = await fixture.DataAsync(People, token: await fixture.TokenAsync("admin@demo.test"));
        var publicPart = await fixture.DataAsync("""{ organisation(id: "GM0405") { name viewerCan { managePeople } } }""");

        Assert.Equal(HttpStatusCode.Forbidden, managerStatus);
        Assert.Equal("FORBIDDEN", Code(managerBody));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStatus);
        Assert.True(admin["organisation"]!["viewerCan"]!["managePeople"]!.GetValue<bool>());
        Assert.Contains("board@demo.test", admin["organisation"]!["people"]!.AsArray().Select(p => p!["email"]!.GetValue<string>()));
        Assert.False(publicPart["organisation"]!["viewerCan"]!["managePeople"]!.GetValue<bool>());
    }

    private async Task<string> PeopleAsync(string organisation) =>
        (await fixture.DataAsync("query($id: ID!) { organisation(id: $id) { people { email role status } } }", new { id = organisation }, token: await fixture.OperatorAsync())).ToJsonString();
}
