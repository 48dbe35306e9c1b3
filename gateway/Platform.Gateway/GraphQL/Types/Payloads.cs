using GraphQL.Types;
using Platform.Domain.Validation;
using Platform.Gateway.Mutations;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;

namespace Platform.Gateway.GraphQL.Types;

public sealed class UserErrorType : ObjectGraphType<RuleViolation>
{
    public UserErrorType()
    {
        Name = "UserError";
        Description = "Input that broke a rule. Nothing was changed.";
        Field(x => x.Field).Description("The input field, e.g. tariffs[2].validTo.");
        Field(x => x.Code).Description("A stable code to branch on, e.g. OVERLAP.");
        Field(x => x.Message).Description("What is wrong, in words for the person who sent it.");
    }
}

public abstract class PayloadType : ObjectGraphType<MutationPayload>
{
    protected PayloadType(string name)
    {
        Name = name;
        Field(x => x.ClientMutationId, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Resolve(ctx => ctx.Source.Result.Errors);
    }

    protected void ArrangementField()
    {
        Field<ArrangementType>("arrangement").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? await ctx.ArrangementAsync(id) : null);
    }
}

public sealed class SetPortalThemePayloadType() : MunicipalityPayloadType("SetPortalThemePayload");

public sealed class OnboardMunicipalityPayloadType() : MunicipalityPayloadType("OnboardMunicipalityPayload");

/// <summary>A payload whose result is a municipality.</summary>
public abstract class MunicipalityPayloadType : PayloadType
{
    protected MunicipalityPayloadType(string name) : base(name)
    {
        Field<MunicipalityType>("municipality").ResolveAsync(async ctx =>
            ctx.Source.Result.Id is { } id ? await ctx.Grains().GetGrain<IMunicipalityGrain>(id).GetAsync() : null);
    }
}

public sealed class CreateArrangementPayloadType : PayloadType
{
    public CreateArrangementPayloadType() : base("CreateArrangementPayload") => ArrangementField();
}

public sealed class AddMemberPayloadType : PayloadType
{
    public AddMemberPayloadType() : base("AddMemberPayload")
    {
        ArrangementField();
        Field<MemberType>("member").ResolveAsync(async ctx =>
        {
            if (ctx.Source.Result.Id is not { } id) return null;
            var arrangement = await ctx.ArrangementAsync(id);
            return arrangement?.Members.FirstOrDefault(m => m.MunicipalityCode == ctx.Source.Subject);
        });
    }
}

public sealed class PublishTariffSchedulePayloadType : PayloadType
{
    public PublishTariffSchedulePayloadType() : base("PublishTariffSchedulePayload") => ArrangementField();
}
