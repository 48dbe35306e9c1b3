using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Types;
using Platform.Domain.Access;
using Platform.Domain.Arrangements;
using Platform.Gateway.Access;
using Platform.Domain.Municipalities;
using Platform.Domain.Tariffs;
using Platform.Domain.Validation;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Municipalities;
using Platform.Grains.Onboarding;
using Platform.Grains.Complaints;
using Platform.Gateway.People;

namespace Platform.Gateway.GraphQL.Schema;

public sealed partial class MutationType : ObjectGraphType
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex ArrangementKey();

    public MutationType()
    {
        Name = "Mutation";

        Field<NonNullGraphType<OnboardMunicipalityPayloadType>>("onboardMunicipality")
            .Description("Makes a municipality a tenant of the platform.")
            .Argument<NonNullGraphType<OnboardMunicipalityInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                RequireSignIn(ctx);
                var input = ctx.GetArgument<OnboardMunicipalityInput>("input");
                var code = MunicipalityCode.Normalize(input.Code);
                return await IdempotentMutation.RunAsync(ctx, input, async _ =>
                    MunicipalityCode.IsValid(code)
                        ? await ctx.Grains().GetGrain<IMunicipalityGrain>(code).OnboardAsync(new(input.Name, input.Inhabitants, input.InhabitantsReferenceDate))
                        : CommandResult.Fail("code", ViolationCodes.InvalidFormat,
                            $"'{input.Code}' is not a CBS municipality code; expected GM followed by four digits, e.g. GM0363."));
            });

        Field<NonNullGraphType<SetPortalThemePayloadType>>("setPortalTheme")
            .Description("A municipality's admin chooses the look of its portal pages: an NL Design System token set, or neutral.")
            .Argument<NonNullGraphType<SetPortalThemeInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                RequireSignIn(ctx);
                var input = ctx.GetArgument<SetPortalThemeInput>("input");
                var code = MunicipalityCode.Normalize(input.MunicipalityCode);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => MunicipalityCode.IsValid(code)
                    ? await ctx.Grains().GetGrain<IMunicipalityGrain>(code).SetPortalThemeAsync(input.Theme)
                    : CommandResult.Fail("municipalityCode", ViolationCodes.InvalidFormat, $"'{input.MunicipalityCode}' is not a CBS municipality code; expected GM followed by four digits, e.g. GM0363."));
            });

        Field<NonNullGraphType<SetPortalThemePayloadType>>("setPortalColours")
            .Description("A municipality's admin gives its portal its own colours, accepted only when each pair read on the other reaches WCAG's 4.5:1; the portal then wears them (portalTheme custom).")
            .Argument<NonNullGraphType<SetPortalColoursInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                RequireSignIn(ctx);
                var input = ctx.GetArgument<SetPortalColoursInput>("input");
                var code = MunicipalityCode.Normalize(input.MunicipalityCode);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => MunicipalityCode.IsValid(code)
                    ? await ctx.Grains().GetGrain<IMunicipalityGrain>(code).SetPortalColoursAsync(new(input.Brand, input.BrandText, input.Accent))
                    : CommandResult.Fail("municipalityCode", ViolationCodes.InvalidFormat, $"'{input.MunicipalityCode}' is not a CBS municipality code; expected GM followed by four digits, e.g. GM0363."));
            });

        Field<NonNullGraphType<OnboardingPayloadType>>("applyForOnboarding")
            .Description("A municipality applies to join the platform (no sign-in needed); a platform operator decides.")
            .Argument<NonNullGraphType<ApplyForOnboardingInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ApplyForOnboardingInput>("input");
                var code = MunicipalityCode.Normalize(input.Code);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => MunicipalityCode.IsValid(code)
                    ? await ctx.Grains().GetGrain<IOnboardingGrain>(code).ApplyAsync(new(input.Name, input.Inhabitants, input.InhabitantsReferenceDate, input.ContactName, input.ContactEmail))
                    : CommandResult.Fail("code", ViolationCodes.InvalidFormat, $"'{input.Code}' is not a CBS municipality code; expected GM followed by four digits, e.g. GM0363."));
            });

        Field<NonNullGraphType<OnboardingPayloadType>>("approveOnboarding")
            .Description("A platform operator approves an application: the municipality becomes a tenant and its contact is invited to set a password.")
            .Argument<NonNullGraphType<DecideOnboardingInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                RequireSignIn(ctx);
                var input = ctx.GetArgument<DecideOnboardingInput>("input");
                var code = MunicipalityCode.Normalize(input.Code);
                return await IdempotentMutation.RunAsync(ctx, input, async _ =>
                {
                    if (!MunicipalityCode.IsValid(code)) return NoApplication(input.Code);
                    var grain = ctx.Grains().GetGrain<IOnboardingGrain>(code);
                    var approved = await grain.ApproveAsync(input.Application);
                    if (!approved.Succeeded || approved.Id?.Split('/') is not [_, var number] || !int.TryParse(number, out var n)
                        || await grain.GetAsync(n) is not { InvitationSent: false } application)
                    {
                        return approved;
                    }
                    // The contact becomes the first admin of the municipality's organisation, invited by mail.
                    var invited = await Platform.Gateway.People.PeopleMutations.InviteAsync(ctx, ctx.Grains().GetGrain<Platform.Grains.Organisations.IOrganisationGrain>(code), code,
                        application.ContactEmail, application.ContactName, Roles.MunicipalityAdmin);
                    await grain.RecordInvitationAsync(n, invited.Succeeded, invited.Succeeded ? $"to {application.ContactEmail}" : invited.Errors[0].Message);
                    // Approved all the same; approving again sends the invitation again.
                    return invited.Succeeded
                        ? approved
                        : new CommandResult(approved.Id, [new("code", "INVITATION_FAILED", $"Approved, but the invitation was not sent: {invited.Errors[0].Message} Approve again to retry.")]);
                });
            });

        Field<NonNullGraphType<OnboardingPayloadType>>("rejectOnboarding")
            .Description("A platform operator rejects an application, with a reason the municipality sees.")
            .Argument<NonNullGraphType<DecideOnboardingInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                RequireSignIn(ctx);
                var input = ctx.GetArgument<DecideOnboardingInput>("input");
                var code = MunicipalityCode.Normalize(input.Code);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => MunicipalityCode.IsValid(code)
                    ? await ctx.Grains().GetGrain<IOnboardingGrain>(code).RejectAsync(input.Application, input.Reason)
                    : NoApplication(input.Code));
            });

        Field<NonNullGraphType<CreateArrangementPayloadType>>("createArrangement")
            .Description("Creates a joint arrangement with its executing organisation and services; members and tariffs follow.")
            .Argument<NonNullGraphType<CreateArrangementInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                RequireSignIn(ctx);
                var input = ctx.GetArgument<CreateArrangementInput>("input");
                return await IdempotentMutation.RunAsync(ctx, input, async reservedId =>
                {
                    if (input.Key is not null && !ArrangementKey().IsMatch(input.Key))
                    {
                        return CommandResult.Fail("key", ViolationCodes.InvalidFormat,
                            $"'{input.Key}' is not an arrangement key; use 3 to 50 lower-case letters, digits or hyphens, e.g. afval-nhn.");
                    }
                    var (rule, error) = WeightRule(input.VoteWeight);
                    if (error is not null) return error;
                    var key = input.Key ?? $"arr-{reservedId}";
                    var services = input.Services.Select(s => new ServiceDefinition(s.Code, s.Name, s.ServiceLevel?.ToLevel(), string.IsNullOrWhiteSpace(s.NameEn) ? null : s.NameEn.Trim())).ToList();
                    return await ctx.Grains().GetGrain<IArrangementGrain>(key)
                        .CreateAsync(new(input.Name, null, services, rule, Platform.Gateway.People.PeopleMutations.OrganisationKey(input.ExecutingOrganisationId)));
                });
            });

        Field<NonNullGraphType<AddMemberPayloadType>>("addMember")
            .Description("Admits an onboarded municipality as a member; its vote weight follows from its inhabitants.")
            .Argument<NonNullGraphType<AddMemberInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<AddMemberInput>("input");
                RequireSignIn(ctx);
                var key = GlobalId.KeyOf(ArrangementType.TypeName, input.ArrangementId);
                return await IdempotentMutation.RunAsync(ctx, input,
                    async _ => key.Length > 0
                        ? await ctx.Grains().GetGrain<IArrangementGrain>(key).AddMemberAsync(new(input.MunicipalityCode, input.Inhabitants, input.InhabitantsReferenceDate))
                        : NoArrangement(input.ArrangementId),
                    subject: MunicipalityCode.Normalize(input.MunicipalityCode));
            });

        Field<NonNullGraphType<AddMemberPayloadType>>("endMembership")
            .Description("Ends a member's membership after its last day: from the next day it proposes, votes and files complaints here no more; its record stays.")
            .Argument<NonNullGraphType<EndMembershipInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<EndMembershipInput>("input");
                RequireSignIn(ctx);
                var key = GlobalId.KeyOf(ArrangementType.TypeName, input.ArrangementId);
                return await IdempotentMutation.RunAsync(ctx, input,
                    async _ => key.Length > 0
                        ? await ctx.Grains().GetGrain<IArrangementGrain>(key).EndMembershipAsync(new(input.MunicipalityCode, input.LastDay))
                        : NoArrangement(input.ArrangementId),
                    subject: MunicipalityCode.Normalize(input.MunicipalityCode));
            });

        Field<NonNullGraphType<PublishTariffSchedulePayloadType>>("publishTariffSchedule")
            .Description("Publishes an arrangement's initial tariff schedule. Later changes go through a Board decision.")
            .Argument<NonNullGraphType<PublishTariffScheduleInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<PublishTariffScheduleInput>("input");
                RequireSignIn(ctx);
                var key = GlobalId.KeyOf(ArrangementType.TypeName, input.ArrangementId);
                var tariffs = input.Tariffs.Select(t => new TariffVersion(
                    t.ServiceCode, t.Amount, t.Currency ?? TariffSchedule.Euro, t.UnitQuantity, t.UnitMeasure ?? "",
                    t.ValidFrom, t.ValidTo, t.DecidedBy ?? input.DecidedBy)).ToList();
                return await IdempotentMutation.RunAsync(ctx, input,
                    async _ => key.Length > 0
                        ? await ctx.Grains().GetGrain<IArrangementGrain>(key).PublishTariffScheduleAsync(new(tariffs))
                        : NoArrangement(input.ArrangementId));
            });

        ProposalMutations.AddTo(this);
        Platform.Gateway.People.PeopleMutations.AddTo(this);
        Platform.Gateway.People.CredentialMutations.AddTo(this);
        Platform.Gateway.Complaints.ComplaintMutations.AddTo(this);
        Platform.Gateway.Complaints.FollowReportFields.AddMutations(this);
        Platform.Gateway.People.AccountMutations.AddTo(this);
        Platform.Gateway.Notifications.NotificationFields.AddMutations(this);
        Platform.Gateway.Notifications.WebhookFields.AddMutations(this);
        Platform.Gateway.Incidents.IncidentFields.AddMutations(this);
        Platform.Gateway.ExtraWork.ExtraWorkFields.AddMutations(this);
        Platform.Gateway.Consultations.ConsultationFields.AddMutations(this);
        Platform.Gateway.Performance.PerformanceFields.AddMutations(this);
        Platform.Gateway.PriceReviews.PriceReviewFields.AddMutations(this);
        Platform.Gateway.Plans.PlanFields.AddMutations(this);
    }

    /// <summary>The gateway asks only this; what a signed-in caller may do, the grain that owns the object decides.</summary>
    public static void RequireSignIn(IResolveFieldContext ctx)
    {
        if (!ctx.Caller().IsAuthenticated) AccessErrors.Enforce(Decision.Unauthenticated("Sign in first."));
    }

    private static CommandResult NoApplication(string? code) =>
        CommandResult.Fail("code", ViolationCodes.NotFound, $"There is no application for '{code}'.");

    public static CommandResult NoArrangement(string? id) =>
        CommandResult.Fail("arrangementId", ViolationCodes.NotFound, $"No arrangement has the id '{id}'.");

    private static (VoteWeightRule Rule, CommandResult? Error) WeightRule(VoteWeightInput? input) => input switch
    {
        null or { Kind: VoteWeightKind.OnePerMember } => (VoteWeightRule.OnePerMember, null),
        { InhabitantsPerVote: > 0 and var perVote } => (VoteWeightRule.PerInhabitants(perVote), null),
        _ => (VoteWeightRule.OnePerMember, CommandResult.Fail("voteWeight.inhabitantsPerVote", ViolationCodes.OutOfRange,
            "BY_INHABITANTS needs inhabitantsPerVote greater than zero.")),
    };
}
