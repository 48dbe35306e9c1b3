using Platform.Domain.Access;
using Platform.Domain.Organisations;
using Platform.Domain.Validation;
using Platform.Grains.Municipalities;
using Platform.Grains.Organisations;

namespace Platform.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OrganisationGrainTests(ClusterFixture fixture)
{
    private static readonly DateOnly Census = new(2024, 1, 1);

    /// <summary>A municipality onboarded now has an organisation with one admin.</summary>
    private async Task<IOrganisationGrain> MunicipalityWithAdminAsync(string code)
    {
        CallerContext.Set(ClusterFixture.Operator);
        Assert.True((await fixture.Grains.GetGrain<IMunicipalityGrain>(code).OnboardAsync(new($"Gemeente {code}", 20_000, Census))).Succeeded);
        var organisation = fixture.Grains.GetGrain<IOrganisationGrain>(code);
        Assert.True((await organisation.InviteAsync(new($"admin@{code}", "Admin", Roles.MunicipalityAdmin))).Succeeded);
        return organisation;
    }

    [Fact]
    public async Task Onboarding_a_municipality_registers_its_organisation()
    {
        await MunicipalityWithAdminAsync("GM0601");

        var organisation = await fixture.Grains.GetGrain<IOrganisationGrain>("GM0601").GetAsync();

        Assert.Equal(("Gemeente GM0601", OrganisationKind.Municipality), (organisation!.Name, organisation.Kind));
    }

    [Fact]
    public async Task An_admin_invites_a_colleague_in_a_role_of_their_organisation_only()
    {
        var organisation = await MunicipalityWithAdminAsync("GM0602");
        CallerContext.Set(ClusterFixture.AdminOf("GM0602"));

        var manager = await organisation.InviteAsync(new("Manager@GM0602.test ", "Contract manager", Roles.ContractManager));
        var executorRole = await organisation.InviteAsync(new("x@gm0602.test", "X", Roles.ExecutorStaff));
        var operatorRole = await organisation.InviteAsync(new("y@gm0602.test", "Y", Roles.Operator));
        var badAddress = await organisation.InviteAsync(new("not-an-address", "Z", Roles.Alderman));

        Assert.True(manager.Succeeded);
        Assert.Equal(("role", ViolationCodes.OutOfRange), (executorRole.Errors[0].Field, executorRole.Errors[0].Code));
        Assert.Equal(("role", ViolationCodes.OutOfRange), (operatorRole.Errors[0].Field, operatorRole.Errors[0].Code));
        Assert.Equal(("email", ViolationCodes.InvalidFormat), (badAddress.Errors[0].Field, badAddress.Errors[0].Code));
        var people = await organisation.PeopleAsync();
        Assert.Equal(["admin@gm0602", "manager@gm0602.test"], people.People.Select(p => p.Email));
        Assert.Equal(new PersonAccess(PersonStatus.Active, Roles.ContractManager), await organisation.AccessOfAsync("MANAGER@gm0602.test"));
    }

    [Theory]
    [InlineData("admin-of-another")]
    [InlineData("manager")]
    [InlineData("citizen")]
    [InlineData("anonymous")]
    public async Task Nobody_but_its_admins_and_operators_manages_or_sees_its_people(string who)
    {
        var organisation = await MunicipalityWithAdminAsync(who switch { "admin-of-another" => "GM0611", "manager" => "GM0612", "citizen" => "GM0613", _ => "GM0614" });
        var code = organisation.GetPrimaryKeyString();
        CallerContext.Set(who switch
        {
            "admin-of-another" => ClusterFixture.AdminOf("GM0363"),
            "manager" => ClusterFixture.ManagerOf(code),
            "citizen" => ClusterFixture.CitizenOf(code),
            _ => Caller.Anonymous,
        });

        var invite = await organisation.InviteAsync(new("mole@evil.test", "Mole", Roles.MunicipalityAdmin));
        var remove = await organisation.RemovePersonAsync($"admin@{code}");
        var people = await organisation.PeopleAsync();

        Assert.True(invite.IsRefusal && remove.IsRefusal && people.Access.IsRefusal);
        Assert.Empty(people.People);
        CallerContext.Set(ClusterFixture.Operator);
        Assert.Equal([$"admin@{code.ToLowerInvariant()}"], (await organisation.PeopleAsync()).People.Select(p => p.Email));
    }

