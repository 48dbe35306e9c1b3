using Microsoft.Extensions.Configuration;

namespace Platform.AppHost;

/// <summary>
/// Ports and folders of the local platform. Fixed defaults so that URLs in the README hold; each can
/// be changed in configuration (appsettings, environment, or <c>--Platform:GatewayPort=6080</c>).
/// </summary>
public sealed class LocalPlatformSettings
{
    public int GatewayPort { get; init; } = 5080;
    public int IdentityPort { get; init; } = 5081;
    public int WebAdminPort { get; init; } = 5082;
    public int SiloHttpPort { get; init; } = 5083;

    /// <summary>How many silo processes form the cluster (default 1); their Orleans ports are assigned by the AppHost.</summary>
    public int Silos { get; init; } = 1;
    public int BlobPort { get; init; } = 10000;
    public int QueuePort { get; init; } = 10001;
    public int TablePort { get; init; } = 10002;

    /// <summary>The table service that holds only the cluster's membership (a second Azurite process; see <see cref="AzuriteResource"/>).</summary>
    public int MembershipTablePort { get; init; } = 10012;
    public int SmtpPort { get; init; } = 2525;
    public int MailWebPort { get; init; } = 5085;

    public string GatewayGraphQLUrl => $"http://127.0.0.1:{GatewayPort}/graphql";

    public string IdentityUrl => $"http://127.0.0.1:{IdentityPort}/";

    public string WebAdminUrl => $"http://127.0.0.1:{WebAdminPort}/";

    public string MailWebUrl => $"http://127.0.0.1:{MailWebPort}/";

    /// <summary>The repository's root, where .config/dotnet-tools.json pins smtp4dev.</summary>
    public string RepositoryRoot { get; init; } = "";

    /// <summary>
    /// The folder every store lives in unless set one by one (Azurite's files, the SQLite databases, smtp4dev's mail);
    /// default <c>.data</c> at the repository root. A restored backup is started by pointing this at it.
    /// </summary>
    public string DataPath { get; init; } = "";

    /// <summary>Where smtp4dev keeps the mail it received; default <c>.data/smtp4dev</c>.</summary>
    public string MailDataPath { get; init; } = "";

    /// <summary>The complaint lists' SQLite file, shared by the silo (writes) and the gateway (reads).</summary>
    public string ReadModelPath { get; init; } = "";

    /// <summary>The identity server's SQLite file; default <c>.data/identity/identity.db</c> at the repository root.</summary>
    public string IdentityDatabasePath { get; init; } = "";

    /// <summary>The web app's SQLite file (Data Protection keys, token refreshes in flight); default <c>.data/webadmin/webadmin.db</c>.</summary>
    public string WebAdminDatabasePath { get; init; } = "";

    /// <summary>Where Azurite keeps its files; default <c>.data/azurite</c> at the repository root (git-ignored).</summary>
    public string AzuriteDataPath { get; init; } = "";

    /// <summary>
    /// Where the membership table's Azurite keeps its file; default a <c>membership</c> folder in <see cref="AzuriteDataPath"/>
    /// (Azurite leaves folders it did not make alone; a backup leaves the membership out, as it describes a running cluster).
    /// </summary>
    public string AzuriteMembershipDataPath { get; init; } = "";

    /// <summary>The folder with Azurite's package.json and lock file.</summary>
    public string AzuritePackagePath { get; init; } = "";

    /// <summary>
    /// The demo municipalities, arrangements, accounts and clients (default). <c>false</c>: an empty start with only
    /// a platform operator (its password from <c>Platform:OperatorPassword</c>, or printed once in the identity server's log).
    /// </summary>
    public bool DemoData { get; init; } = true;

    public string? OperatorPassword { get; init; }

    /// <summary>The share of requests traced (0 to 1); unset: every request (the processes run in Development); e.g. 0.1 as outside Development.</summary>
    public double? TraceSampleRatio { get; init; }

    /// <summary>At most this many new traces a second in each process; unset: the processes' default (20).</summary>
    public int? MaxTracesPerSecond { get; init; }

    /// <summary>The gateway's rate limits (default on); off only for the write load harness (tools/load/writes.sh).</summary>
    public bool RateLimits { get; init; } = true;

