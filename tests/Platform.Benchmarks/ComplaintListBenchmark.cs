using System.Diagnostics;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Platform.Databases;
using Platform.Domain.Access;
using Platform.Domain.Complaints;
using Platform.Gateway.Complaints;
using Platform.ReadModel;

namespace Platform.Benchmarks;

/// <summary>
/// The complaint list's database work at national scale, as the gateway does it (the same EF Core context, queries and
/// SQLite settings), on a read model of N rows shaped like the scale seed (one executing organisation for every
/// arrangement, 342 municipalities, every description with the word "container"). Two read models side by side, one
/// migrated to the latest with the triage's covering indexes dropped (the indexes the lists had before; migrated to the
/// first migration only, as it was until 2 December, the page's later columns are missing) and one to the latest, and two ways of
/// asking: one query with the visibility rule joined by OR (how the lists asked before), and the visible parts read
/// apart and merged (how they ask now), and the same with the total told again while the list's version holds
/// (<see cref="ListCounts"/>: nothing changes the rows here, so after the first page it is never counted again; what is
/// left is reading the version and the page). Rounds interleave; medians of milliseconds per page (count and rows).
/// </summary>
public static class ComplaintListBenchmark
{
    private const string Executor = "afvalbedrijf-nhn";

    public static async Task RunAsync(LoadOptions options, int rows)
    {
        var folder = Directory.CreateTempSubdirectory("list-benchmark-");
        try
        {
            Console.WriteLine($"Complaint list queries on {rows:N0} rows: {options.Rounds} rounds of {options.RoundSeconds} s per figure, {Environment.ProcessorCount} cores");
            var before = await MakeAsync(Path.Combine(folder.FullName, "before.db"), rows, latest: false);
            var after = await MakeAsync(Path.Combine(folder.FullName, "after.db"), rows, latest: true);
            var staff = new Caller(CallerKind.User, "planner@afvalbedrijf-nhn.test", Executor, [Roles.ExecutorStaff], []);
            var triage = new ComplaintFilter { Status = [ComplaintStatus.Submitted], ServiceCode = "grofvuil" };
            var words = new ComplaintFilter { Text = "container", FiledFrom = new DateOnly(2020, 1, 1) };
            // One complaint's own number: a page is found only after every visible row's description was read.
            var rare = new ComplaintFilter { Text = $"melding {rows / 2}:" };
            using var counts = new ListCounts();
            var measures = new (string Name, Func<Task<int>> Read)[]
            {
                ("triage, one OR query, old indexes", () => PageAsync(before, Joined(staff), triage)),
                ("triage, one OR query, new indexes", () => PageAsync(after, Joined(staff), triage)),
                ("triage, parts apart, new indexes", () => PageAsync(after, ComplaintLists.PartsOf(staff), triage)),
                ("triage, total kept per list version", () => PageAsync(after, ComplaintLists.PartsOf(staff), triage, counts)),
                ("words, one OR query, old indexes", () => PageAsync(before, Joined(staff), words)),
                ("words, parts apart, new indexes", () => PageAsync(after, ComplaintLists.PartsOf(staff), words)),
                ("words, total kept per list version", () => PageAsync(after, ComplaintLists.PartsOf(staff), words, counts)),
                ("rare word, parts apart, new indexes", () => PageAsync(after, ComplaintLists.PartsOf(staff), rare)),
                ("rare word, total kept per list version", () => PageAsync(after, ComplaintLists.PartsOf(staff), rare, counts)),
            };
            int[] groups = [0, 4, 7, measures.Length]; // where each filter's measures begin: triage, words, the rare word
            var totals = new int[measures.Length];
            for (var i = 0; i < measures.Length; i++)
            {
                totals[i] = await measures[i].Read(); // warm, and the same answer each way
                await RoundAsync(measures[i].Read, 1);
            }
            if (groups.Zip(groups[1..]).Any(g => totals[g.First..g.Second].Distinct().Count() != 1))
            {
                throw new InvalidOperationException($"the ways of asking disagree on the number of rows: {string.Join(", ", totals)}");
            }
            var times = measures.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round < options.Rounds; round++)
            {
                for (var i = 0; i < measures.Length; i++) times[i].Add(await RoundAsync(measures[i].Read, options.RoundSeconds));
            }
            Console.WriteLine();
            Console.WriteLine($"{"query",-36} {"rows matched",13} {"ms per page (median)",21} {"of the first",13}");
            for (var i = 0; i < measures.Length; i++)
            {
                var median = times[i].Order().ElementAt(times[i].Count / 2);
                var first = times[groups.Last(g => g <= i)];
                var baseline = first.Order().ElementAt(first.Count / 2);
                Console.WriteLine($"{measures[i].Name,-36} {totals[i],13:N0} {median,21:F2} {median / baseline,13:P0}");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The rule as one condition, as the lists asked before the parts were read apart.</summary>
    private static ComplaintLists.VisibleParts Joined(Caller caller)
    {
        var parts = ComplaintLists.PartsOf(caller);
        var row = Expression.Parameter(typeof(ComplaintRow), "r");
        var conditions = new[] { parts.Organisation, parts.Own }.OfType<Expression<Func<ComplaintRow, bool>>>()
            .Select(c => new Rebind(c.Parameters[0], row).Visit(c.Body)).ToList();
        var either = conditions.Aggregate(Expression.OrElse);
        return new(Expression.Lambda<Func<ComplaintRow, bool>>(either, row), null);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    private static async Task<int> PageAsync(IDbContextFactory<ComplaintListStore> stores, ComplaintLists.VisibleParts parts, ComplaintFilter filter, ListCounts? counts = null)
    {
        await using var store = await stores.CreateDbContextAsync();
        var (page, total) = await ComplaintLists.ReadPageAsync(store, parts, filter, 20, null, CancellationToken.None, counts);
        if (page.Count == 0) throw new InvalidOperationException("an empty page");
        return total;
    }

    /// <summary>Milliseconds per call, one caller at a time (the database work of one request).</summary>
    private static async Task<double> RoundAsync(Func<Task<int>> read, int seconds)
    {
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await read();
            count++;
        }
        return clock.Elapsed.TotalMilliseconds / count;
    }

    private static async Task<IDbContextFactory<ComplaintListStore>> MakeAsync(string file, int rows, bool latest)
    {
        var services = new ServiceCollection().AddComplaintList(DatabaseConnection.Sqlite(file)).BuildServiceProvider();
        var stores = services.GetRequiredService<IDbContextFactory<ComplaintListStore>>();
        await using (var store = await stores.CreateDbContextAsync())
        {
            await store.Database.MigrateAsync();
            if (!latest)
            {
                await store.Database.ExecuteSqlRawAsync("""
                    DROP INDEX "IX_complaints_ExecutingOrganisation_Status_ServiceCode_FiledAt";
                    DROP INDEX "IX_complaints_Municipality_Status_ServiceCode_FiledAt";
                    """);
            }
        }
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO complaints (Id, Version, ArrangementId, Municipality, ExecutingOrganisation, AuthorSubject, ServiceCode, Status, Description, FiledAt, ResolvedAt, ResolveBy, Overdue)
            VALUES ($id, 1, $arrangement, $municipality, $executor, $author, $service, $status, $description, $filed, NULL, '2026-01-01', 0)
            """;
        string[] names = ["$id", "$arrangement", "$municipality", "$executor", "$author", "$service", "$status", "$description", "$filed"];
        var parameters = names.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        string[] statuses = ["Submitted", "Submitted", "Acknowledged", "InProgress", "Resolved"];
        var random = new Random(7);
        for (var n = 1; n <= rows; n++)
        {
            var municipality = $"GM{random.Next(342):0000}";
            object[] values = [$"c-scale-{n:000000}", $"arr-{random.Next(1000):0000}", municipality, Executor, $"bewoner{n % 5000}@{municipality.ToLowerInvariant()}.scale.test",
                n % 3 == 0 ? "bouwpuin" : "grofvuil", statuses[random.Next(statuses.Length)], $"Melding {n}: afval naast de container bij de ingang", 1_577_836_800_000L + n * 60_000L];
            for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i];
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return stores;
    }
}
