using Microsoft.Extensions.Logging;
using Platform.Domain.Access;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Grains.Common;

namespace Platform.Grains.Complaints;

[GenerateSerializer]
public sealed class ComplaintDraftState
{
    [Id(0)] public FileComplaint? Filing { get; set; }
    [Id(1)] public string Municipality { get; set; } = "";
    [Id(2)] public string Email { get; set; } = "";
    [Id(3)] public DateTimeOffset SubmittedAt { get; set; }
    [Id(4)] public string? ComplaintId { get; set; }
    [Id(5)] public DateTimeOffset? ConfirmedAt { get; set; }
    [Id(6)] public List<PendingEffect> Pending { get; set; } = [];
}

/// <summary>
/// A complaint without an account. The author proves the address by opening the mailed link; from then on
/// the platform acts for them as a resident of the municipality they named, with that address as their
/// identity, so the complaint is theirs when they later sign in with an account for the same address.
/// </summary>
public sealed class ComplaintDraftGrain(
    [PersistentState("complaint-draft", StorageNames.Grains)] IPersistentState<ComplaintDraftState> state,
    TimeProvider time,
    ILogger<ComplaintDraftGrain> logger) : Grain, IComplaintDraftGrain
{
    /// <summary>How long a confirmation link waits to be opened.</summary>
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromDays(7);

    public const int MaxEmailLength = 200;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>The complaint's id follows from the link, so a retried confirmation finds the complaint it filed.</summary>
    private string ComplaintId => $"c-m{Key[..Math.Min(24, Key.Length)]}";

    public override Task OnActivateAsync(CancellationToken cancellationToken) => DispatchAsync();

    private Task DispatchAsync() => Outbox.DispatchAsync(state.State.Pending, GrainFactory, () => state.WriteStateAsync(), logger);

    /// <summary>The resident the address stands for, in the municipality they named.</summary>
    private static Caller Resident(string email, string municipality) => new(CallerKind.User, email, municipality, [Roles.Citizen], []);

    public async Task<CommandResult> SubmitAsync(ComplaintDraft draft)
    {
        if (state.RecordExists) return CommandResult.Fail("followToken", ViolationCodes.AlreadyExists, "This link was used for another complaint.");
        var errors = new List<RuleViolation>();
        var email = draft.Email?.Trim() ?? "";
        Rules.RequireText(errors, "reporter.email", email, MaxEmailLength);
        if (email.Length is > 0 and <= MaxEmailLength && !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            errors.Add(new("reporter.email", ViolationCodes.InvalidFormat, $"'{email}' is not an email address."));
        }
        var municipality = MunicipalityCode.Normalize(draft.Municipality);
        if (!MunicipalityCode.IsValid(municipality))
        {
            errors.Add(new("municipalityCode", ViolationCodes.InvalidFormat, $"'{draft.Municipality}' is not a CBS municipality code; expected GM followed by four digits, e.g. GM0405."));
        }
        if (errors.Count > 0) return CommandResult.Fail(errors);

        // Every check the complaint itself will make, now, so the resident hears of a mistake before the mail.
        using (CallerContext.As(Resident(email, municipality)))
        {
            var check = await GrainFactory.GetGrain<IComplaintGrain>(ComplaintId).CheckFilingAsync(draft.Filing);
            if (!check.Succeeded) return check;
        }

        var s = state.State;
        s.Filing = draft.Filing;
        s.Municipality = municipality;
        s.Email = email;
        s.SubmittedAt = time.GetUtcNow();
        s.Pending.Add(PendingEffect.SendMail(email, ConfirmationSubject, ConfirmationBody(draft.FollowLink, s.SubmittedAt + ConfirmWithin)));
        await state.WriteStateAsync();
        await DispatchAsync();
        return CommandResult.Ok(ComplaintId);
    }

    public async Task<CommandResult> ConfirmAsync()
    {
        if (!state.RecordExists) return UnknownLink();
        var s = state.State;
        if (s.ComplaintId is not null) return CommandResult.Ok(s.ComplaintId);
        var now = time.GetUtcNow();
        if (now > s.SubmittedAt + ConfirmWithin)
        {
            return CommandResult.Fail("followToken", ViolationCodes.Expired,
                $"This link was not opened within {ConfirmWithin.TotalDays:0} days, so the complaint was not filed; please file it again.");
        }
        CommandResult filed;
        using (CallerContext.As(Resident(s.Email, s.Municipality)))
        {
            filed = await GrainFactory.GetGrain<IComplaintGrain>(ComplaintId).FileAsync(s.Filing!);
        }
        // Filed before, by a confirmation whose answer was lost: the same complaint.
        if (!filed.Succeeded && filed.Errors[0].Code != ViolationCodes.AlreadyExists) return filed;
        s.ComplaintId = ComplaintId;
        s.ConfirmedAt = now;
        await state.WriteStateAsync();
        return CommandResult.Ok(ComplaintId);
    }

    public async Task<ComplaintSnapshot?> FollowAsync()
    {
        if (!state.RecordExists || state.State.ComplaintId is not { } id) return this.Missing<ComplaintSnapshot>();
        using (CallerContext.As(Resident(state.State.Email, state.State.Municipality)))
        {
            return await GrainFactory.GetGrain<IComplaintGrain>(id).GetAsync();
        }
    }

    public async Task<CommandResult> ActAsync(ComplaintTransition transition)
    {
        if (!state.RecordExists || state.State.ComplaintId is not { } id) return UnknownLink();
        using (CallerContext.As(Resident(state.State.Email, state.State.Municipality)))
        {
            return await GrainFactory.GetGrain<IComplaintGrain>(id).TransitionAsync(transition);
        }
    }

    private CommandResult UnknownLink()
    {
        DeactivateOnIdle();
        return CommandResult.Fail("followToken", ViolationCodes.NotFound, "This link is not known: open the link from the mail in full, or file the complaint again.");
    }

    private const string ConfirmationSubject = "Bevestig uw melding / Confirm your complaint";

    private static string ConfirmationBody(string link, DateTimeOffset until) =>
        $"""
        U deed een melding zonder account. Open deze link om hem te bevestigen; pas dan gaat hij naar de uitvoerder.
        Met dezelfde link volgt u de melding tot het einde. Deel de link niet: wie hem heeft, kan de melding volgen.

        {link}

        De link werkt om te bevestigen tot {until:yyyy-MM-dd HH:mm} UTC. Maakt u later een account aan met dit e-mailadres,
        dan staat de melding ook daar. Deed u geen melding? Dan kunt u deze mail negeren.

        ---

        You filed a complaint without an account. Open the link above to confirm it; only then does it go to the
        executing organisation. The same link follows it to the end; do not share it. It confirms until
        {until:yyyy-MM-dd HH:mm} UTC. If you later create an account with this address, the complaint is there too.
        Did not file a complaint? Then ignore this mail.
        """;
}
