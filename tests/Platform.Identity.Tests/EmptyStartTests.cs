using Platform.Tests.Shared;

namespace Platform.Identity.Tests;

/// <summary>Without demo data the identity server holds the platform's own clients and one operator, and nothing else.</summary>
public sealed class EmptyStartTests
{
    [Fact]
    public async Task An_empty_start_has_only_the_operator_and_the_platforms_own_clients()
    {
        await using var mail = await MailServer.StartAsync();
        await using var host = await IdentityHost.StartAsync(new(mail.Settings)
        {
            ["Platform:Identity:SeedDemoData"] = "false",
            ["Platform:Identity:Operator:Email"] = "beheer@platform.test",
            ["Platform:Identity:Operator:Password"] = "Beheer!2345",
        });
        var tokens = new TokenClient(host.Url);

        // No demo client exists to run the code flow with, so the sign-in form is posted directly.
        var operatorSignIn = await PostSignInAsync(host.Url, "beheer@platform.test", "Beheer!2345");
        var demoSignIn = await PostSignInAsync(host.Url, "admin@demo.test", "Demo!2345");
        var gateway = await tokens.AccessTokenAsync("platform-gateway", "platform-gateway-secret", "accounts:invite");
        var demoPartner = await Assert.ThrowsAsync<TokenRefusedException>(() => tokens.AccessTokenAsync("demo-partner", "demo-partner-secret"));

        Assert.Equal((System.Net.HttpStatusCode.Redirect, "/account/signed-in"), (operatorSignIn.StatusCode, operatorSignIn.Headers.Location?.ToString()));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, demoSignIn.StatusCode);
        Assert.False(string.IsNullOrEmpty(gateway));
        Assert.Contains(demoPartner.Status, new[] { 400, 401 });
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(Uri identity, string email, string password)
    {
        var http = new HttpClient(TokenClient.Handler(null, new System.Net.CookieContainer()));
        var form = await http.GetStringAsync(new Uri(identity, "account/login"));
        var antiforgery = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await http.PostAsync(new Uri(identity, "account/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = antiforgery,
        }));
    }
}
