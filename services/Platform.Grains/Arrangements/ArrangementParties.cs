using Platform.Domain.Calendar;

namespace Platform.Grains.Arrangements;

/// <summary>The parties of an arrangement on a day: its members then, and its executing organisation.</summary>
public sealed record ArrangementParties(ArrangementSnapshot Arrangement, List<string> Members, string ExecutingOrganisation)
{
    /// <summary>The answer to a command that names an arrangement there is none of, in one wording for every grain.</summary>
    public static CommandResult Missing(string? arrangementId) =>
        CommandResult.Fail("arrangementId", Platform.Domain.Validation.ViolationCodes.NotFound, $"No arrangement has the id '{arrangementId}'.");

    /// <summary>The arrangement's parties on <paramref name="now"/>'s date in Amsterdam; null when there is no such arrangement.</summary>
    public static async Task<ArrangementParties?> LoadAsync(IGrainFactory grains, string? arrangementId, DateTimeOffset now)
    {
        if (arrangementId is not { Length: > 0 and <= 100 }) return null;
        var arrangement = await grains.GetGrain<IArrangementGrain>(arrangementId).GetAsync();
        return arrangement is null
            ? null
            : new(arrangement, [.. arrangement.MembersOn(AmsterdamCalendar.DateOf(now)).Select(m => m.MunicipalityCode)], arrangement.ExecutingOrganisationId ?? "");
    }
}
