using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Data.Sqlite;
using Npgsql;
using Platform.Databases;

namespace Platform.Backup;

/// <summary>
/// A backup is a folder: <c>manifest.json</c> (what is in it, with counts), <c>blobs/{container}/</c> (every blob,
/// its name escaped, and an index with names and content types), <c>tables/{table}.jsonl</c> (every entity with
/// typed properties) and <c>databases/</c> (a SQLite copy made with the online backup API, or a pg_dump archive).
/// Left out on purpose: Orleans' membership table (which silos are alive describes a running cluster, not
/// data) and the read model (derived from the complaint grains; a restore has the silo rebuild it).
/// </summary>
public static class Archive
{
    private const int Format = 1;
    private const string MembershipTable = "OrleansSiloInstances";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<string> BackupAsync(Stores stores, string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any()) throw new BackupException($"{folder} is not empty: a backup goes into a new folder.");
        Directory.CreateDirectory(folder);
        var watch = Stopwatch.StartNew();
        var manifest = new JsonObject { ["format"] = Format, ["createdAt"] = DateTimeOffset.UtcNow.ToString("o") };

        var blobs = new JsonObject();
        var service = new BlobServiceClient(stores.Storage);
        await foreach (var container in service.GetBlobContainersAsync(BlobContainerTraits.None, BlobContainerStates.None, null, default))
        {
            var client = service.GetBlobContainerClient(container.Name);
            var target = Directory.CreateDirectory(Path.Combine(folder, "blobs", container.Name)).FullName;
            await using var index = new StreamWriter(Path.Combine(folder, "blobs", container.Name + ".index.jsonl"), append: false, new UTF8Encoding(false));
            var count = 0;
            await foreach (var blob in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, default))
            {
                var file = Uri.EscapeDataString(blob.Name);
                await client.GetBlobClient(blob.Name).DownloadToAsync(Path.Combine(target, file));
                await index.WriteLineAsync(new JsonObject { ["name"] = blob.Name, ["file"] = file, ["contentType"] = blob.Properties.ContentType }.ToJsonString());
                count++;
            }
            blobs[container.Name] = count;
        }
        manifest["blobs"] = blobs;

        var tables = new JsonObject();
        var tableService = new TableServiceClient(stores.Storage);
        Directory.CreateDirectory(Path.Combine(folder, "tables"));
        await foreach (var table in tableService.QueryAsync())
        {
            if (table.Name == MembershipTable) continue;
            var count = 0;
            await using var writer = new StreamWriter(Path.Combine(folder, "tables", table.Name + ".jsonl"), append: false, new UTF8Encoding(false));
            await foreach (var entity in tableService.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                await writer.WriteLineAsync(TableRows.ToJson(entity));
                count++;
            }
            tables[table.Name] = count;
        }
        manifest["tables"] = tables;

        var databases = new JsonObject();
        Directory.CreateDirectory(Path.Combine(folder, "databases"));
        foreach (var (name, connection) in stores.Databases)
        {
            if (connection.Provider == DatabaseProvider.Sqlite && connection.SqliteFile is { } file && !File.Exists(file)) continue;
            databases[name] = await Databases.BackupAsync(connection, Path.Combine(folder, "databases"), name);
        }
        manifest["databases"] = databases;
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), manifest.ToJsonString(Indented));
        return $"Backed up in {watch.Elapsed.TotalSeconds:0.0} s to {folder}: {Summary(manifest)}";
    }

    public static async Task<string> RestoreAsync(Stores stores, string folder)
    {
        var manifestFile = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestFile)) throw new BackupException($"{folder} has no manifest.json: not a backup made by this tool.");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestFile))!.AsObject();
        if ((int?)manifest["format"] != Format) throw new BackupException($"{manifestFile} has format {manifest["format"]}; this tool reads format {Format}.");
        var watch = Stopwatch.StartNew();
        var service = new BlobServiceClient(stores.Storage);
        var tableService = new TableServiceClient(stores.Storage);
        await RefuseUnlessEmptyAsync(stores, service, tableService);

        foreach (var (container, _) in manifest["blobs"]!.AsObject())
        {
            var client = service.GetBlobContainerClient(container);
            await client.CreateIfNotExistsAsync();
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(folder, "blobs", container + ".index.jsonl")))
            {
                var entry = JsonNode.Parse(line)!;
                var blob = client.GetBlobClient((string)entry["name"]!);
                await blob.UploadAsync(Path.Combine(folder, "blobs", container, (string)entry["file"]!), new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = (string?)entry["contentType"] },
                });
            }
        }
        foreach (var (table, _) in manifest["tables"]!.AsObject())
        {
            var client = tableService.GetTableClient(table);
            await client.CreateIfNotExistsAsync();
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(folder, "tables", table + ".jsonl")))
            {
                await client.UpsertEntityAsync(TableRows.FromJson(line), TableUpdateMode.Replace);
            }
        }
        foreach (var (name, file) in manifest["databases"]!.AsObject())
        {
            if (!stores.Databases.TryGetValue(name, out var connection)) throw new BackupException($"The backup has the database {name}, but ConnectionStrings:{name} is not set for the restore.");
            await Databases.RestoreAsync(connection, Path.Combine(folder, "databases", (string)file!));
        }
        // The complaint lists are derived: the first silo to start finds this marker and rebuilds them from the grains.
        var operations = service.GetBlobContainerClient("platform-operations");
        await operations.CreateIfNotExistsAsync();
        await operations.GetBlobClient("rebuild-read-model").UploadAsync(BinaryData.FromString(DateTimeOffset.UtcNow.ToString("o")), overwrite: true);
        return $"Restored in {watch.Elapsed.TotalSeconds:0.0} s from {folder}: {Summary(manifest)}; the read model is rebuilt when a silo starts";
    }

    /// <summary>A restore goes into fresh stores only: it never mixes with, or overwrites, data that is there.</summary>
    private static async Task RefuseUnlessEmptyAsync(Stores stores, BlobServiceClient service, TableServiceClient tables)
    {
        await foreach (var container in service.GetBlobContainersAsync(BlobContainerTraits.None, BlobContainerStates.None, null, default))
        {
            throw new BackupException($"The target storage already has data (blob container '{container.Name}'); restore into a fresh storage account or data folder.");
        }
        await foreach (var table in tables.QueryAsync())
        {
            if (table.Name != MembershipTable) throw new BackupException($"The target storage already has data (table '{table.Name}'); restore into a fresh storage account or data folder.");
        }
        foreach (var (name, connection) in stores.Databases)
        {
            if (await Databases.HasTablesAsync(connection)) throw new BackupException($"The target database {name} already has tables; restore into a new, empty database.");
        }
    }

    private static string Summary(JsonObject manifest)
    {
        static int Sum(JsonNode? counts) => counts?.AsObject().Sum(c => (int)c.Value!) ?? 0;
        return $"{Sum(manifest["blobs"])} blobs in {manifest["blobs"]?.AsObject().Count ?? 0} containers, {Sum(manifest["tables"])} table rows " +
            $"({string.Join(", ", manifest["tables"]!.AsObject().Select(t => $"{t.Key} {t.Value}"))}), databases: {string.Join(", ", manifest["databases"]!.AsObject().Select(d => d.Key))}";
    }
}

