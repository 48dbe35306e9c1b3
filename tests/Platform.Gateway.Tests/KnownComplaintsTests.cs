using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Gateway.Complaints;
using Platform.ReadModel;

namespace Platform.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class KnownComplaintsTests(GatewayFixture fixture)
{
    private sealed class Rebuild(bool pending) : IRestoredListRebuild
    {
        public int Asked { get; private set; }

        public ValueTask<bool> PendingAsync(CancellationToken cancellationToken)
        {
            Asked++;
            return ValueTask.FromResult(pending);
        }
    }

    private KnownComplaints Known(IRestoredListRebuild rebuild) =>
        new(fixture.Services.GetRequiredService<IDbContextFactory<ComplaintListStore>>(), rebuild, NullLogger<KnownComplaints>.Instance);

    [Fact]
    public async Task An_id_without_a_row_is_unknown_unless_a_restore_is_still_writing_the_list_again()
    {
        var none = new Rebuild(pending: false);
        var restoring = new Rebuild(pending: true);
        var missing = $"c-{Guid.NewGuid():N}";

        Assert.False(await Known(none).MayExistAsync(missing, CancellationToken.None));
        Assert.True(await Known(restoring).MayExistAsync(missing, CancellationToken.None));
        Assert.False(await Known(restoring).MayExistAsync("not a key\n", CancellationToken.None));
    }

    [Fact]
    public async Task An_id_with_a_row_is_known_without_looking_for_a_restore()
    {
        var data = await fixture.DataAsync("""
            mutation { fileComplaint(input: { arrangementId: "afval-nhn", serviceCode: "grofvuil", description: "Known by its row", location: { address: "Kerkplein 1, Hoorn" } }) { complaint { key } } }
            """, token: await fixture.TokenAsync("citizen@demo.test"));
        var key = data["fileComplaint"]!["complaint"]!["key"]!.GetValue<string>();
        var rebuild = new Rebuild(pending: false);

        Assert.True(await Known(rebuild).MayExistAsync(key, CancellationToken.None));
        Assert.Equal(0, rebuild.Asked);
    }

    private static RestoredListRebuild RebuildStateAt(int port) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:storage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
        }).Build(),
        TimeProvider.System, NullLogger<RestoredListRebuild>.Instance);

    [Fact]
    public async Task A_storage_account_that_refuses_or_never_answers_counts_as_no_restore_and_does_not_fail_the_lookup()
    {
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        // Accepts connections and never answers: the lookup ends at its own 2-s timeout (a cancellation, not the request's).
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var silentPort = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;

        var refused = await RebuildStateAt(closedPort).PendingAsync(CancellationToken.None);
        var unanswered = await RebuildStateAt(silentPort).PendingAsync(CancellationToken.None);

        Assert.False(refused);
        Assert.False(unanswered);
    }
}
