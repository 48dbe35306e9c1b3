using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The load harness (tools/load/run.sh) in its smoke mode against the running platform: it must compare the
/// bytes, run wrk on its own core and print a figure for every scenario. It asserts that figures came out,
/// never a speed (speeds are for the full run on a quiet machine; see the README).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class LoadHarnessTests(PlatformFixture platform)
{
    [GeneratedRegex(@"^\| (?<scenario>[\w-]+) \| (?<gateway>[\d,]+) \| (?<plain>[\d,]+) \| (?<ratio>[\d.]+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [Fact]
    public async Task The_smoke_run_prints_requests_per_second_and_a_ratio_for_every_scenario()
    {
        var report = Path.Combine(Path.GetTempPath(), $"load-smoke-{Guid.NewGuid():N}.md");
        var output = await Repository.RunOrThrowAsync("bash", ["tools/load/run.sh", "--smoke", "--gateway", new Uri(platform.GatewayUrl, "/").ToString().TrimEnd('/'), "--out", report], Repository.Root);

        var rows = Row().Matches(await File.ReadAllTextAsync(report)).ToDictionary(m => m.Groups["scenario"].Value);
        Assert.True(rows.ContainsKey("tariffs") && rows.ContainsKey("tariffs-cached") && rows.ContainsKey("typename"), output);
        Assert.All(rows.Values, row =>
        {
            Assert.True(double.Parse(row.Groups["gateway"].Value.Replace(",", ""), CultureInfo.InvariantCulture) > 0, output);
            Assert.True(double.Parse(row.Groups["plain"].Value.Replace(",", ""), CultureInfo.InvariantCulture) > 0, output);
        });
        File.Delete(report);
    }
}
