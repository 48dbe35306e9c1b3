using GraphQL;
using GraphQL.Types;
using Platform.Domain.Access;
using Platform.Domain.Proposals;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Inputs;
using Platform.Gateway.GraphQL.Types;
using Platform.Gateway.Mutations;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Proposals;

namespace Platform.Gateway.GraphQL.Schema;

/// <summary>Proposing, opinions, voting, support and comments. Each policy is checked here and again in the grain.</summary>
public static class ProposalMutations
{
    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ProposalPayloadType>>("proposeChange")
            .Description("A member's board member or contract manager proposes a change; the arrangement's rule for its kind decides it.")
            .Argument<NonNullGraphType<ProposeChangeInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                MutationType.RequireSignIn(ctx);
                var input = ctx.GetArgument<ProposeChangeInput>("input");
                var key = GlobalId.KeyOf(ArrangementType.TypeName, input.ArrangementId);
                var evidence = input.Evidence is { } e ? new EvidencePeriod(e.ServiceCode, e.From, e.To) : null;
                return await IdempotentMutation.RunAsync(ctx, input, async reservedId => key.Length > 0
                    ? await ctx.Grains().GetGrain<IProposalGrain>($"p-{reservedId}").ProposeAsync(new(key, input.ToChange(), evidence, input.PriceReview))
                    : MutationType.NoArrangement(input.ArrangementId));
            });

        mutation.Field<NonNullGraphType<ProposalPayloadType>>("submitOpinion")
            .Description("A member council's opinion (zienswijze), during the opinion period, by its admin or an alderman.")
            .Argument<NonNullGraphType<SubmitOpinionInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ProposalTextInput>("input");
                return await OnProposalAsync(ctx, input, input.ProposalId,
                    (grain, _) => grain.SubmitOpinionAsync(input.Text));
            });

        mutation.Field<NonNullGraphType<ProposalPayloadType>>("castVote")
            .Description("The board member of a member municipality votes for it: YES, NO or ABSTAIN, changeable until voting closes.")
            .Argument<NonNullGraphType<CastVoteInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<CastVoteInput>("input");
                return await OnProposalAsync(ctx, input, input.ProposalId,
                    (grain, operation) => grain.CastVoteAsync(input.Choice, operation));
            });

        mutation.Field<NonNullGraphType<ProposalPayloadType>>("supportProposal")
            .Description("A resident of a member municipality supports a proposal; once per resident.")
            .Argument<NonNullGraphType<SupportProposalInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ProposalRefInput>("input");
                return await OnProposalAsync(ctx, input, input.ProposalId,
                    (grain, _) => grain.SupportAsync());
            });

        mutation.Field<NonNullGraphType<ProposalPayloadType>>("commentOnProposal")
            .Description("Residents and staff of member municipalities, and the executing organisation, comment in public.")
            .Argument<NonNullGraphType<CommentOnProposalInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ProposalTextInput>("input");
                return await OnProposalAsync(ctx, input, input.ProposalId,
                    (grain, _) => grain.CommentAsync(input.Text));
            });

        mutation.Field<NonNullGraphType<ProposalPayloadType>>("hideProposalComment")
            .Description("Staff of a member municipality hide a comment, with a reason that is recorded and shown.")
            .Argument<NonNullGraphType<HideProposalCommentInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<HideProposalCommentInput>("input");
                return await OnProposalAsync(ctx, input, input.ProposalId,
                    (grain, _) => grain.HideCommentAsync(input.CommentNumber, input.Reason));
            });

        mutation.Field<NonNullGraphType<SetDecisionRulePayloadType>>("setDecisionRule")
            .Description("Records how the arrangement decides one kind of proposal, from its statutes (platform operators). Open proposals keep the rule they were made under.")
            .Argument<NonNullGraphType<SetDecisionRuleInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                MutationType.RequireSignIn(ctx);
                var input = ctx.GetArgument<SetDecisionRuleInput>("input");
                var key = GlobalId.KeyOf(ArrangementType.TypeName, input.ArrangementId);
                return await IdempotentMutation.RunAsync(ctx, input, async _ => key.Length is > 0 and <= 100
                    ? await ctx.Grains().GetGrain<IArrangementGrain>(key).SetDecisionRuleAsync(input.ToRule())
                    : MutationType.NoArrangement(input.ArrangementId));
            });
    }

    private static List<string> Members(ProposalSnapshot proposal) => proposal.Ballots.Select(b => b.MunicipalityCode).ToList();

    /// <summary>A missing proposal is answered as a user error; what the caller may do with it, the proposal grain decides.</summary>
    private static async Task<MutationPayload> OnProposalAsync<TInput>(IResolveFieldContext ctx, TInput input, string proposalId, Func<IProposalGrain, string, Task<CommandResult>> run)
        where TInput : MutationInput
    {
        MutationType.RequireSignIn(ctx);
        var key = GlobalId.KeyOf(ProposalType.TypeName, proposalId);
        var proposal = key.Length > 0 ? await QueryType.FindProposalAsync(ctx, key) : null;
        return await IdempotentMutation.RunAsync(ctx, input, async operation => proposal is null
            ? CommandResult.Fail("proposalId", ViolationCodes.NotFound, $"No proposal has the id '{proposalId}'.")
            : await run(ctx.Grains().GetGrain<IProposalGrain>(key), operation));
    }
}
