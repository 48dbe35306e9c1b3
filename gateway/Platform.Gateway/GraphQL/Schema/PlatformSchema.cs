using GraphQL.Types;
using Platform.Gateway.GraphQL.Types;

namespace Platform.Gateway.GraphQL.Schema;

public sealed class PlatformSchema : global::GraphQL.Types.Schema
{
    public PlatformSchema(IServiceProvider services, QueryType query, MutationType mutation) : base(services)
    {
        Description = "Shared service arrangements between municipalities: members, services, tariffs, complaints, proposals and votes.";
        Query = query;
        Mutation = mutation;
        RegisterType(typeof(MunicipalityType));
        RegisterType(typeof(ArrangementType));
        RegisterType(typeof(ComplaintType));
        RegisterType(typeof(ProposalType));
        RegisterTypeMapping(typeof(DateOnly), typeof(CalendarDateGraphType));
    }
}
