using Platform.Tests.Shared;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Taking data out through the web app: the executing organisation's staff export the triage page's filtered list as CSV
/// (a real download in the browser, read back as a spreadsheet reads it), a resident is refused in words, and the
/// decisions page links the arrangement's open data, which the gateway hands out without a key.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ExportJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task Staff_download_the_filtered_complaints_as_CSV_a_resident_is_refused_and_the_open_data_is_linked()
    {
        // Filed through the API (the filing form has its own journeys), with a comma and quotes for the CSV to keep.
        var marker = $"export {Guid.NewGuid():N}"[..15];
        var filed = await platform.GraphQLAsync("""
            mutation($d: String!) { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: $d, location: { address: "Kerkplein 1, Hoorn" } }) { complaint { key } userErrors { message } } }
            """, new { d = $"Matras, kast en \"stoelen\" bij de container, {marker}" }, await platform.Tokens.UserAccessTokenAsync("citizen@demo.test"));
        var key = filed["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        await using var resident = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "export-resident");
        await resident.SignInAsync("citizen@demo.test", "/complaints");

        await using var executor = await WebSession.OpenAsync(browser, platform.WebAdminUrl, "export");
        await executor.SignInAsync("executor@demo.test", "/complaints");
        await executor.Page.SelectOptionAsync("#status", "SUBMITTED");
        await executor.Page.FillAsync("#text", marker);
        await executor.Page.ClickAsync("form.filters button[type=submit]");
        await executor.ExpectAsync("ul.complaint-list");
        await executor.CheckAsync("triage-filtered");
        var download = await executor.Page.RunAndWaitForDownloadAsync(() => executor.Page.ClickAsync("main a[href^='/complaints/export.csv']"));
        Assert.StartsWith("complaints-", download.SuggestedFilename, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Equal(["complaint", "arrangement", "municipality", "executing_organisation", "service", "status", "filed_at", "resolve_by", "overdue", "resolved_at", "description"],
            CsvText.Header(text));
        var row = Assert.Single(CsvText.Records(text));
        Assert.Equal((key, "afval-nhn", "GM0405", "grofvuil", "SUBMITTED"), (row["complaint"], row["arrangement"], row["municipality"], row["service"], row["status"]));
        Assert.Equal($"Matras, kast en \"stoelen\" bij de container, {marker}", row["description"]);
        // The file is the list on the page: the same complaint.
        Assert.Equal(1, await executor.Page.Locator($"ul.complaint-list a[href='/complaints/{row["complaint"]}']").CountAsync());

        // A resident follows their own complaints; the export says so instead of handing out a file.
        var refused = await resident.Page.GotoAsync(new Uri(platform.WebAdminUrl, "/complaints/export.csv").ToString());
        Assert.Equal(403, refused!.Status);
        Assert.Contains("residents follow their own complaints", await refused.TextAsync(), StringComparison.Ordinal);

        // The decisions page links the open data; the files are there without signing in.
        await executor.GotoAsync("/arrangements/afval-nhn/decisions");
        await executor.ExpectAsync("section[aria-labelledby=open-data]");
        await executor.CheckAsync("open-data");
        var href = await executor.Page.GetAttributeAsync("section[aria-labelledby=open-data] a[href$='/tariffs.csv']", "href");
        using var http = new HttpClient();
        var tariffs = CsvText.Records(await http.GetStringAsync(href));
        Assert.Contains(tariffs, t => t["service_code"] == "grofvuil" && t["valid_to"] == "");
    }
}
