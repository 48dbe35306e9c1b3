using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Platform.Identity.Persistence;
using Platform.Identity.Protection;
using Platform.ServiceDefaults.RateLimiting;
using Microsoft.Extensions.Localization;
using Platform.Identity.Resources;

namespace Platform.Identity.Pages.Account;

public sealed class LoginModel(SignInManager<PlatformUser> signIn, Throttle throttle, IStringLocalizer<IdentityText> T, Microsoft.Extensions.Options.IOptions<IdentitySettings> settings) : PageModel
{
    /// <summary>The external providers people may sign in through (a button each).</summary>
    public IReadOnlyList<ExternalProviderSettings> Providers => settings.Value.ExternalProviders;

    /// <summary>After an external sign-in that did not succeed: failed (cancelled, refused by the provider) or refused here.</summary>
    [BindProperty(SupportsGet = true, Name = "external")] public string? External { get; set; }

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
        if (External is "failed" or "refused")
        {
            Error = T[$"external.{External}"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var address = HttpContext.AddressPartition();
        if (throttle.Acquire(IdentityLimits.SignIn, address) is { Allowed: false } busy) return TooMany(busy);
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = T["login.required"];
            return Page();
        }
        // Checked before the password, so a throttled guess learns nothing, not even a right one.
        var account = IdentityLimits.AccountPartition(HttpContext, Email);
        var waiting = throttle.Peek(IdentityLimits.SignInFailuresPerAccount, account);
        if (waiting.Allowed) waiting = throttle.Peek(IdentityLimits.SignInFailuresPerAddress, address);
        if (!waiting.Allowed) return TooMany(waiting);

        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account/signed-in");
        }
        throttle.Acquire(IdentityLimits.SignInFailuresPerAccount, account);
        throttle.Acquire(IdentityLimits.SignInFailuresPerAddress, address);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        // An unconfirmed address is said only when the password was right: nothing is told to someone guessing.
        Error = result.IsNotAllowed && await signIn.UserManager.FindByEmailAsync(Email.Trim()) is { EmailConfirmed: false } unconfirmed
                && await signIn.UserManager.CheckPasswordAsync(unconfirmed, Password)
            ? T["login.unconfirmed"]
            : T["login.wrong"];
        return Page();
    }

    private PageResult TooMany(ThrottleDecision decision)
    {
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.SetRetryAfter(decision);
        var minutes = (int)Math.Ceiling(decision.RetryAfter.TotalMinutes);
        Error = string.Format(T["login.toomany"], minutes <= 1 ? T["login.aminute"] : string.Format(T["login.minutes"], minutes));
        return Page();
    }
}
