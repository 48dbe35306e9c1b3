using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Platform.Domain.Municipalities;
using Platform.Identity.Accounts;
using Platform.Identity.Persistence;
using Platform.Identity.Resources;
using Roles = Platform.Domain.Access.Roles;

namespace Platform.Identity.Pages.Account;

/// <summary>
/// The first sign-in through an external provider: the person confirms their name and chooses their municipality,
/// and a resident's account is made, linked to the provider's identity. An address the provider does not vouch for
/// is confirmed by mail first, as on registration.
/// </summary>
public sealed class ExternalModel(SignInManager<PlatformUser> signIn, IOptions<IdentitySettings> settings, Municipalities municipalities, AccountMail mail, IStringLocalizer<IdentityText> T)
    : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Municipality { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public IReadOnlyList<Municipalities.Municipality>? Choices { get; private set; }
    public string? Provider { get; private set; }
    public string? Email { get; private set; }
    public string? Error { get; private set; }
    public string? SentTo { get; private set; }

    private async Task<ExternalLoginInfo?> InfoAsync()
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null) return null;
        Provider = info.ProviderDisplayName;
        Email = ExternalSignIn.EmailOf(info.Principal);
        Choices = await municipalities.ListAsync(HttpContext.RequestAborted);
        return info;
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var info = await InfoAsync();
        if (info is null) return Redirect("/account/login?external=failed");
        Name ??= ExternalSignIn.NameOf(info.Principal);
        if (Email is null) return Refuse(T["external.noemail"]);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var info = await InfoAsync();
        if (info is null) return Redirect("/account/login?external=failed");
        if (Email is null) return Refuse(T["external.noemail"]);
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200 || Platform.Domain.Validation.Rules.UnreadableCharacter(Name) is not null) return Refuse(T["register.name.required"]);
        var code = MunicipalityCode.Normalize(Municipality);
        if (!MunicipalityCode.IsValid(code) || (Choices is { } known && known.All(m => m.Code != code))) return Refuse(T["register.municipality.invalid"]);
        if (await signIn.UserManager.FindByEmailAsync(Email) is not null) return Refuse(T["external.exists"]);

        var trusted = settings.Value.ExternalProviders.FirstOrDefault(p => p.Scheme == info.LoginProvider)?.TrustEmail == true;
        var user = new PlatformUser { UserName = Email, Email = Email, DisplayName = Name.Trim(), Organisation = code, EmailConfirmed = trusted };
        var created = await signIn.UserManager.CreateAsync(user);
        if (!created.Succeeded) return Refuse(string.Join(" ", created.Errors.Select(e => e.Description)));
        await signIn.UserManager.AddToRoleAsync(user, Roles.Citizen);
        await signIn.UserManager.AddLoginAsync(user, new UserLoginInfo(info.LoginProvider, info.ProviderKey, info.ProviderDisplayName));
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!trusted)
        {
            var token = await signIn.UserManager.GenerateEmailConfirmationTokenAsync(user);
            await mail.ConfirmAsync(Email, user.DisplayName, mail.Link("/account/confirm", user.Id, token), HttpContext.RequestAborted);
            SentTo = Email;
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account/signed-in");
    }

    private PageResult Refuse(string error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
