using Microsoft.Extensions.Configuration;
using Platform.Backup;

// platform-backup backup <folder> [--data <data folder>]   |   platform-backup restore <folder> [--data <fresh data folder>]
// Without --data the stores are the configured ones (ConnectionStrings:storage, identity-db, webadmin-db and
// Platform:Database:Provider, from appsettings.json, environment variables or --Key=value arguments).
var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
if (positional.Length != 2 || positional[0] is not ("backup" or "restore"))
{
    Console.Error.WriteLine("usage: backup <folder> [--data <data folder>] | restore <folder> [--data <fresh data folder>]");
    return 2;
}
var configuration = new ConfigurationBuilder()
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args[positional.Length..])
    .Build();
var folder = Path.GetFullPath(positional[1]);
try
{
    await using var stores = await Stores.OpenAsync(configuration);
    var report = positional[0] == "backup"
        ? await Archive.BackupAsync(stores, folder)
        : await Archive.RestoreAsync(stores, folder);
    Console.WriteLine(report);
    return 0;
}
catch (BackupException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