/// <summary>Table entities as JSON lines, each property with its type so that it comes back as it was.</summary>
internal static class TableRows
{
    public static string ToJson(TableEntity entity)
    {
        var properties = new JsonObject();
        foreach (var (key, value) in entity)
        {
            if (key is "odata.etag" or "Timestamp" or "PartitionKey" or "RowKey") continue;
            properties[key] = value switch
            {
                null => null,
                string s => new JsonObject { ["t"] = "String", ["v"] = s },
                int i => new JsonObject { ["t"] = "Int32", ["v"] = i },
                long l => new JsonObject { ["t"] = "Int64", ["v"] = l.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                double d => new JsonObject { ["t"] = "Double", ["v"] = d },
                bool b => new JsonObject { ["t"] = "Boolean", ["v"] = b },
                DateTimeOffset t => new JsonObject { ["t"] = "DateTime", ["v"] = t.ToString("o") },
                DateTime t => new JsonObject { ["t"] = "DateTime", ["v"] = new DateTimeOffset(t.ToUniversalTime()).ToString("o") },
                Guid g => new JsonObject { ["t"] = "Guid", ["v"] = g.ToString() },
                byte[] bytes => new JsonObject { ["t"] = "Binary", ["v"] = Convert.ToBase64String(bytes) },
                BinaryData data => new JsonObject { ["t"] = "Binary", ["v"] = Convert.ToBase64String(data.ToArray()) },
                _ => throw new BackupException($"Table property {key} has a type this tool does not know: {value.GetType().Name}"),
            };
        }
        return new JsonObject { ["PartitionKey"] = entity.PartitionKey, ["RowKey"] = entity.RowKey, ["properties"] = properties }.ToJsonString();
    }

    public static TableEntity FromJson(string line)
    {
        var row = JsonNode.Parse(line)!;
        var entity = new TableEntity((string)row["PartitionKey"]!, (string)row["RowKey"]!);
        foreach (var (key, typed) in row["properties"]!.AsObject())
        {
            entity[key] = typed is null ? null : (string)typed["t"]! switch
            {
                "String" => (string?)typed["v"],
                "Int32" => (int)typed["v"]!,
                "Int64" => long.Parse((string)typed["v"]!, System.Globalization.CultureInfo.InvariantCulture),
                "Double" => (double)typed["v"]!,
                "Boolean" => (bool)typed["v"]!,
                "DateTime" => DateTimeOffset.Parse((string)typed["v"]!, System.Globalization.CultureInfo.InvariantCulture),
                "Guid" => Guid.Parse((string)typed["v"]!),
                "Binary" => Convert.FromBase64String((string)typed["v"]!),
                var other => throw new BackupException($"Unknown property type {other} in a table backup"),
            };
        }
        return entity;
    }
}

/// <summary>SQLite through its online backup API; PostgreSQL through pg_dump and pg_restore (the server's own tools).</summary>
internal static class Databases
{
    public static async Task<string> BackupAsync(DatabaseConnection connection, string folder, string name)
    {
        if (connection.Provider == DatabaseProvider.Sqlite)
        {
            var file = name + ".sqlite";
            await using var source = new SqliteConnection(connection.ConnectionString);
            await source.OpenAsync();
            await using var target = new SqliteConnection($"Data Source={Path.Combine(folder, file)};Pooling=False");
            await target.OpenAsync();
            source.BackupDatabase(target);
            return file;
        }
        var dump = name + ".pgdump";
        await PgAsync("pg_dump", connection, ["--format=custom", "--no-owner", "--no-privileges", $"--file={Path.Combine(folder, dump)}"]);
        return dump;
    }

