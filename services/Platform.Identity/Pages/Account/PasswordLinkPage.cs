using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Platform.Identity.Persistence;
using Platform.Identity.Protection;
using Platform.Identity.Resources;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Identity.Pages.Account;

/// <summary>
/// A page reached by a mailed link (user id and one-time token) that sets a new password: the invitation and the
/// password reset. An incomplete, altered, expired or used link is refused and nothing changes; attempts are
/// throttled per address.
/// </summary>
public abstract class PasswordLinkPage(UserManager<PlatformUser> users, Throttle throttle, IStringLocalizer<IdentityText> texts) : PageModel, IPasswordForm
{
    protected UserManager<PlatformUser> Users => users;
    protected IStringLocalizer<IdentityText> T => texts;

    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    public string? Error { get; private set; }
    public bool Done { get; private set; }

    /// <summary>The text for a link that is incomplete or names no account.</summary>
    protected abstract string IncompleteLink { get; }

    /// <summary>The text for a link whose token no longer works.</summary>
    protected abstract string UsedLink { get; }

    /// <summary>Whether the account may set a password through this link at all.</summary>
    protected virtual Task<bool> AcceptsAsync(PlatformUser user) => Task.FromResult(true);

    /// <summary>What else follows once the password is set.</summary>
    protected virtual Task AfterPasswordSetAsync(PlatformUser user) => Task.CompletedTask;

    public IActionResult OnGet() =>
        string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token) ? Refuse(IncompleteLink) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (throttle.Acquire(IdentityLimits.Invitation, HttpContext.AddressPartition()) is { Allowed: false } busy)
        {
            Response.SetRetryAfter(busy);
            return Refuse(string.Format(texts["toomany"], busy.RetryAfterSeconds), StatusCodes.Status429TooManyRequests);
        }
        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        if (user is null || string.IsNullOrEmpty(Token) || !await AcceptsAsync(user)) return Refuse(IncompleteLink);
        if (await PasswordForms.CheckAsync(users, texts, user, Password, Confirm) is { } weak) return Refuse(weak);
        var result = await users.ResetPasswordAsync(user, Token, Password!);
        if (!result.Succeeded)
        {
            return Refuse(result.Errors.Any(e => e.Code == "InvalidToken") ? UsedLink : PasswordForms.Describe(texts, result.Errors));
        }
        await AfterPasswordSetAsync(user);
        Done = true;
        return Page();
    }

    private PageResult Refuse(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }
}