    /// <summary>
    /// The gateway hosts the silo itself and no silo process starts (default off; <c>Silos</c> is then ignored): the
    /// topology the read-path harness compares with the default (tools/load/run.sh -- --Platform:CoHost=true).
    /// </summary>
    public bool CoHost { get; init; }

    /// <summary>How long the identity server's access tokens live; unset: its own default (15 minutes).</summary>
    public TimeSpan? AccessTokenLifetime { get; init; }

    /// <summary>How long operations and the contract managers have before an incident moves up; unset: the silo's defaults (4 h, 24 h).</summary>
    public TimeSpan? EscalationOperations { get; init; }

    public TimeSpan? EscalationContractManagers { get; init; }

    /// <summary>
    /// A folder of map tiles ({z}/{x}/{y}.png) and an address-search answer (geocoder.json) the web app serves and uses
    /// instead of PDOK (tests, or a machine without internet); unset: PDOK.
    /// </summary>
    public string? MapFolder { get; init; }

    public static LocalPlatformSettings From(IDistributedApplicationBuilder builder)
    {
        var bound = builder.Configuration.GetSection("Platform").Get<LocalPlatformSettings>() ?? new LocalPlatformSettings();
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
        var data = Path.GetFullPath(string.IsNullOrWhiteSpace(bound.DataPath) ? Path.Combine(repositoryRoot, ".data") : bound.DataPath);
        var azuriteData = Path.GetFullPath(string.IsNullOrWhiteSpace(bound.AzuriteDataPath) ? Path.Combine(data, "azurite") : bound.AzuriteDataPath);
        return new LocalPlatformSettings
        {
            GatewayPort = bound.GatewayPort,
            IdentityPort = bound.IdentityPort,
            WebAdminPort = bound.WebAdminPort,
            SiloHttpPort = bound.SiloHttpPort,
            Silos = bound.Silos,
            BlobPort = bound.BlobPort,
            QueuePort = bound.QueuePort,
            TablePort = bound.TablePort,
            MembershipTablePort = bound.MembershipTablePort,
            SmtpPort = bound.SmtpPort,
            MailWebPort = bound.MailWebPort,
            RepositoryRoot = repositoryRoot,
            DataPath = data,
            MailDataPath = Path.GetFullPath(string.IsNullOrWhiteSpace(bound.MailDataPath)
                ? Path.Combine(data, "smtp4dev")
                : bound.MailDataPath),
            AzuriteDataPath = azuriteData,
            AzuriteMembershipDataPath = Path.GetFullPath(string.IsNullOrWhiteSpace(bound.AzuriteMembershipDataPath)
                ? Path.Combine(azuriteData, "membership")
                : bound.AzuriteMembershipDataPath),
            IdentityDatabasePath = Path.GetFullPath(string.IsNullOrWhiteSpace(bound.IdentityDatabasePath)
                ? Path.Combine(data, "identity", "identity.db")
                : bound.IdentityDatabasePath),
            ReadModelPath = Path.GetFullPath(string.IsNullOrWhiteSpace(bound.ReadModelPath)
                ? Path.Combine(data, "readmodel", "complaints.db")
                : bound.ReadModelPath),
            WebAdminDatabasePath = Path.GetFullPath(string.IsNullOrWhiteSpace(bound.WebAdminDatabasePath)
                ? Path.Combine(data, "webadmin", "webadmin.db")
                : bound.WebAdminDatabasePath),
            AzuritePackagePath = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "azurite")),
            AccessTokenLifetime = bound.AccessTokenLifetime,
            EscalationOperations = bound.EscalationOperations,
            EscalationContractManagers = bound.EscalationContractManagers,
            MapFolder = string.IsNullOrWhiteSpace(bound.MapFolder) ? null : Path.GetFullPath(bound.MapFolder),
            TraceSampleRatio = bound.TraceSampleRatio,
            MaxTracesPerSecond = bound.MaxTracesPerSecond,
            RateLimits = bound.RateLimits,
            CoHost = bound.CoHost,
            DemoData = bound.DemoData,
            OperatorPassword = bound.OperatorPassword,
        };
    }
}
