using System.Text;

namespace Platform.Tests.Shared;

/// <summary>
/// RFC 4180 read by hand (quotes, doubled quotes, commas and line breaks inside quotes, CRLF after every record), so that
/// tests read the platform's CSV files the way a spreadsheet does, not with the library that wrote them.
/// </summary>
public static class CsvText
{
    /// <summary>The records under the header row, each as column name → text.</summary>
    public static List<Dictionary<string, string>> Records(string text)
    {
        var rows = Rows(text);
        if (rows.Count == 0) throw new InvalidDataException("The file has no header row.");
        var header = rows[0];
        if (rows.FirstOrDefault(r => r.Count != header.Count) is { } uneven)
        {
            throw new InvalidDataException($"A record has {uneven.Count} fields, the header {header.Count}.");
        }
        return [.. rows.Skip(1).Select(r => header.Zip(r).ToDictionary(x => x.First, x => x.Second))];
    }

    /// <summary>The header row's column names.</summary>
    public static List<string> Header(string text) => Rows(text) is [var header, ..] ? header : throw new InvalidDataException("The file has no header row.");

    private static List<List<string>> Rows(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++; }
            else field.Append(c);
        }
        if (quoted) throw new InvalidDataException("A quoted field is not closed.");
        if (field.Length > 0 || row.Count > 0) throw new InvalidDataException("The last record does not end with CRLF.");
        return rows;
    }
}
