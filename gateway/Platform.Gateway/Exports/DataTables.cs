using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace Platform.Gateway.Exports;

/// <summary>A column of a published table: its name (the CSV header and the JSON property), what it holds, and how to read it.</summary>
public sealed record DataColumn<T>(string Name, string Description, Func<T, object?> Value);

/// <summary>
/// A table the platform hands out (open data, exports), described once: the same columns make its CSV, its JSON and
/// the README that explains them, so the three cannot disagree.
/// </summary>
public sealed record DataTable<T>(string File, string Title, string Description, IReadOnlyList<DataColumn<T>> Columns)
{
    /// <summary>
    /// RFC 4180 CSV in UTF-8 with a header row. A field a spreadsheet would run as a formula (starting with =, +, -, @, a tab
    /// or a carriage return: text residents typed) is escaped with a leading apostrophe.
    /// </summary>
    public async Task WriteCsvAsync(Stream stream, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(stream, CsvSettings, true);
        foreach (var column in Columns) csv.WriteField(column.Name);
        await csv.EndRecordAsync(cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            foreach (var column in Columns) csv.WriteField(Text(column.Value(row)));
            // Flushes when its buffer is mostly full: a large export reaches the caller as it is read.
            await csv.EndRecordAsync(cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>A JSON array of objects with the columns as properties (numbers and truth values typed, dates as ISO 8601 text).</summary>
    public async Task WriteJsonAsync(Stream stream, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            json.WriteStartObject();
            foreach (var column in Columns)
            {
                json.WritePropertyName(column.Name);
                switch (column.Value(row))
                {
                    case null: json.WriteNullValue(); break;
                    case bool b: json.WriteBooleanValue(b); break;
                    case int i: json.WriteNumberValue(i); break;
                    case long l: json.WriteNumberValue(l); break;
                    case decimal d: json.WriteNumberValue(d); break;
                    case double x: json.WriteNumberValue(x); break;
                    case var other: json.WriteStringValue(Text(other)); break;
                }
            }
            json.WriteEndObject();
            if (json.BytesPending > 16 * 1024) await json.FlushAsync(cancellationToken);
        }
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>The table's part of a README: its file, what it is, and each column.</summary>
    public void Describe(StringBuilder readme, string files)
    {
        readme.Append("## ").Append(Title).Append("\n\n").Append(Description).Append("\n\n")
            .Append("Files: ").Append(files).Append("\n\n| column | meaning |\n|---|---|\n");
        foreach (var column in Columns) readme.Append("| `").Append(column.Name).Append("` | ").Append(column.Description).Append(" |\n");
        readme.Append('\n');
    }

    private static readonly CsvWriterOptions CsvSettings = new() { Injection = CsvInjection.Escape };

    /// <summary>One text form for every value, the same in CSV and JSON: invariant numbers, ISO 8601 dates and times (UTC).</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };
}

/// <summary>How a published file is answered: its media type, caching, and an ETag from its bytes.</summary>
public static class DataFiles
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string JsonType = "application/json; charset=utf-8";

    /// <summary>
    /// A small public file, built in memory: answered with a strong ETag of its bytes (so <c>If-None-Match</c> gets 304) and
    /// cacheable for a minute by browsers, proxies and CDNs.
    /// </summary>
    public static async Task<IResult> PublicAsync(HttpContext http, string contentType, string fileName, Func<Stream, Task> write)
    {
        using var buffer = new MemoryStream();
        await write(buffer);
        var bytes = buffer.ToArray();
        var tag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12))}\"";
        http.Response.Headers.ETag = tag;
        http.Response.Headers.CacheControl = "public, max-age=60";
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        if (NotModified(http.Request, tag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(bytes, contentType);
    }

    /// <summary>Whether the request's <c>If-None-Match</c> names <paramref name="tag"/> (compared weakly: <c>W/"x"</c> and <c>"x"</c> are the same) or <c>*</c>.</summary>
    public static bool NotModified(HttpRequest request, string tag)
    {
        var bare = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        return request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Select(t => t.Trim())
            .Any(t => t == "*" || (t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t) == bare));
    }

    public static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> rows)
    {
        foreach (var row in rows) yield return row;
        await Task.CompletedTask;
    }

    public static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });
}
