using GraphQL;
using GraphQL.Types;

namespace Platform.Gateway.GraphQL.Types;

/// <summary>One page of a list, Relay style.</summary>
public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo, int TotalCount);

public sealed record Edge<T>(string Cursor, T Node);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Field(x => x.HasNextPage);
        Field(x => x.HasPreviousPage);
        Field(x => x.StartCursor, nullable: true);
        Field(x => x.EndCursor, nullable: true);
    }
}

public abstract class EdgeType<TNodeType, T> : ObjectGraphType<Edge<T>> where TNodeType : IGraphType
{
    protected EdgeType(string nodeName)
    {
        Name = $"{nodeName}Edge";
        Field(x => x.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(ctx => ctx.Source.Node);
    }
}

public abstract class ConnectionType<TNodeType, TEdgeType, T> : ObjectGraphType<Connection<T>>
    where TNodeType : IGraphType
    where TEdgeType : IGraphType
{
    protected ConnectionType(string nodeName)
    {
        Name = $"{nodeName}Connection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes").Resolve(ctx => ctx.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(ctx => ctx.Source.PageInfo);
        Field(x => x.TotalCount).Description("The number of items in the whole list, not only this page.");
    }
}

/// <summary>Arguments and checks shared by every connection field.</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static QueryArguments Arguments() => new(
        new QueryArgument<IntGraphType> { Name = "first", Description = $"At most this many items (1 to {MaxPageSize}, default {DefaultPageSize})." },
        new QueryArgument<StringGraphType> { Name = "after", Description = "The endCursor of the previous page." });

    /// <summary>Reads first/after; a wrong value is a field error that names it.</summary>
    public static (int First, string? After) Read(IResolveFieldContext context, string cursorType)
    {
        var first = context.GetArgument<int?>("first") ?? DefaultPageSize;
        if (first < 1 || first > MaxPageSize)
        {
            throw new ExecutionError($"'first' must be between 1 and {MaxPageSize}; got {first}.") { Code = "BAD_USER_INPUT" };
        }
        var after = context.GetArgument<string?>("after");
        if (after is null) return (first, null);
        if (!GlobalId.TryDecode(after, out var type, out var key) || type != cursorType)
        {
            throw new ExecutionError($"'after' is not a cursor of this list: '{after}'.") { Code = "BAD_USER_INPUT" };
        }
        return (first, key);
    }

    public static string Cursor(string cursorType, string key) => GlobalId.Encode(cursorType, key);
}
