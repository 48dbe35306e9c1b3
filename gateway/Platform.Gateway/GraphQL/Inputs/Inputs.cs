using GraphQL.Types;
using Platform.Domain.Arrangements;
using Platform.Domain.ServiceLevels;
using Platform.Gateway.GraphQL.Types;

namespace Platform.Gateway.GraphQL.Inputs;

/// <summary>Every mutation input carries an optional idempotency key.</summary>
public abstract class MutationInput
{
    public string? ClientMutationId { get; set; }
}

public abstract class MutationInputType<T> : InputObjectGraphType<T> where T : MutationInput
{
    protected MutationInputType(string name)
    {
        Name = name;
        Field(x => x.ClientMutationId, nullable: true)
            .Description("An idempotency key: a retry with the same key and input returns the first result and changes nothing twice.");
    }
}

public sealed class OnboardMunicipalityInput : MutationInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int Inhabitants { get; set; }
    public DateOnly InhabitantsReferenceDate { get; set; }
}

public sealed class OnboardMunicipalityInputType : MutationInputType<OnboardMunicipalityInput>
{
    public OnboardMunicipalityInputType() : base("OnboardMunicipalityInput")
    {
        Field(x => x.Code).Description("The CBS code, e.g. GM0363.");
        Field(x => x.Name);
        Field(x => x.Inhabitants);
        Field<NonNullGraphType<CalendarDateGraphType>>("inhabitantsReferenceDate");
    }
}

public sealed class SetPortalThemeInput : MutationInput
{
    public string MunicipalityCode { get; set; } = "";
    public string Theme { get; set; } = "";
}

public sealed class SetPortalThemeInputType : MutationInputType<SetPortalThemeInput>
{
    public SetPortalThemeInputType() : base("SetPortalThemeInput")
    {
        Field(x => x.MunicipalityCode).Description("The CBS code of your municipality, e.g. GM0405.");
        Field(x => x.Theme).Description("neutral, utrecht, amsterdam, denhaag, or custom (the colours given with setPortalColours).");
    }
}

public sealed class SetPortalColoursInput : MutationInput
{
    public string MunicipalityCode { get; set; } = "";
    public string Brand { get; set; } = "";
    public string BrandText { get; set; } = "";
    public string Accent { get; set; } = "";
}

public sealed class SetPortalColoursInputType : MutationInputType<SetPortalColoursInput>
{
    public SetPortalColoursInputType() : base("SetPortalColoursInput")
    {
        Field(x => x.MunicipalityCode).Description("The CBS code of your municipality, e.g. GM0405.");
        Field(x => x.Brand).Description("The header's background, #rrggbb.");
        Field(x => x.BrandText).Description("The header's text, #rrggbb: at least 4.5:1 on the brand colour.");
        Field(x => x.Accent).Description("Links and buttons, #rrggbb: at least 4.5:1 on white (buttons carry white text on it).");
    }
}

public sealed class ServiceInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? NameEn { get; set; }
    public ServiceLevelInput? ServiceLevel { get; set; }
}

public sealed class ServiceLevelInput
{
    public int DaysToAcknowledge { get; set; }
    public int DaysToResolve { get; set; }
    public DayCounting Counting { get; set; } = DayCounting.WorkingDays;

    public ServiceLevel ToLevel() => new(DaysToAcknowledge, DaysToResolve, Counting);
}

public sealed class ServiceLevelInputType : InputObjectGraphType<ServiceLevelInput>
{
    public ServiceLevelInputType()
    {
        Name = "ServiceLevelInput";
        Description = "What the executing organisation promises for complaints about a service.";
        Field(x => x.DaysToAcknowledge).Description("Days to acknowledge a complaint: 1 to 365.");
        Field(x => x.DaysToResolve).Description("Days to resolve it: at least daysToAcknowledge, at most 365.");
        Field<DayCountingType>("counting").Description("WORKING_DAYS (the default: weekdays without Dutch public holidays) or CALENDAR_DAYS.");
    }
}

public sealed class ServiceInputType : InputObjectGraphType<ServiceInput>
{
    public ServiceInputType()
    {
        Name = "ServiceInput";
        Field(x => x.Code).Description("1 to 40 lower-case letters, digits or hyphens, e.g. bouwpuin.");
        Field(x => x.Name).Description("The name as the arrangement writes it (Dutch).");
        Field(x => x.NameEn, nullable: true).Description("An English translation, shown in the English interface (optional, at most 100 characters).");
        Field<ServiceLevelInputType>("serviceLevel").Description("Default: acknowledge in 2 and resolve in 10 working days.");
    }
}

public sealed class VoteWeightInput
{
    public VoteWeightKind Kind { get; set; }
    public int? InhabitantsPerVote { get; set; }
}

