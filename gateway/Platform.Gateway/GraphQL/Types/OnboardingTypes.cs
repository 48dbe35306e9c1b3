using GraphQL.Types;
using Platform.Grains.Onboarding;

namespace Platform.Gateway.GraphQL.Types;

public sealed class ApplicationStatusType : EnumerationGraphType<ApplicationStatus>
{
    public ApplicationStatusType() => Name = "ApplicationStatus";
}

public sealed class OnboardingApplicationType : ObjectGraphType<OnboardingApplication>
{
    public OnboardingApplicationType()
    {
        Name = "OnboardingApplication";
        Description = "A municipality's application to join the platform; its contact becomes the first admin.";
        Field(x => x.Code);
        Field(x => x.Number).Description("Which application for this code (several may apply; the operator approves one).");
        Field(x => x.Name);
        Field(x => x.Inhabitants);
        Field<NonNullGraphType<CalendarDateGraphType>>("inhabitantsReferenceDate").Resolve(ctx => ctx.Source.InhabitantsReferenceDate);
        Field(x => x.ContactName);
        Field(x => x.ContactEmail);
        Field<NonNullGraphType<ApplicationStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("appliedAt").Resolve(ctx => ctx.Source.AppliedAt);
        Field(x => x.Reason, nullable: true).Description("Why it was rejected.");
        Field(x => x.InvitationSent).Description("Whether the first admin's invitation went out.");
        Field<DateTimeOffsetGraphType>("expiresAt").Description("When a pending application lapses if nobody decides on it.").Resolve(ctx => ctx.Source.ExpiresAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HistoryEntryType>>>>("history").Resolve(ctx => ctx.Source.History);
    }
}

public sealed class OnboardingPayloadType : PayloadType
{
    public OnboardingPayloadType() : base("OnboardingPayload")
    {
        Field<OnboardingApplicationType>("application").ResolveAsync(async ctx =>
            ctx.Source.Result.Id?.Split('/') is [var code, var number] && int.TryParse(number, out var n)
                ? await ctx.Grains().GetGrain<IOnboardingGrain>(code).GetAsync(n)
                : null);
    }
}

public sealed class OnboardingApplicationEdgeType() : EdgeType<OnboardingApplicationType, OnboardingApplication>("OnboardingApplication");
public sealed class OnboardingApplicationConnectionType() : ConnectionType<OnboardingApplicationType, OnboardingApplicationEdgeType, OnboardingApplication>("OnboardingApplication");
