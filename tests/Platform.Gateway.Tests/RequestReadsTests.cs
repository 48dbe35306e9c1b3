using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.GraphQL.Types;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class RequestReadsTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_municipality_named_many_times_in_one_request_is_read_once()
    {
        var reads = new RequestReads(fixture.Services.GetRequiredService<GrainReferences>());

        var first = reads.MunicipalityAsync("GM0405", grain => grain.GetAsync());
        var again = reads.MunicipalityAsync("GM0405", grain => grain.GetAsync());
        var other = reads.MunicipalityAsync("GM0363", grain => grain.GetAsync());

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal("GM0405", (await first)!.Code);
        Assert.Equal("GM0363", (await other)!.Code);
    }

    [Fact]
    public async Task Every_member_of_a_listed_arrangement_still_gets_its_own_municipality()
    {
        var data = await fixture.DataAsync("""{ arrangements(first: 50) { nodes { members { municipality { code } } } } }""");

        var members = data["arrangements"]!["nodes"]!.AsArray().SelectMany(a => a!["members"]!.AsArray()).ToList();
        Assert.True(members.Count >= 4);
        var codes = members.Select(m => m!["municipality"]!["code"]!.GetValue<string>()).ToList();
        Assert.Contains("GM0405", codes);
        Assert.True(codes.Distinct().Count() > 1);
    }
}