public sealed class VoteWeightInputType : InputObjectGraphType<VoteWeightInput>
{
    public VoteWeightInputType()
    {
        Name = "VoteWeightInput";
        Field<NonNullGraphType<VoteWeightKindType>>("kind");
        Field(x => x.InhabitantsPerVote, nullable: true).Description("Required for BY_INHABITANTS: one vote per this many inhabitants (rounded up, at least one).");
    }
}

public sealed class CreateArrangementInput : MutationInput
{
    public string? Key { get; set; }
    public string Name { get; set; } = "";
    public string ExecutingOrganisationId { get; set; } = "";
    public List<ServiceInput> Services { get; set; } = [];
    public VoteWeightInput? VoteWeight { get; set; }
}

public sealed class CreateArrangementInputType : MutationInputType<CreateArrangementInput>
{
    public CreateArrangementInputType() : base("CreateArrangementInput")
    {
        Field(x => x.Key, nullable: true).Description("A short id such as afval-nhn (3 to 50 lower-case letters, digits, hyphens); generated when left out.");
        Field(x => x.Name);
        Field<NonNullGraphType<IdGraphType>>("executingOrganisationId").Description("The registered executing organisation that does the work (its key or global id).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ServiceInputType>>>>("services");
        Field<VoteWeightInputType>("voteWeight").Description("Default: one vote per member.");
    }
}

public sealed class AddMemberInput : MutationInput
{
    public string ArrangementId { get; set; } = "";
    public string MunicipalityCode { get; set; } = "";
    public int? Inhabitants { get; set; }
    public DateOnly? InhabitantsReferenceDate { get; set; }
}

public sealed class AddMemberInputType : MutationInputType<AddMemberInput>
{
    public AddMemberInputType() : base("AddMemberInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.MunicipalityCode);
        Field(x => x.Inhabitants, nullable: true)
            .Description("The count the members agreed to weigh votes by, with inhabitantsReferenceDate; default: the count the municipality was onboarded with.");
        Field<CalendarDateGraphType>("inhabitantsReferenceDate").Description("The day the inhabitants were counted; not in the future.");
    }
}

public sealed class EndMembershipInput : MutationInput
{
    public string ArrangementId { get; set; } = "";
    public string MunicipalityCode { get; set; } = "";
    public DateOnly? LastDay { get; set; }
}

public sealed class EndMembershipInputType : MutationInputType<EndMembershipInput>
{
    public EndMembershipInputType() : base("EndMembershipInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.MunicipalityCode);
        Field<NonNullGraphType<CalendarDateGraphType>>("lastDay").Description("The last day it is a member (inclusive); today at the earliest.");
    }
}

public sealed class TariffInput
{
    public string ServiceCode { get; set; } = "";
    public decimal Amount { get; set; }
    public string? Currency { get; set; }
    public decimal UnitQuantity { get; set; }
    public string UnitMeasure { get; set; } = "";
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public string? DecidedBy { get; set; }
}

public sealed class TariffInputType : InputObjectGraphType<TariffInput>
{
    public TariffInputType()
    {
        Name = "TariffInput";
        Field(x => x.ServiceCode);
        Field<NonNullGraphType<DecimalGraphType>>("amount").Description("In euros, whole cents; not negative.");
        Field(x => x.Currency, nullable: true).Description("EUR (the default) is the only currency.");
        Field<NonNullGraphType<DecimalGraphType>>("unitQuantity").Description("How much of unitMeasure the amount buys, e.g. 0.5 for 'per 0.5 m³'; greater than zero.");
        Field(x => x.UnitMeasure).Description("e.g. m³, container, year.");
        Field<NonNullGraphType<CalendarDateGraphType>>("validFrom");
        Field<CalendarDateGraphType>("validTo").Description("The last day it applies (inclusive); leave out for no end.");
        Field(x => x.DecidedBy, nullable: true).Description("The decision that set this tariff; defaults to the input's decidedBy.");
    }
}

public sealed class PublishTariffScheduleInput : MutationInput
{
    public string ArrangementId { get; set; } = "";
    public string? DecidedBy { get; set; }
    public List<TariffInput> Tariffs { get; set; } = [];
}

public sealed class PublishTariffScheduleInputType : MutationInputType<PublishTariffScheduleInput>
{
    public PublishTariffScheduleInputType() : base("PublishTariffScheduleInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.DecidedBy, nullable: true).Description("The decision that set the schedule, e.g. 'AB-2024-11 (Board, 12 December 2024)'.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TariffInputType>>>>("tariffs");
    }
}

public sealed class ApplyForOnboardingInput : MutationInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int Inhabitants { get; set; }
    public DateOnly InhabitantsReferenceDate { get; set; }
    public string ContactName { get; set; } = "";
    public string ContactEmail { get; set; } = "";
}

