using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Platform.Domain.Municipalities;
using Platform.Identity.Accounts;
using Platform.Identity.Persistence;
using Platform.Identity.Protection;
using Platform.Identity.Resources;
using Platform.ServiceDefaults.RateLimiting;
using Roles = Platform.Domain.Access.Roles;

namespace Platform.Identity.Pages.Account;

/// <summary>
/// A resident creates an account for their municipality; it works once the address is confirmed through the
/// mailed link. An address that has an account already gets the same answer on the page (nobody learns which
/// addresses have accounts) and a mail that says so to its owner.
/// </summary>
public sealed class RegisterModel(UserManager<PlatformUser> users, Municipalities municipalities, AccountMail mail, Throttle throttle, IStringLocalizer<IdentityText> T)
    : PageModel, IPasswordForm
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Municipality { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public IReadOnlyList<Municipalities.Municipality>? Choices { get; private set; }
    public string? Error { get; private set; }
    public string? SentTo { get; private set; }

    public async Task OnGetAsync() => Choices = await municipalities.ListAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        Choices = await municipalities.ListAsync(HttpContext.RequestAborted);
        if (throttle.Acquire(IdentityLimits.Registration, HttpContext.AddressPartition()) is { Allowed: false } busy)
        {
            Response.SetRetryAfter(busy);
            return Refuse(string.Format(T["toomany"], busy.RetryAfterSeconds), StatusCodes.Status429TooManyRequests);
        }
        var email = Email?.Trim() ?? "";
        if (email.Length is 0 or > 256 || !MailAddress.TryCreate(email, out _)) return Refuse(T["register.email.invalid"]);
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200 || Platform.Domain.Validation.Rules.UnreadableCharacter(Name) is not null) return Refuse(T["register.name.required"]);
        var code = MunicipalityCode.Normalize(Municipality);
        if (!MunicipalityCode.IsValid(code) || (Choices is { } known && known.All(m => m.Code != code))) return Refuse(T["register.municipality.invalid"]);
        var user = new PlatformUser { UserName = email, Email = email, DisplayName = Name.Trim(), Organisation = code };
        if (await PasswordForms.CheckAsync(users, T, user, Password, Confirm) is { } weak) return Refuse(weak);

        if (await users.FindByEmailAsync(email) is { } existing)
        {
            // The same answer as for a new address; the owner hears of it by mail.
            await mail.ExistsAsync(existing.Email!, $"{mail.Origin}/account/login", $"{mail.Origin}/account/forgot", HttpContext.RequestAborted);
            SentTo = email;
            return Page();
        }
        var created = await users.CreateAsync(user, Password!);
        if (!created.Succeeded) return Refuse(PasswordForms.Describe(T, created.Errors));
        await users.AddToRoleAsync(user, Roles.Citizen);
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        await mail.ConfirmAsync(email, user.DisplayName, mail.Link("/account/confirm", user.Id, token), HttpContext.RequestAborted);
        SentTo = email;
        return Page();
    }

    private PageResult Refuse(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }
}
