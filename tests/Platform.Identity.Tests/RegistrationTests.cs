extern alias identity;
using System.Net;
using System.Text.RegularExpressions;
using Platform.Tests.Shared;

namespace Platform.Identity.Tests;

/// <summary>Residents register themselves (confirmed by mail), and anyone resets a forgotten password by mail; Dutch by default, English on request.</summary>
[Collection(IdentityCollection.Name)]
public sealed partial class RegistrationTests(IdentityFixture fixture)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/account/(confirm|reset)\?user=\S+")]
    private static partial Regex MailedLink();

    /// <summary>A browser of its own (cookies, antiforgery), from its own loopback address so the limits of other tests do not apply.</summary>
    private static HttpClient Browser(string address) => new(TokenClient.Handler(IPAddress.Parse(address), new CookieContainer()));

    private async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, Dictionary<string, string> fields)
    {
        var page = await browser.GetStringAsync(new Uri(fixture.Host.Url, path));
        fields["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value;
        return await browser.PostAsync(new Uri(fixture.Host.Url, path), new FormUrlEncodedContent(fields));
    }

    private Task<HttpResponseMessage> RegisterAsync(HttpClient browser, string email, string password = "Inwoner!2345", string municipality = "GM0405") =>
        PostFormAsync(browser, "account/register", new() { ["Email"] = email, ["Name"] = "Nieuwe inwoner", ["Municipality"] = municipality, ["Password"] = password, ["Confirm"] = password });

    [Fact]
    public async Task A_resident_registers_confirms_by_mail_and_signs_in_as_a_citizen_of_their_municipality()
    {
        using var browser = Browser("127.0.0.41");
        using var registered = await RegisterAsync(browser, "inwoner@hoorn.test");
        var before = await Assert.ThrowsAsync<SignInRefusedException>(() => fixture.Tokens.From(IPAddress.Parse("127.0.0.41")).SignInAsync("inwoner@hoorn.test", "Inwoner!2345"));

        var mail = await fixture.Mail.WaitForAsync("inwoner@hoorn.test", "Bevestig");
        var link = MailedLink().Match(mail.Text).Value;
        using var confirmed = await browser.GetAsync(link);
        using var again = await browser.GetAsync(link);
        var token = await fixture.Tokens.From(IPAddress.Parse("127.0.0.41")).SignInAsync("inwoner@hoorn.test", "Inwoner!2345");

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Contains("Kijk in uw e-mail", WebUtility.HtmlDecode(await registered.Content.ReadAsStringAsync()));
        Assert.Contains("Bevestig eerst uw e-mailadres", WebUtility.HtmlDecode(before.Page));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode); // the link works once
        var claims = System.Text.Json.Nodes.JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token["access_token"]!.GetValue<string>().Split('.')[1]))!;
        Assert.Equal(("GM0405", "citizen"), (claims["org"]!.GetValue<string>(), claims["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Registering_an_address_that_has_an_account_answers_the_same_and_tells_its_owner_by_mail()
    {
        using var browser = Browser("127.0.0.42");
        using var existing = await RegisterAsync(browser, "manager@demo.test");
        using var fresh = await RegisterAsync(browser, "nog-niet@hoorn.test");

        Assert.Equal(existing.StatusCode, fresh.StatusCode);
        Assert.Contains("Kijk in uw e-mail", WebUtility.HtmlDecode(await existing.Content.ReadAsStringAsync()));
        Assert.Contains("bestaat al", (await fixture.Mail.WaitForAsync("manager@demo.test", "bestaat al")).Subject);
        // The existing account is untouched: its own password still works.
        Assert.NotNull((await fixture.Tokens.From(IPAddress.Parse("127.0.0.42")).SignInAsync("manager@demo.test"))["access_token"]);
    }

    [Theory]
    [InlineData("kort@hoorn.test", "Kort!1", "GM0405", "te kort")]
    [InlineData("geencijfer@hoorn.test", "Geencijfer!!", "GM0405", "cijfer")]
    [InlineData("geen-adres", "Inwoner!2345", "GM0405", "geldig e-mailadres")]
    [InlineData("onbekend@hoorn.test", "Inwoner!2345", "GM12", "Kies uw gemeente")]
    public async Task A_bad_registration_is_refused_and_named_and_creates_nothing(string email, string password, string municipality, string message)
    {
        using var browser = Browser("127.0.0.43");

        using var response = await RegisterAsync(browser, email, password, municipality);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        await Assert.ThrowsAsync<SignInRefusedException>(() => fixture.Tokens.From(IPAddress.Parse("127.0.0.43")).SignInAsync(email, password));
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_through_a_mailed_link_that_works_once_and_not_when_altered()
    {
        // An account of this test's own (the demo accounts' passwords are used by other tests).
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(fixture.Host.Services))
        {
            var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<identity::Platform.Identity.Persistence.PlatformUser>>(scope.ServiceProvider);
            var user = new identity::Platform.Identity.Persistence.PlatformUser { UserName = "vergeten@hoorn.test", Email = "vergeten@hoorn.test", EmailConfirmed = true, DisplayName = "Vergeetachtig", Organisation = "GM0405" };
            Assert.True((await users.CreateAsync(user, "Oud!23456")).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, "citizen")).Succeeded);
        }
        using var browser = Browser("127.0.0.44");
        using var asked = await PostFormAsync(browser, "account/forgot", new() { ["Email"] = "vergeten@hoorn.test" });
        using var unknown = await PostFormAsync(browser, "account/forgot", new() { ["Email"] = "niemand@hoorn.test" });
        var link = MailedLink().Match((await fixture.Mail.WaitForAsync("vergeten@hoorn.test", "wachtwoord")).Text).Value;
        var tampered = link.Replace("token=", "token=x", StringComparison.Ordinal);

        using var withTampered = await PostFormAsync(browser, tampered[tampered.IndexOf("account", StringComparison.Ordinal)..], new() { ["Password"] = "Nieuw!2345", ["Confirm"] = "Nieuw!2345" });
        using var reset = await PostFormAsync(browser, link[link.IndexOf("account", StringComparison.Ordinal)..], new() { ["Password"] = "Nieuw!2345", ["Confirm"] = "Nieuw!2345" });
        using var reused = await PostFormAsync(browser, link[link.IndexOf("account", StringComparison.Ordinal)..], new() { ["Password"] = "Ander!2345", ["Confirm"] = "Ander!2345" });

        Assert.Equal(WebUtility.HtmlDecode(await asked.Content.ReadAsStringAsync()).Replace("vergeten@hoorn.test", "X"), WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()).Replace("niemand@hoorn.test", "X"));
        Assert.Equal(HttpStatusCode.BadRequest, withTampered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.NotNull((await fixture.Tokens.From(IPAddress.Parse("127.0.0.44")).SignInAsync("vergeten@hoorn.test", "Nieuw!2345"))["access_token"]);
    }

    [Fact]
    public async Task The_pages_are_Dutch_by_default_and_English_on_request_or_as_the_application_asks()
    {
        using var browser = Browser("127.0.0.45");
        var dutch = await browser.GetStringAsync(new Uri(fixture.Host.Url, "account/login"));
        var english = await browser.GetStringAsync(new Uri(fixture.Host.Url, "account/login?lang=en"));
        var remembered = await browser.GetStringAsync(new Uri(fixture.Host.Url, "account/register"));
        using var fresh = Browser("127.0.0.46");
        var asked = await fresh.GetStringAsync(new Uri(fixture.Host.Url, "account/login?ReturnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=demo-cli&ui_locales=en-GB")));

        Assert.Contains("<html lang=\"nl\">", dutch);
        Assert.Contains("Inloggen", dutch);
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Sign in", english);
        Assert.Contains("Create an account", remembered); // the choice is kept in a cookie
        Assert.Contains("<html lang=\"en\">", asked);
    }
}
