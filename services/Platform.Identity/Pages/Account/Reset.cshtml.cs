using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Platform.Identity.Persistence;
using Platform.Identity.Resources;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Identity.Pages.Account;

/// <summary>The link from the reset mail: a new password, once; a withdrawn account cannot use it.</summary>
public sealed class ResetModel(UserManager<PlatformUser> users, Throttle throttle, IStringLocalizer<IdentityText> texts)
    : PasswordLinkPage(users, throttle, texts)
{
    protected override string IncompleteLink => T["reset.invalid"];
    protected override string UsedLink => T["reset.invalid"];
    protected override async Task<bool> AcceptsAsync(PlatformUser user) => !await Users.IsLockedOutAsync(user);
}