public sealed class ApplyForOnboardingInputType : MutationInputType<ApplyForOnboardingInput>
{
    public ApplyForOnboardingInputType() : base("ApplyForOnboardingInput")
    {
        Field(x => x.Code).Description("The CBS code, e.g. GM0363.");
        Field(x => x.Name);
        Field(x => x.Inhabitants);
        Field<NonNullGraphType<CalendarDateGraphType>>("inhabitantsReferenceDate");
        Field(x => x.ContactName).Description("Who will be the municipality's first admin.");
        Field(x => x.ContactEmail).Description("Where the invitation to set a password goes.");
    }
}

public sealed class DecideOnboardingInput : MutationInput
{
    public string Code { get; set; } = "";
    public int? Application { get; set; }
    public string? Reason { get; set; }
}

public sealed class DecideOnboardingInputType : MutationInputType<DecideOnboardingInput>
{
    public DecideOnboardingInputType() : base("DecideOnboardingInput")
    {
        Field(x => x.Code);
        Field(x => x.Application, nullable: true).Description("The application's number; may be left out when only one is waiting for this code.");
        Field(x => x.Reason, nullable: true).Description("Required when rejecting.");
    }
}

public sealed class LocationInput
{
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? Address { get; set; }
}

public sealed class LocationInputType : InputObjectGraphType<LocationInput>
{
    public LocationInputType()
    {
        Name = "LocationInput";
        Description = "Coordinates (WGS84 degrees), an address, or both.";
        Field(x => x.Latitude, nullable: true);
        Field(x => x.Longitude, nullable: true);
        Field(x => x.Address, nullable: true);
    }
}

public sealed class FileComplaintInput : MutationInput
{
    public string ArrangementId { get; set; } = "";
    public string ServiceCode { get; set; } = "";
    public string Description { get; set; } = "";
    public LocationInput? Location { get; set; }
    public string? MunicipalityCode { get; set; }
    public ReporterInput? Reporter { get; set; }
}

public sealed class ReporterInput
{
    public string? Name { get; set; }
    public string? Email { get; set; }
}

public sealed class ReporterInputType : InputObjectGraphType<ReporterInput>
{
    public ReporterInputType()
    {
        Name = "ReporterInput";
        Description = "Who files without an account: the confirmation link goes to this address.";
        Field(x => x.Name, nullable: true);
        Field(x => x.Email, nullable: true);
    }
}

public sealed class FileComplaintInputType : MutationInputType<FileComplaintInput>
{
    public FileComplaintInputType() : base("FileComplaintInput")
    {
        Field<NonNullGraphType<IdGraphType>>("arrangementId");
        Field(x => x.ServiceCode);
        Field(x => x.Description);
        Field<LocationInputType>("location");
        Field(x => x.MunicipalityCode, nullable: true).Description("Without an account: the municipality you live in (CBS code).");
        Field<ReporterInputType>("reporter").Description("Without an account: your address (required) and name; the complaint is filed once you open the link mailed to you.");
    }
}

public sealed class ConfirmComplaintInput : MutationInput
{
    public string FollowToken { get; set; } = "";
}

public sealed class ConfirmComplaintInputType : MutationInputType<ConfirmComplaintInput>
{
    public ConfirmComplaintInputType() : base("ConfirmComplaintInput")
    {
        Field(x => x.FollowToken).Description("The secret from the link in the confirmation mail.");
    }
}

public sealed class TransitionComplaintInput : MutationInput
{
    public string ComplaintId { get; set; } = "";
    public Platform.Domain.Complaints.ComplaintAction Action { get; set; }
    public string? Note { get; set; }
    public string? Reason { get; set; }
    public string? Referral { get; set; }
    public string? DuplicateOf { get; set; }
    public string? FollowToken { get; set; }
}

public sealed class TransitionComplaintInputType : MutationInputType<TransitionComplaintInput>
{
    public TransitionComplaintInputType() : base("TransitionComplaintInput")
    {
        Field<NonNullGraphType<IdGraphType>>("complaintId");
        Field<NonNullGraphType<ComplaintActionType>>("action");
        Field(x => x.Note, nullable: true);
        Field(x => x.Reason, nullable: true).Description("Required to reject: why it is not yours to handle.");
        Field(x => x.Referral, nullable: true).Description("With a rejection: who is responsible instead.");
        Field<IdGraphType>("duplicateOf").Description("Required to mark as duplicate: the original complaint.");
        Field(x => x.FollowToken, nullable: true).Description("Without an account: the secret from the confirmation mail's link, to confirm or reopen your own complaint.");
    }
}
