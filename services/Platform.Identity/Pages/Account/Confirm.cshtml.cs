using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Platform.Identity.Persistence;

namespace Platform.Identity.Pages.Account;

/// <summary>The link from the registration mail: confirms the address once; an expired, used or altered link is refused.</summary>
public sealed class ConfirmModel(UserManager<PlatformUser> users) : PageModel
{
    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(string? user, string? token)
    {
        var account = string.IsNullOrEmpty(user) || string.IsNullOrEmpty(token) ? null : await users.FindByIdAsync(user);
        // A confirmed address cannot be confirmed again: the link works once.
        Confirmed = account is { EmailConfirmed: false } && (await users.ConfirmEmailAsync(account, token!)).Succeeded;
        if (!Confirmed) Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