    public static async Task RestoreAsync(DatabaseConnection connection, string file)
    {
        if (file.EndsWith(".sqlite", StringComparison.Ordinal) != (connection.Provider == DatabaseProvider.Sqlite))
        {
            throw new BackupException($"{Path.GetFileName(file)} was made from another database engine than the target's ({connection.Provider}); restore into the same engine.");
        }
        if (connection.Provider == DatabaseProvider.Sqlite)
        {
            await using var source = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
            await source.OpenAsync();
            await using var target = new SqliteConnection(connection.ConnectionString);
            await target.OpenAsync();
            source.BackupDatabase(target);
            SqliteConnection.ClearAllPools();
            return;
        }
        await PgAsync("pg_restore", connection, ["--no-owner", "--no-privileges", "--exit-on-error", file]);
    }

    public static async Task<bool> HasTablesAsync(DatabaseConnection connection)
    {
        if (connection.Provider == DatabaseProvider.Sqlite)
        {
            if (connection.SqliteFile is not { } path || !File.Exists(path)) return false;
            await using var sqlite = new SqliteConnection(connection.ConnectionString);
            await sqlite.OpenAsync();
            await using var command = new SqliteCommand("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", sqlite);
            return (long)(await command.ExecuteScalarAsync())! > 0;
        }
        await using var postgres = new NpgsqlConnection(connection.ConnectionString);
        await postgres.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", postgres);
        return (long)(await query.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Runs a PostgreSQL client tool against the connection's database (its address and password through libpq's variables).</summary>
    private static async Task PgAsync(string tool, DatabaseConnection connection, string[] arguments)
    {
        var target = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add($"--dbname={target.Database}");
        start.Environment["PGHOST"] = target.Host;
        start.Environment["PGPORT"] = target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (target.Username is { } user) start.Environment["PGUSER"] = user;
        if (target.Password is { } password) start.Environment["PGPASSWORD"] = password;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BackupException($"{tool} was not found: install PostgreSQL's client tools (Debian: postgresql-client).");
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new BackupException($"{tool} failed ({process.ExitCode}): {await errors}");
        }
    }
}
