using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Platform.Identity.Persistence;
using Platform.Identity.Protection;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Identity.Pages.Account;

public sealed class InvitationModel(UserManager<PlatformUser> users, Throttle throttle) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    public string? Error { get; private set; }
    public bool Accepted { get; private set; }

    public IActionResult OnGet()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token))
        {
            Error = "This invitation link is incomplete. Open the link from the mail as a whole.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (throttle.Acquire(IdentityLimits.Invitation, HttpContext.AddressPartition()) is { Allowed: false } busy)
        {
            Response.SetRetryAfter(busy);
            Error = $"Too many attempts from your network; try again in {busy.RetryAfterSeconds} seconds.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        if (user is null || string.IsNullOrEmpty(Token))
        {
            return Refuse("This invitation is not valid.");
        }
        if (string.IsNullOrEmpty(Password) || Password != Confirm)
        {
            return Refuse("Enter the same new password twice.");
        }
        var result = await users.ResetPasswordAsync(user, Token, Password);
        if (!result.Succeeded)
        {
            return Refuse(string.Join(" ", result.Errors.Select(e => e.Code == "InvalidToken"
                ? "This invitation has expired or was used already; ask for a new one."
                : e.Description)));
        }
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        Accepted = true;
        return Page();
    }

    private PageResult Refuse(string error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
