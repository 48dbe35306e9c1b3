using System.Security.Cryptography;
using Platform.Domain.Complaints;
using Platform.Domain.Validation;
using Platform.Gateway.Access;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains;
using Platform.Grains.Complaints;
using Platform.Gateway.Protection;
using Platform.ServiceDefaults.RateLimiting;

using Platform.Gateway.Mutations;
using Platform.Grains.Idempotency;

namespace Platform.Gateway.Complaints;

/// <summary>
/// <c>POST /complaints/{id}/photos</c>: the author attaches one photo (the raw bytes as the body). The
/// type is judged from the bytes; the grain decides whether this caller may add one more.
/// </summary>
public static class PhotoEndpoints
{
    public static IEndpointRouteBuilder MapPhotoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/complaints/{id}/photos", UploadAsync).DisableAntiforgery();
        app.MapPost("/t/{tenant}/complaints/{id}/photos", UploadAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string id, IGrainFactory grains, IServiceProvider services, TimeProvider time, Throttle throttle,
        KnownComplaints known)
    {
        var (outcome, caller, problem) = await CallerAuthentication.AuthenticateAsync(http);
        if (outcome != CallerAuthentication.Outcome.Authenticated)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(StatusCodes.Status401Unauthorized, ViolationCodes.Unauthenticated, problem ?? "Sign in as the citizen who filed the complaint.");
        }
        CallerContext.Set(caller);
        var key = GlobalId.KeyOf(ComplaintType.TypeName, id);
        if (key.Length == 0) return Problem(StatusCodes.Status404NotFound, ViolationCodes.NotFound, "The address names no complaint.");
        if (throttle.AcquireWrite(caller, http) is { Allowed: false } limited)
        {
            http.Response.SetRetryAfter(limited);
            return Problem(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", $"Too many uploads from this account; try again in {limited.RetryAfterSeconds} seconds.");
        }

        if (http.Request.ContentLength > PhotoRules.MaxBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, ViolationCodes.TooLong, $"A photo is at most {PhotoRules.MaxBytes / (1024 * 1024)} MB.");
        }
        // Who may add a photo is settled before a byte is decoded.
        if (!await known.MayExistAsync(key, http.RequestAborted)) return Problem(StatusCodes.Status404NotFound, ViolationCodes.NotFound, $"No complaint '{id}' is visible to you.");
        var complaint = grains.GetGrain<IComplaintGrain>(key);
        var snapshot = await complaint.GetAsync();
        if (snapshot is null) return Problem(StatusCodes.Status404NotFound, ViolationCodes.NotFound, $"No complaint '{id}' is visible to you.");

        // A client that retries an upload sends the Idempotency-Key header: the first answer comes back, one photo is stored.
        string? idempotencyKey = null;
        if (http.Request.Headers.TryGetValue(IdempotentRequest.HeaderName, out var header))
        {
            if (header.Count != 1) return Problem(StatusCodes.Status400BadRequest, ViolationCodes.OutOfRange, "Send one Idempotency-Key header.");
            idempotencyKey = header.ToString();
            if (IdempotentRequest.KeyProblem(idempotencyKey) is { } keyProblem) return Problem(StatusCodes.Status400BadRequest, ViolationCodes.OutOfRange, keyProblem);
        }
        if (idempotencyKey is null && Refusal(await complaint.CanAddPhotoAsync()) is { } refused) return refused;