    [Fact]
    public async Task The_last_admin_is_neither_removed_nor_demoted_and_a_removed_person_loses_access()
    {
        var organisation = await MunicipalityWithAdminAsync("GM0620");
        CallerContext.Set(ClusterFixture.AdminOf("GM0620"));
        var lastRemove = await organisation.RemovePersonAsync("admin@GM0620");
        var lastDemote = await organisation.ChangeRoleAsync(new("admin@GM0620", Roles.Alderman));
        Assert.True((await organisation.InviteAsync(new("second@gm0620.test", "Second admin", Roles.MunicipalityAdmin))).Succeeded);

        var removed = await organisation.RemovePersonAsync("admin@GM0620");
        var again = await organisation.RemovePersonAsync("admin@GM0620");
        var stranger = await organisation.RemovePersonAsync("nobody@gm0620.test");

        Assert.Equal(ViolationCodes.OutOfRange, lastRemove.Errors[0].Code);
        Assert.Equal(ViolationCodes.OutOfRange, lastDemote.Errors[0].Code);
        Assert.True(removed.Succeeded && again.Succeeded);
        Assert.Equal(ViolationCodes.NotFound, stranger.Errors[0].Code);
        Assert.Equal(PersonStatus.Removed, (await organisation.AccessOfAsync("admin@gm0620")).Status);
        Assert.Equal(["invited", "invited", "removed"], (await organisation.PeopleAsync()).History.Select(h => h.Action).Where(a => a is "person-invited" or "person-removed")
            .Select(a => a == "person-invited" ? "invited" : "removed"));
    }

    [Theory]
    [InlineData("GM0999", "a CBS code")]
    [InlineData("Afval BV", "capitals and a space")]
    [InlineData("x", "one character")]
    public async Task An_executing_organisation_needs_an_id_of_its_own(string id, string why)
    {
        CallerContext.Set(ClusterFixture.Operator);

        var result = await fixture.Grains.GetGrain<IOrganisationGrain>(id).RegisterAsync(new("Afval BV"));

        Assert.False(result.Succeeded, why);
        Assert.Equal("id", result.Errors[0].Field);
        Assert.Null(await fixture.Grains.GetGrain<IOrganisationGrain>(id).GetAsync());
    }

    [Fact]
    public async Task Only_an_operator_registers_an_executing_organisation_and_its_admin_manages_its_staff()
    {
        CallerContext.Set(ClusterFixture.AdminOf("GM0405"));
        var refused = await fixture.Grains.GetGrain<IOrganisationGrain>("groen-bv").RegisterAsync(new("Groen BV"));
        CallerContext.Set(ClusterFixture.Operator);
        var organisation = fixture.Grains.GetGrain<IOrganisationGrain>("groen-bv");
        Assert.True((await organisation.RegisterAsync(new("Groen BV"))).Succeeded);
        Assert.True((await organisation.InviteAsync(new("baas@groen.test", "Baas", Roles.ExecutorAdmin))).Succeeded);

        CallerContext.Set(new Caller(CallerKind.User, "baas@groen.test", "groen-bv", [Roles.ExecutorAdmin], []));
        var staff = await organisation.InviteAsync(new("hovenier@groen.test", "Hovenier", Roles.ExecutorStaff));
        var boardRole = await organisation.InviteAsync(new("bestuur@groen.test", "Bestuur", Roles.BoardMember));
        var capabilities = await organisation.CapabilitiesAsync();

        Assert.True(refused.IsRefusal);
        Assert.True(staff.Succeeded);
        Assert.Equal(ViolationCodes.OutOfRange, boardRole.Errors[0].Code);
        Assert.True(capabilities.ManagePeople);
        Assert.Equal([Roles.ExecutorAdmin, Roles.ExecutorStaff], capabilities.AssignableRoles);
    }

    [Fact]
    public async Task People_clients_and_keys_read_back_after_deactivation()
    {
        var organisation = await MunicipalityWithAdminAsync("GM0630");
        CallerContext.Set(ClusterFixture.AdminOf("GM0630"));
        var client = await organisation.AddClientAsync(new("Zaaksysteem", [Scopes.ArrangementsRead, Scopes.ComplaintsRead]));
        await organisation.RecordClientAsync(client.Id!, true, "created");
        Assert.True((await organisation.ChangeClientAsync(client.Id, ClientChange.Revoke)).Succeeded);
        Assert.True((await organisation.AddOpen311KeyAsync(new("App", Platform.Domain.Organisations.Open311KeyText.Hash("k"), "k"))).Succeeded);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var view = await organisation.PeopleAsync();

        Assert.Equal(["admin@gm0630"], view.People.Select(p => p.Email));
        var reloaded = Assert.Single(view.Clients!);
        Assert.Equal((CredentialStatus.Revoked, (IReadOnlyList<string>)[Scopes.ArrangementsRead, Scopes.ComplaintsRead]), (reloaded.Status, reloaded.Scopes), new ClientComparer());
        Assert.Equal(PersonStatus.Removed, (await organisation.AccessOfAsync(client.Id!)).Status);
        Assert.Equal(CredentialStatus.Active, Assert.Single(view.Open311Keys!).Status);
    }

    private sealed class ClientComparer : IEqualityComparer<(CredentialStatus, IReadOnlyList<string>)>
    {
        public bool Equals((CredentialStatus, IReadOnlyList<string>) x, (CredentialStatus, IReadOnlyList<string>) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);

        public int GetHashCode((CredentialStatus, IReadOnlyList<string>) obj) => obj.Item1.GetHashCode();
    }
}
