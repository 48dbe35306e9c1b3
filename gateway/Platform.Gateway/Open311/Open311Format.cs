using System.Text;
using System.Text.Json;
using System.Xml;

namespace Platform.Gateway.Open311;

/// <summary>GeoReport v2 answers in JSON or XML: a list of flat records under a plural root element.</summary>
public static class Open311Format
{
    public static bool IsKnown(string format) => format is "json" or "xml";

    public static IResult List(string format, string root, string item, IEnumerable<IReadOnlyDictionary<string, object?>> records, int status = StatusCodes.Status200OK) =>
        format == "xml"
            ? Results.Text(Xml(root, item, records), "text/xml", Encoding.UTF8, status)
            : Results.Text(JsonSerializer.Serialize(records), "application/json", Encoding.UTF8, status);

    public static IResult Object(string format, string root, IReadOnlyDictionary<string, object?> record) =>
        format == "xml"
            ? Results.Text(Xml(null, root, [record]), "text/xml", Encoding.UTF8)
            : Results.Text(JsonSerializer.Serialize(record), "application/json", Encoding.UTF8);

    /// <summary>The GeoReport error format: a list of {code, description}.</summary>
    public static IResult Error(string format, int status, string description) =>
        List(format is "xml" ? "xml" : "json", "errors", "error", [new Dictionary<string, object?> { ["code"] = status, ["description"] = description }], status);

    private static string Xml(string? root, string item, IEnumerable<IReadOnlyDictionary<string, object?>> records)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = false }))
        {
            xml.WriteStartDocument();
            if (root is not null) xml.WriteStartElement(root);
            foreach (var record in records) WriteElement(xml, item, record);
            if (root is not null) xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    /// <summary>XML 1.0 cannot carry some characters at all (most control characters, broken surrogates); they are shown as U+FFFD.</summary>
    private static string? XmlText(string? text)
    {
        if (text is null) return null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c)) continue;
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                i++;
                continue;
            }
            var clean = new StringBuilder(text.Length);
            for (var j = 0; j < text.Length; j++)
            {
                if (XmlConvert.IsXmlChar(text[j])) clean.Append(text[j]);
                else if (j + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[j + 1], text[j])) clean.Append(text[j]).Append(text[++j]);
                else clean.Append('\uFFFD');
            }
            return clean.ToString();
        }
        return text;
    }

    private static void WriteElement(XmlWriter xml, string name, object? value)
    {
        xml.WriteStartElement(name);
        switch (value)
        {
            case null:
                break;
            case IReadOnlyDictionary<string, object?> record:
                foreach (var (key, inner) in record) WriteElement(xml, key, inner);
                break;
            case IEnumerable<IReadOnlyDictionary<string, object?>> list:
                foreach (var inner in list) WriteElement(xml, name.TrimEnd('s'), inner);
                break;
            case IEnumerable<string> strings:
                foreach (var inner in strings) WriteElement(xml, name.TrimEnd('s'), inner);
                break;
            case bool b:
                xml.WriteString(b ? "true" : "false");
                break;
            case IFormattable formattable:
                xml.WriteString(formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                xml.WriteString(XmlText(value.ToString()));
                break;
        }
        xml.WriteEndElement();
    }
}
