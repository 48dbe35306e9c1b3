using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Platform.Identity.Persistence;
using Platform.Identity.Resources;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Identity.Pages.Account;

/// <summary>The link from an invitation: the invited person chooses a password, which also confirms the address.</summary>
public sealed class InvitationModel(UserManager<PlatformUser> users, Throttle throttle, IStringLocalizer<IdentityText> texts)
    : PasswordLinkPage(users, throttle, texts)
{
    protected override string IncompleteLink => UserId is null || Token is null ? T["invitation.incomplete"] : T["invitation.invalid"];
    protected override string UsedLink => T["invitation.expired"];

    protected override async Task AfterPasswordSetAsync(PlatformUser user)
    {
        user.EmailConfirmed = true;
        await Users.UpdateAsync(user);
    }
}
