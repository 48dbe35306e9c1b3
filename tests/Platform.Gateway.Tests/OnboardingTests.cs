using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Platform.Tests.Shared;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed partial class OnboardingTests(GatewayFixture fixture)
{
    private const string Apply = """
        mutation($input: ApplyForOnboardingInput!) { applyForOnboarding(input: $input) { application { code status } userErrors { field code message } } }
        """;

    private const string Approve = """
        mutation($code: String!) { approveOnboarding(input: { code: $code }) { application { status invitationSent history { action } } userErrors { field code message } } }
        """;

    private static object Application(string code, string email, string name = "Testgemeente") =>
        new { input = new { code, name, inhabitants = 40_000, inhabitantsReferenceDate = "2024-01-01", contactName = "Jan Jansen", contactEmail = email } };

    [Fact]
    public async Task An_approved_application_makes_a_tenant_whose_contact_sets_a_password_and_signs_in_as_its_admin()
    {
        var applied = (await fixture.DataAsync(Apply, Application("GM0439", "griffie@purmerend.test", "Purmerend")))["applyForOnboarding"]!;
        Assert.Equal("PENDING", applied["application"]!["status"]!.GetValue<string>());

        var approved = (await fixture.DataAsync(Approve, new { code = "GM0439" }, token: await fixture.OperatorAsync()))["approveOnboarding"]!;

        Assert.Empty(approved["userErrors"]!.AsArray());
        Assert.Equal(("APPROVED", true), (approved["application"]!["status"]!.GetValue<string>(), approved["application"]!["invitationSent"]!.GetValue<bool>()));
        Assert.Equal("Purmerend", (await fixture.DataAsync("""{ municipality(code: "GM0439") { name } }"""))["municipality"]!["name"]!.GetValue<string>());

        // The invitation is mailed through the SMTP server; its link sets the password.
        using var browser = new HttpClient();
        var mail = await fixture.Mail.WaitForAsync("griffie@purmerend.test", "account");
        var link = InvitationLink().Match(mail.Text);
        Assert.True(link.Success, "no invitation link in the mail");
        var form = await browser.GetStringAsync(link.Value);
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link.Value).Query);
        using var set = await browser.PostAsync(new Uri(fixture.Identity.Url, "account/invitation"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = query["user"]!, ["Token"] = query["token"]!, ["Password"] = "Nieuw!2345", ["Confirm"] = "Nieuw!2345", ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains("Uw wachtwoord is ingesteld", await set.Content.ReadAsStringAsync());

        var token = await fixture.Tokens.UserAccessTokenAsync("griffie@purmerend.test", "Nieuw!2345");
        var viewer = (await fixture.DataAsync("{ viewer { organisation roles tenant { id } } }", token: token))["viewer"]!;
        Assert.Equal(("GM0439", "municipality-admin", "GM0439"),
            (viewer["organisation"]!.GetValue<string>(), viewer["roles"]![0]!.GetValue<string>(), viewer["tenant"]!["id"]!.GetValue<string>()));

        // The link works once.
        using var again = await browser.PostAsync(new Uri(fixture.Identity.Url, "account/invitation"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = query["user"]!, ["Token"] = query["token"]!, ["Password"] = "Ander!2345", ["Confirm"] = "Ander!2345", ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task An_application_in_someone_elses_name_does_not_block_the_municipality_and_approving_one_supersedes_it()
    {
        var squatter = (await fixture.DataAsync(Apply, Application("GM0385", "first@squatter.test", "Edam-Volendam")))["applyForOnboarding"]!;
        var real = (await fixture.DataAsync(Apply, Application("GM0385", "griffie@edam.test", "Edam-Volendam")))["applyForOnboarding"]!;
        var operatorToken = await fixture.OperatorAsync();
        const string decide = """
            mutation($n: Int) { approveOnboarding(input: { code: "GM0385", application: $n }) { application { number status contactEmail } userErrors { field code } } }
            """;

        var ambiguous = (await fixture.DataAsync(decide, new { n = (int?)null }, token: operatorToken))["approveOnboarding"]!;
        var listed = await fixture.DataAsync("{ onboardingApplications(first: 100) { nodes { code number contactEmail status } } }", token: operatorToken);
        var approved = (await fixture.DataAsync(decide, new { n = 2 }, token: operatorToken))["approveOnboarding"]!;
        var after = await fixture.DataAsync("{ onboardingApplications(first: 100) { nodes { code number status reason } } }", token: operatorToken);

        Assert.Empty(squatter["userErrors"]!.AsArray());
        Assert.Empty(real["userErrors"]!.AsArray());
        Assert.Equal(("application", "REQUIRED"), (ambiguous["userErrors"]![0]!["field"]!.GetValue<string>(), ambiguous["userErrors"]![0]!["code"]!.GetValue<string>()));
        var both = listed["onboardingApplications"]!["nodes"]!.AsArray().Where(n => n!["code"]!.GetValue<string>() == "GM0385").ToList();
        Assert.Equal(["first@squatter.test", "griffie@edam.test"], both.Select(n => n!["contactEmail"]!.GetValue<string>()));
        Assert.All(both, n => Assert.Equal("PENDING", n!["status"]!.GetValue<string>()));
        Assert.Equal(("APPROVED", "griffie@edam.test"), (approved["application"]!["status"]!.GetValue<string>(), approved["application"]!["contactEmail"]!.GetValue<string>()));
        var first = after["onboardingApplications"]!["nodes"]!.AsArray().Single(n => n!["code"]!.GetValue<string>() == "GM0385" && n["number"]!.GetValue<int>() == 1)!;
        Assert.Equal("SUPERSEDED", first["status"]!.GetValue<string>());
        Assert.Contains("Application 2", first["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_contact_applying_twice_is_refused_and_the_first_application_stays()
    {
        await fixture.DataAsync(Apply, Application("GM0396", "griffie@heemskerk.test", "Heemskerk"));

        var second = (await fixture.DataAsync(Apply, Application("GM0396", "Griffie@Heemskerk.test", "Heemskerk (2)")))["applyForOnboarding"]!;

        Assert.Equal(("contactEmail", "DUPLICATE"), (second["userErrors"]![0]!["field"]!.GetValue<string>(), second["userErrors"]![0]!["code"]!.GetValue<string>()));
        var stored = await fixture.DataAsync("""{ onboardingApplication(code: "GM0396") { name number } }""", token: await fixture.OperatorAsync());
        Assert.Equal(("Heemskerk", 1), (stored["onboardingApplication"]!["name"]!.GetValue<string>(), stored["onboardingApplication"]!["number"]!.GetValue<int>()));
    }

    [Fact]
    public async Task An_undecided_application_expires_after_30_days_and_the_municipality_applies_again()
    {
        await fixture.DataAsync(Apply, Application("GM0453", "stale@velsen.test", "Velsen"));

        fixture.Clock.Offset = TimeSpan.FromDays(31);
        try
        {
            // Anonymous calls only while the clock is shifted: tokens are not validated against it.
            var again = (await fixture.DataAsync(Apply, Application("GM0453", "griffie@velsen.test", "Velsen")))["applyForOnboarding"]!;
            var all = await fixture.Services.GetRequiredService<IGrainFactory>().GetGrain<Platform.Grains.Onboarding.IOnboardingGrain>("GM0453").ListAsync();

            Assert.Empty(again["userErrors"]!.AsArray());
            Assert.Equal([Platform.Grains.Onboarding.ApplicationStatus.Expired, Platform.Grains.Onboarding.ApplicationStatus.Pending], all.Select(a => a.Status));
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Theory]
    [InlineData("GM0405", "a@b.test", "code", "ALREADY_EXISTS")]
    [InlineData("GM12", "a@b.test", "code", "INVALID_FORMAT")]
    [InlineData("GM0448", "not-an-email", "contactEmail", "INVALID_FORMAT")]
    [InlineData("GM0448", "", "contactEmail", "REQUIRED")]
    public async Task A_bad_application_is_refused_with_the_field_named(string code, string email, string field, string errorCode)
    {
        var payload = (await fixture.DataAsync(Apply, Application(code, email)))["applyForOnboarding"]!;

        var error = payload["userErrors"]![0]!;
        Assert.Equal((field, errorCode), (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.Null(payload["application"]);
    }

    [Fact]
    public async Task Applications_are_visible_to_operators_only()
    {
        await fixture.DataAsync(Apply, Application("GM0457", "contact@weesp.test", "Weesp"));

        var (anonymous, _) = await fixture.PostAsync("{ onboardingApplications { totalCount } }");
        var (admin, _) = await fixture.PostAsync("{ onboardingApplications { totalCount } }", token: await fixture.TokenAsync("admin@demo.test"));
        var operatorView = await fixture.DataAsync("{ onboardingApplications(first: 100) { nodes { code contactEmail } } }", token: await fixture.OperatorAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.Forbidden, admin);
        Assert.Contains(operatorView["onboardingApplications"]!["nodes"]!.AsArray(), n => n!["code"]!.GetValue<string>() == "GM0457");
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_the_municipality_may_apply_again()
    {
        await fixture.DataAsync(Apply, Application("GM0415", "contact@landsmeer.test", "Landsmeer"));
        var reject = """mutation($reason: String) { rejectOnboarding(input: { code: "GM0415", reason: $reason }) { application { status reason } userErrors { field code } } }""";

        var noReason = (await fixture.DataAsync(reject, new { reason = (string?)null }, token: await fixture.OperatorAsync()))["rejectOnboarding"]!;
        var rejected = (await fixture.DataAsync(reject, new { reason = "Please apply with the council's decision attached." }, token: await fixture.OperatorAsync()))["rejectOnboarding"]!;
        var reapplied = (await fixture.DataAsync(Apply, Application("GM0415", "contact@landsmeer.test", "Landsmeer")))["applyForOnboarding"]!;

        Assert.Equal(("reason", "REQUIRED"), (noReason["userErrors"]![0]!["field"]!.GetValue<string>(), noReason["userErrors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal("REJECTED", rejected["application"]!["status"]!.GetValue<string>());
        Assert.Equal("PENDING", reapplied["application"]!["status"]!.GetValue<string>());
        Assert.Null((await fixture.DataAsync("""{ municipality(code: "GM0415") { name } }"""))["municipality"]);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/account/invitation\?user=[^\s<]+")]
    private static partial Regex InvitationLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
