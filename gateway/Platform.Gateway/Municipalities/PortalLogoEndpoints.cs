using System.Security.Cryptography;
using Platform.Domain.Access;
using Platform.Domain.Complaints;
using Platform.Domain.Municipalities;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.Complaints;
using Platform.Gateway.Protection;
using Platform.Grains;
using Platform.Grains.Municipalities;
using Platform.ServiceDefaults.RateLimiting;

namespace Platform.Gateway.Municipalities;

/// <summary>
/// A municipality's logo for its portal pages. <c>PUT /municipalities/{code}/logo</c> (the image's bytes as the body)
/// and <c>DELETE</c> by its own admin; <c>GET</c> for anyone, cached for a year at the address with its version. The image
/// is judged by decoding it and stored encoded again (as photos are), in the tenant's container.
/// </summary>
public static class PortalLogoEndpoints
{
    /// <summary>What an upload may weigh before it is decoded; what is stored is held to <see cref="PortalLogoRules.MaxBytes"/>.</summary>
    public const int MaxUploadBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapPortalLogoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/municipalities/{code}/logo", UploadAsync).DisableAntiforgery();
        app.MapDelete("/municipalities/{code}/logo", RemoveAsync).DisableAntiforgery();
        app.MapGet("/municipalities/{code}/logo", ReadAsync);
        return app;
    }

    /// <summary>Where the logo is read, with its version: a new logo is a new address.</summary>
    public static string PathOf(string code, PortalLogo logo) => $"/municipalities/{Uri.EscapeDataString(code)}/logo?v={logo.Version}";

    /// <summary>
    /// The caller's grain of the municipality, asked as the caller whether they may change its logo (before a byte is read);
    /// or the refusal. The caller is set here, in the endpoint's own flow, for the grain calls that follow.
    /// </summary>
    private static async Task<(IResult? Refused, IMunicipalityGrain? Grain, string Code, Caller Caller)> AdminAsync(HttpContext http, string code, IGrainFactory grains, Throttle throttle)
    {
        var (outcome, caller, problem) = await CallerAuthentication.AuthenticateAsync(http);
        if (outcome != CallerAuthentication.Outcome.Authenticated)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return (PhotoEndpoints.Problem(StatusCodes.Status401Unauthorized, ViolationCodes.Unauthenticated, problem ?? "Sign in as the municipality's admin."), null, code, caller);
        }
        var normalized = MunicipalityCode.Normalize(code);
        if (!MunicipalityCode.IsValid(normalized))
        {
            return (PhotoEndpoints.Problem(StatusCodes.Status404NotFound, ViolationCodes.NotFound, $"'{Rules.Echo(code)}' is not a municipality's CBS code (GM and four digits)."), null, code, caller);
        }
        if (throttle.AcquireWrite(caller, http) is { Allowed: false } limited)
        {
            http.Response.SetRetryAfter(limited);
            return (PhotoEndpoints.Problem(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", $"Too many uploads from this account; try again in {limited.RetryAfterSeconds} seconds."), null, normalized, caller);
        }
        using (CallerContext.As(caller))
        {
            var grain = grains.GetGrain<IMunicipalityGrain>(normalized);
            return (PhotoEndpoints.Refusal(await grain.CanSetPortalLogoAsync()), grain, normalized, caller);
        }
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string code, IGrainFactory grains, IServiceProvider services, TimeProvider time, Throttle throttle)
    {
        if (http.Request.ContentLength > MaxUploadBytes) return TooLarge();
        var (refused, grain, municipality, caller) = await AdminAsync(http, code, grains, throttle);
        if (refused is not null) return refused;
        CallerContext.Set(caller);

        var bytes = await PhotoEndpoints.ReadAtMostAsync(http.Request.Body, MaxUploadBytes + 1, http.RequestAborted);
        if (bytes.Length > MaxUploadBytes) return TooLarge();
        var (inspected, invalid) = PhotoInspection.Inspect(bytes);
        // The inspection speaks of photos; here the image is a logo.
        if (invalid is not null) return PhotoEndpoints.Rejected(invalid, invalid.Message.Replace("photo", "logo", StringComparison.Ordinal));
        var logoBytes = inspected!.Bytes;
        if (PortalLogoRules.Validate(inspected.Width, inspected.Height, logoBytes.Length) is [var first, ..]) return PhotoEndpoints.Rejected(first);
        if (services.GetService<PhotoStore>() is not { } store)
        {
            return PhotoEndpoints.Problem(StatusCodes.Status503ServiceUnavailable, "STORAGE_UNAVAILABLE", "Image storage is not configured on this gateway.");
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(logoBytes));
        var logo = new PortalLogo($"portal/logo-{sha256[..16]}.{PhotoRules.Extension(inspected.ContentType)}", inspected.ContentType,
            inspected.Width, inspected.Height, logoBytes.Length, sha256, time.GetUtcNow());
        var container = PhotoStore.ContainerOf(municipality);
        var before = (await grain!.GetAsync())?.PortalLogo;
        try
        {
            await store.UploadAsync(container, logo.BlobName, BinaryData.FromBytes(logoBytes), logo.ContentType, http.RequestAborted);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException or TimeoutException)
        {
            return PhotoEndpoints.Problem(StatusCodes.Status503ServiceUnavailable, "STORAGE_UNAVAILABLE", "The logo could not be stored just now; try again shortly.");
        }
        var set = await grain.SetPortalLogoAsync(logo);
        if (PhotoEndpoints.Refusal(set) is { } late)
        {
            if (before?.BlobName != logo.BlobName) await store.DeleteAsync(container, logo.BlobName, CancellationToken.None);
            return late;
        }
        // The one it replaced is no longer shown anywhere (pages name the logo by its version).
        if (before is not null && before.BlobName != logo.BlobName) await store.DeleteAsync(container, before.BlobName, CancellationToken.None);
        return Results.Ok(new { url = PathOf(municipality, logo), contentType = logo.ContentType, width = logo.Width, height = logo.Height, size = logo.Size, sha256 });
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, string code, IGrainFactory grains, IServiceProvider services, Throttle throttle)
    {
        var (refused, grain, municipality, caller) = await AdminAsync(http, code, grains, throttle);
        if (refused is not null) return refused;
        CallerContext.Set(caller);
        var before = (await grain!.GetAsync())?.PortalLogo;
        if (PhotoEndpoints.Refusal(await grain.SetPortalLogoAsync(null)) is { } late) return late;
        if (before is not null && services.GetService<PhotoStore>() is { } store) await store.DeleteAsync(PhotoStore.ContainerOf(municipality), before.BlobName, CancellationToken.None);
        return Results.Ok(new { removed = before is not null });
    }

    private static async Task<IResult> ReadAsync(HttpContext http, string code, string? v, IGrainFactory grains, IServiceProvider services)
    {
        var normalized = MunicipalityCode.Normalize(code);
        var logo = MunicipalityCode.IsValid(normalized) ? (await grains.GetGrain<IMunicipalityGrain>(normalized).GetAsync())?.PortalLogo : null;
        if (logo is null) return PhotoEndpoints.Problem(StatusCodes.Status404NotFound, ViolationCodes.NotFound, $"Municipality '{Rules.Echo(code)}' has no logo.");
        var etag = $"\"{logo.Sha256}\"";
        // At the address with its version the bytes never change; without it, ask again soon.
        http.Response.Headers.CacheControl = v == logo.Version ? "public, max-age=31536000, immutable" : "public, max-age=60";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        if (services.GetService<PhotoStore>() is not { } store
            || await store.DownloadAsync(PhotoStore.ContainerOf(normalized), logo.BlobName, http.RequestAborted) is not { } bytes)
        {
            http.Response.Headers.CacheControl = "no-store";
            return PhotoEndpoints.Problem(StatusCodes.Status503ServiceUnavailable, "STORAGE_UNAVAILABLE", "The logo cannot be read just now; try again shortly.");
        }
        return Results.Bytes(bytes.ToMemory(), logo.ContentType);
    }

    private static IResult TooLarge() =>
        PhotoEndpoints.Problem(StatusCodes.Status413PayloadTooLarge, ViolationCodes.TooLong, $"Send a logo of at most {MaxUploadBytes / (1024 * 1024)} MB; it is stored at most {PortalLogoRules.MaxBytes / 1024} KB.");
}
