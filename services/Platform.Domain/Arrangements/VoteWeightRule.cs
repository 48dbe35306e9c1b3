namespace Platform.Domain.Arrangements;

/// <summary>How a member's weight in the Board follows from its basis.</summary>
public enum VoteWeightKind
{
    /// <summary>Every member has one vote.</summary>
    OnePerMember = 0,
    /// <summary>One vote per started block of inhabitants (at least one), on the member's reference date.</summary>
    ByInhabitants = 1,
}

[GenerateSerializer, Immutable]
public sealed record VoteWeightRule(
    [property: Id(0)] VoteWeightKind Kind,
    [property: Id(1)] int InhabitantsPerVote)
{
    public static VoteWeightRule OnePerMember { get; } = new(VoteWeightKind.OnePerMember, 0);

    public static VoteWeightRule PerInhabitants(int inhabitantsPerVote) =>
        inhabitantsPerVote > 0
            ? new(VoteWeightKind.ByInhabitants, inhabitantsPerVote)
            : throw new ArgumentOutOfRangeException(nameof(inhabitantsPerVote), "must be positive");

    public int WeightOf(int inhabitants) => Kind switch
    {
        VoteWeightKind.ByInhabitants => Math.Max(1, (int)Math.Ceiling(inhabitants / (double)InhabitantsPerVote)),
        _ => 1,
    };
}
