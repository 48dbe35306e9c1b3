using GraphQL.Types;

namespace Platform.Gateway.GraphQL.Types;

/// <summary>A calendar date (yyyy-MM-dd), in Europe/Amsterdam where it takes effect.</summary>
public sealed class CalendarDateGraphType : DateOnlyGraphType
{
    public CalendarDateGraphType()
    {
        Name = "Date";
        Description = "A calendar date, ISO 8601 (yyyy-MM-dd). Dates that take effect are dates in Europe/Amsterdam.";
    }
}
