using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Gateway.Tests;

/// <summary>
/// A resident without an account files a complaint, confirms it with the link mailed to them (read from the
/// SMTP server), follows it through that link to the end, and finds it in the account they make later.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class AnonymousComplaintTests(GatewayFixture fixture)
{
    private const string File = """
        mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { key } confirmationMailed userErrors { field code message } } }
        """;

    private const string Confirm = """
        mutation($token: String!) { confirmComplaint(input: { followToken: $token }) {
          complaint { key status viewerRole allowedActions municipality reporter { name email } } userErrors { field code message } } }
        """;

    private const string Follow = "query($token: String!) { followedComplaint(followToken: $token) { key status allowedActions history { action } } }";

    private static object Filing(string email, string? municipality = "GM0405", string? description = null, string arrangement = "afval-nhn", string? name = "Jan de Vries") => new
    {
        input = new
        {
            arrangementId = arrangement, serviceCode = "bouwpuin",
            description = description ?? $"Puin in de berm bij de Dorpsstraat ({Guid.NewGuid():N})",
            location = new { latitude = 52.6424, longitude = 5.0602, address = "Dorpsstraat 1, Hoorn" },
            municipalityCode = municipality,
            reporter = new { name, email },
        },
    };

    private static string NewAddress() => $"bewoner-{Guid.NewGuid():N}"[..20] + "@example.nl";

    [GeneratedRegex("/complaints/follow/([A-Za-z0-9_-]+)")]
    private static partial Regex FollowLink();

    private async Task<string> TokenFromMailAsync(string email)
    {
        var mail = await fixture.Mail.WaitForAsync(email, "Confirm your complaint");
        Assert.StartsWith("http://127.0.0.1:5999/complaints/follow/", mail.Text[mail.Text.IndexOf("http", StringComparison.Ordinal)..]);
        return FollowLink().Match(mail.Text).Groups[1].Value;
    }

    private async Task<List<JsonNode>> ExecutorSeesAsync(string marker) =>
        [.. (await fixture.DataAsync("query($text: String!) { complaints(filter: { text: $text }, first: 10) { nodes { key status } } }", new { text = marker },
            token: await fixture.TokenAsync("executor@demo.test")))["complaints"]!["nodes"]!.AsArray().Select(n => n!)];

    [Fact]
    public async Task A_resident_without_an_account_confirms_by_the_mailed_link_and_follows_the_complaint_to_the_end()
    {
        var email = NewAddress();
        var marker = Guid.NewGuid().ToString("N");
        var filed = (await fixture.DataAsync(File, Filing(email, description: $"Puin in de berm {marker}")))["fileComplaint"]!;
        Assert.Empty(filed["userErrors"]!.AsArray());
        Assert.True(filed["confirmationMailed"]!.GetValue<bool>());
        Assert.Null(filed["complaint"]);

        var token = await TokenFromMailAsync(email);
        Assert.Empty(await ExecutorSeesAsync(marker)); // nothing reaches the executor before the author confirms
        Assert.Null((await fixture.DataAsync(Follow, new { token }))["followedComplaint"]);

        var confirmed = (await fixture.DataAsync(Confirm, new { token }))["confirmComplaint"]!;
        Assert.Empty(confirmed["userErrors"]!.AsArray());
        var complaint = confirmed["complaint"]!;
        Assert.Equal(("SUBMITTED", "AUTHOR", "GM0405"), (complaint["status"]!.GetValue<string>(), complaint["viewerRole"]!.GetValue<string>(), complaint["municipality"]!.GetValue<string>()));
        Assert.Equal(("Jan de Vries", email), (complaint["reporter"]!["name"]!.GetValue<string>(), complaint["reporter"]!["email"]!.GetValue<string>()));
        var key = complaint["key"]!.GetValue<string>();

        // The link opened again (a reload, a second click) answers the same complaint and files nothing more.
        var again = (await fixture.DataAsync(Confirm, new { token }))["confirmComplaint"]!;
        Assert.Equal(key, again["complaint"]!["key"]!.GetValue<string>());
        Assert.Equal([key], (await ExecutorSeesAsync(marker)).Select(n => n["key"]!.GetValue<string>()));

        var executor = await fixture.TokenAsync("executor@demo.test");
        foreach (var action in new[] { "ACKNOWLEDGE", "RESOLVE" })
        {
            var step = await fixture.DataAsync("mutation($id: ID!, $action: ComplaintAction!) { transitionComplaint(input: { complaintId: $id, action: $action }) { userErrors { message } } }",
                new { id = key, action }, token: executor);
            Assert.Empty(step["transitionComplaint"]!["userErrors"]!.AsArray());
        }
        var followed = (await fixture.DataAsync(Follow, new { token }))["followedComplaint"]!;
        Assert.Equal("RESOLVED", followed["status"]!.GetValue<string>());
        Assert.Contains("CONFIRM", followed["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));

        var closed = await fixture.DataAsync("""
            mutation($id: ID!, $token: String!) { transitionComplaint(input: { complaintId: $id, action: CONFIRM, followToken: $token }) { complaint { status } userErrors { message } } }
            """, new { id = key, token });
        Assert.Empty(closed["transitionComplaint"]!["userErrors"]!.AsArray());
        Assert.Equal("CLOSED", (await fixture.DataAsync(Follow, new { token }))["followedComplaint"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_complaint_joins_the_account_the_resident_makes_later_with_that_address()
    {
        var email = NewAddress();
        var typed = email.ToUpperInvariant(); // the address as typed in the form, in another case than the account's
        await fixture.DataAsync(File, Filing(typed));
        var token = await TokenFromMailAsync(typed);
        var key = (await fixture.DataAsync(Confirm, new { token }))["confirmComplaint"]!["complaint"]!["key"]!.GetValue<string>();

        var account = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");
        var mine = await fixture.DataAsync("query($id: ID!) { complaint(id: $id) { viewerRole } complaints(first: 20) { nodes { key } } }", new { id = key }, token: account);

        Assert.Equal("AUTHOR", mine["complaint"]!["viewerRole"]!.GetValue<string>());
        Assert.Contains(key, mine["complaints"]!["nodes"]!.AsArray().Select(n => n!["key"]!.GetValue<string>()));
    }

    public static TheoryData<string, string?, string?, string, string> BadFilings() => new()
    {
        // email, municipality, description, arrangement, the field named
        { "", "GM0405", null, "afval-nhn", "reporter.email" },
        { "geen-adres", "GM0405", null, "afval-nhn", "reporter.email" },
        { "x@example.nl", "Hoorn", null, "afval-nhn", "municipalityCode" },
        { "x@example.nl", "GM0363", null, "afval-nhn", "arrangementId" },
        { "x@example.nl", "GM0405", "", "afval-nhn", "description" },
        { "x@example.nl", "GM0405", new string('x', 4001), "afval-nhn", "description" },
        { "x@example.nl", "GM0405", null, "bestaat-niet", "arrangementId" },
    };

    [Theory]
    [MemberData(nameof(BadFilings))]
    public async Task A_bad_filing_without_an_account_is_named_and_mails_nothing(string email, string? municipality, string? description, string arrangement, string field)
    {
        var address = email.Length == 0 ? "" : email.Replace("x@", $"x-{Guid.NewGuid():N}@", StringComparison.Ordinal);
        var payload = (await fixture.DataAsync(File, Filing(address, municipality, description, arrangement)))["fileComplaint"]!;

        Assert.Equal(field, payload["userErrors"]!.AsArray()[0]!["field"]!.GetValue<string>());
        Assert.False(payload["confirmationMailed"]!.GetValue<bool>());
        if (address.Contains('@', StringComparison.Ordinal)) Assert.Empty(await fixture.Mail.MailsToAsync(address));
    }

    [Fact]
    public async Task A_tampered_or_unknown_link_is_refused_and_shows_nothing()
    {
        var email = NewAddress();
        await fixture.DataAsync(File, Filing(email));
        var token = await TokenFromMailAsync(email);
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        foreach (var wrong in new[] { tampered, "x", new string('a', 500), "../../etc/passwd" })
        {
            var confirm = (await fixture.DataAsync(Confirm, new { token = wrong }))["confirmComplaint"]!;
            Assert.Equal(("followToken", "NOT_FOUND"), (confirm["userErrors"]![0]!["field"]!.GetValue<string>(), confirm["userErrors"]![0]!["code"]!.GetValue<string>()));
            Assert.Null(confirm["complaint"]);
            Assert.Null((await fixture.DataAsync(Follow, new { token = wrong }))["followedComplaint"]);
        }
        var (_, step) = await fixture.PostAsync("mutation($token: String!) { transitionComplaint(input: { complaintId: \"c-anything\", action: CONFIRM, followToken: $token }) { userErrors { code } } }", new { token = tampered });
        Assert.Equal("NOT_FOUND", step["data"]!["transitionComplaint"]!["userErrors"]![0]!["code"]!.GetValue<string>());

        // The real link still works afterwards.
        Assert.Empty((await fixture.DataAsync(Confirm, new { token }))["confirmComplaint"]!["userErrors"]!.AsArray());
    }

    [Fact]
    public async Task A_link_not_opened_within_seven_days_files_nothing()
    {
        var email = NewAddress();
        var marker = Guid.NewGuid().ToString("N");
        await fixture.DataAsync(File, Filing(email, description: $"Te laat bevestigd {marker}"));
        var token = await TokenFromMailAsync(email);

        fixture.Clock.Offset = TimeSpan.FromDays(8);
        JsonNode late;
        try
        {
            late = (await fixture.DataAsync(Confirm, new { token }))["confirmComplaint"]!;
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }

        Assert.Equal("EXPIRED", late["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Null(late["complaint"]);
        Assert.Empty(await ExecutorSeesAsync(marker));
    }
}
