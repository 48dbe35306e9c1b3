using Platform.Grains.Hosting;
using Platform.Domain.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Platform.ReadModel;
using Orleans.TestingHost;

namespace Platform.Grains.Tests;

/// <summary>One in-process silo with memory storage, shared by every grain test of the assembly.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; }

    public ClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Grains);
            silo.UseInMemoryReminderService();
            silo.AddPlatformGrainBehaviour();
            // A clock the tests move forward (service-level dates, automatic closing); it starts at now.
            silo.Services.AddSingleton<TimeProvider>(Clock);
            // Mail is recorded, not sent: what grains mail is checked here; the SMTP path is tested with the gateway.
            silo.Services.AddSingleton<Platform.ServiceDefaults.Mail.IMailSender>(Mailbox);
            silo.Services.AddComplaintList(Platform.Databases.DatabaseConnection.Sqlite(Path.Combine(Path.GetTempPath(), $"grain-tests-{Guid.NewGuid():N}", "complaints.db")));
        });
        Cluster = builder.Build();
    }

    public IGrainFactory Grains => Cluster.Client;

    public static FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public static RecordedMail Mailbox { get; } = new();

    public static Caller Operator { get; } = new(CallerKind.User, "operator@test", null, [Roles.Operator], []);

    public static Caller AdminOf(string municipality) => new(CallerKind.User, $"admin@{municipality}", municipality, [Roles.MunicipalityAdmin], []);

    public static Caller ManagerOf(string municipality) => new(CallerKind.User, $"manager@{municipality}", municipality, [Roles.ContractManager], []);

    public static Caller CitizenOf(string municipality) => new(CallerKind.User, $"citizen@{municipality}", municipality, [Roles.Citizen], []);

    public static Caller ExecutorOf(string organisation) => new(CallerKind.User, $"staff@{organisation}", organisation, [Roles.ExecutorStaff], []);

    /// <summary>Registers an executing organisation (as the platform) unless it is there, and returns its id.</summary>
    public async Task<string> ExecutorAsync(string id)
    {
        using (CallerContext.As(Caller.System("test-setup")))
        {
            var organisation = Grains.GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(id);
            if (await organisation.GetAsync() is null) Assert.True((await organisation.RegisterAsync(new($"Uitvoerder {id}"))).Succeeded, id);
        }
        return id;
    }

    /// <summary>The silo's read model: the complaint lists, the event log and the deliveries.</summary>
    public Microsoft.EntityFrameworkCore.IDbContextFactory<ComplaintListStore> Store =>
        Cluster.Silos[0].ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ComplaintListStore>>();

    /// <summary>Runs the notifier until a round finds nothing more to do (its own timer may run rounds meanwhile).</summary>
    public async Task DrainNotificationsAsync()
    {
        using var system = CallerContext.As(Caller.System("test"));
        var notifier = Grains.GetGrain<Platform.Grains.Notifications.INotificationGrain>(Platform.Grains.Notifications.NotificationGrain.Key);
        for (var i = 0; i < 20; i++)
        {
            var round = await notifier.RunOnceAsync();
            if (round.EventsRead == 0 && round.Sent == 0 && round.Retrying == 0) return;
        }
    }

    /// <summary>The mails recorded for one address, in the order they were sent.</summary>
    public static List<Platform.ServiceDefaults.Mail.MailMessageToSend> MailTo(string address) => [.. Mailbox.Sent.Where(m => m.To == address)];

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Every mail the grains asked to send, in order.</summary>
public sealed class RecordedMail : Platform.ServiceDefaults.Mail.IMailSender
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Platform.ServiceDefaults.Mail.MailMessageToSend> sent = new();

    public IReadOnlyList<Platform.ServiceDefaults.Mail.MailMessageToSend> Sent => [.. sent];

    /// <summary>Mail to these addresses fails, as when the SMTP server is down (tests of retrying).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Unreachable { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task SendAsync(Platform.ServiceDefaults.Mail.MailMessageToSend message, CancellationToken cancellationToken)
    {
        if (Unreachable.ContainsKey(message.To)) throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        sent.Enqueue(message);
        return Task.CompletedTask;
    }
}