        var bytes = await ReadAtMostAsync(http.Request.Body, PhotoRules.MaxBytes + 1, http.RequestAborted);
        var (inspected, invalid) = PhotoInspection.Inspect(bytes);
        if (invalid is not null) return Rejected(invalid);
        if (services.GetService<PhotoStore>() is not { } store)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "STORAGE_UNAVAILABLE", "Photo storage is not configured on this gateway.");
        }

        // What is stored is the photo decoded and encoded again: no metadata, no passengers.
        var photoBytes = inspected!.Bytes;
        var contentType = inspected.ContentType;
        var sha256 = Convert.ToHexString(SHA256.HashData(photoBytes)).ToLowerInvariant();
        IResult Created(string photoId) => Results.Created($"/complaints/{key}/photos/{photoId}",
            new { id = photoId, contentType, size = photoBytes.Length, width = inspected.Width, height = inspected.Height, sha256 });
        if (idempotencyKey is null) return await StoreAsync(Guid.NewGuid().ToString("N")[..12], null);

        var fingerprint = IdempotentRequest.Fingerprint([key, Convert.ToHexString(SHA256.HashData(bytes))]);
        var (ticket, record) = await IdempotentRequest.BeginAsync(grains, "photo-upload", caller, idempotencyKey, fingerprint);
        return ticket.Outcome switch
        {
            IdempotencyOutcome.KeyReused => Problem(StatusCodes.Status422UnprocessableEntity, ViolationCodes.IdempotencyKeyReused, IdempotentRequest.KeyReusedMessage(idempotencyKey, "a photo upload")),
            IdempotencyOutcome.InProgress => Problem(StatusCodes.Status409Conflict, ViolationCodes.InProgress, IdempotentRequest.InProgressMessage(idempotencyKey)),
            IdempotencyOutcome.Replay => ticket.FirstResult!.Succeeded ? Created(ticket.FirstResult.Id!) : Refusal(ticket.FirstResult)!,
            _ => await IdempotentRequest.RunAsync(record, ProceedAsync),
        };

        async Task<IResult> ProceedAsync()
        {
            var may = await complaint.CanAddPhotoAsync();
            if (may.Succeeded) return await StoreAsync(ticket.ReservedId, record);
            await IdempotentRequest.FinishAsync(record, may);
            return Refusal(may)!;
        }

        async Task<IResult> StoreAsync(string photoId, Platform.Grains.Idempotency.IIdempotencyGrain? idempotency)
        {
            var photo = new Photo(photoId, PhotoStore.ContainerOf(snapshot.Municipality), $"complaints/{key}/{photoId}.{PhotoRules.Extension(contentType)}",
                contentType, photoBytes.Length, sha256, time.GetUtcNow());
            try
            {
                await store.UploadAsync(photo.Container, photo.BlobName, BinaryData.FromBytes(photoBytes), contentType, http.RequestAborted);
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException or TimeoutException)
            {
                // Nothing was recorded: the same key may try again at once.
                if (idempotency is not null) await idempotency.AbandonAsync();
                return Problem(StatusCodes.Status503ServiceUnavailable, "STORAGE_UNAVAILABLE", "The photo could not be stored just now; try again shortly.");
            }
            var added = await complaint.AddPhotoAsync(photo);
            if (idempotency is not null) await IdempotentRequest.FinishAsync(idempotency, added.Succeeded ? CommandResult.Ok(photoId) : added);
            if (Refusal(added) is { } late)
            {
                // Another upload took the last place meanwhile: nothing may stay behind.
                await store.DeleteAsync(photo.Container, photo.BlobName, CancellationToken.None);
                return late;
            }
            return Created(photoId);
        }
    }

    /// <summary>An image refused for what it is: too large 413, not a decodable image of an allowed type 415, else 400.</summary>
    internal static IResult Rejected(RuleViolation problem, string? message = null) => Problem(problem.Code switch
    {
        ViolationCodes.TooLong => StatusCodes.Status413PayloadTooLarge,
        ViolationCodes.InvalidFormat => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    }, problem.Code, message ?? problem.Message);

    /// <summary>A refused command as a problem answer with the matching status; null when it succeeded.</summary>
    internal static IResult? Refusal(CommandResult result)
    {
        if (result.Succeeded) return null;
        var error = result.Errors[0];
        var status = error.Code switch
        {
            ViolationCodes.Forbidden => StatusCodes.Status403Forbidden,
            ViolationCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
            ViolationCodes.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status400BadRequest,
        };
        return Problem(status, error.Code, error.Message);
    }

    internal static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });

    internal static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0 && buffer.Length <= limit)
        {
            buffer.Write(chunk, 0, (int)Math.Min(read, limit + 1 - buffer.Length));
        }
        return buffer.ToArray();
    }
}
