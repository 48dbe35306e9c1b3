using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Platform.Identity.Accounts;
using Platform.Identity.Persistence;
using Platform.Identity.Protection;
using Platform.Identity.Resources;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Identity.Pages.Account;

/// <summary>Mails a link to choose a new password; the answer is the same whether or not the address has an account.</summary>
public sealed class ForgotModel(UserManager<PlatformUser> users, AccountMail mail, Throttle throttle, IStringLocalizer<IdentityText> T) : PageModel
{
    [BindProperty] public string? Email { get; set; }

    public string? Error { get; private set; }
    public string? SentTo { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (throttle.Acquire(IdentityLimits.Registration, HttpContext.AddressPartition()) is { Allowed: false } busy)
        {
            Response.SetRetryAfter(busy);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Error = string.Format(T["toomany"], busy.RetryAfterSeconds);
            return Page();
        }
        var email = Email?.Trim() ?? "";
        if (email.Length is 0 or > 256 || !MailAddress.TryCreate(email, out _))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = T["register.email.invalid"];
            return Page();
        }
        // Withdrawn (locked-out) accounts get no link: their access was taken away on purpose.
        if (await users.FindByEmailAsync(email) is { EmailConfirmed: true } user && !await users.IsLockedOutAsync(user))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            await mail.ResetAsync(email, user.DisplayName, mail.Link("/account/reset", user.Id, token), HttpContext.RequestAborted);
        }
        SentTo = email;
        return Page();
    }
}
