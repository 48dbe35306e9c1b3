using GraphQL.Types;

namespace Platform.Gateway.GraphQL.Types;

public sealed class NodeInterface : InterfaceGraphType
{
    public NodeInterface()
    {
        Name = "Node";
        Description = "An object with a global id, fetchable with Query.node.";
        Field<NonNullGraphType<IdGraphType>>("id");
    }
}
