using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Platform.Identity.Resources;

namespace Platform.Identity.Pages.Account;

/// <summary>A page that sets a new password twice (invitation, reset, registration).</summary>
public interface IPasswordForm
{
    string? Error { get; }
}

public static class PasswordForms
{
    /// <summary>The password rules a new password broke, in the page's language.</summary>
    public static string Describe(IStringLocalizer<IdentityText> texts, IEnumerable<IdentityError> errors) =>
        string.Join(" ", errors.Select(e => texts[$"password.{e.Code}"] is { ResourceNotFound: false } known ? known.Value : e.Description));

    /// <summary>Checks a new password against the account rules before anything is stored.</summary>
    public static async Task<string?> CheckAsync<TUser>(UserManager<TUser> users, IStringLocalizer<IdentityText> texts, TUser user, string? password, string? confirm)
        where TUser : class
    {
        if (string.IsNullOrEmpty(password) || password != confirm) return texts["password.mismatch"];
        var failures = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded) failures.AddRange(result.Errors);
        }
        return failures.Count == 0 ? null : Describe(texts, failures);
    }
}
