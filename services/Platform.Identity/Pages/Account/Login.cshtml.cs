using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Platform.Identity.Persistence;

namespace Platform.Identity.Pages.Account;

public sealed class LoginModel(SignInManager<PlatformUser> signIn, IOptions<IdentitySettings> settings) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your email address and your password.";
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account/signed-in");
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Error = result.IsLockedOut
            ? $"This account is locked after too many wrong passwords. Try again in {settings.Value.LockoutDuration.TotalMinutes:0} minutes."
            : "The email address or the password is not right.";
        return Page();
    }
}
