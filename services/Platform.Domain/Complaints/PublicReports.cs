using Platform.Domain.Access;
using Platform.Domain.Validation;

namespace Platform.Domain.Complaints;

/// <summary>A place in WGS84 degrees.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude);

/// <summary>
/// What the public may know of a complaint: that there is a report of a service near a place, its status and its dates.
/// Never its text, photos, address or who filed it, and its place only on a grid of about 50 metres, so a report on a
/// quiet street does not point at one front door.
/// </summary>
public static class PublicReports
{
    /// <summary>The grid a public place is rounded to, in metres.</summary>
    public const double GridMetres = 50;

    /// <summary>The largest circle a search may ask for, in metres.</summary>
    public const int MaxRadiusMetres = 5_000;

    /// <summary>How long a closed report stays on the public map after it was filed; open reports stay while open.</summary>
    public static readonly TimeSpan ClosedReportsFor = TimeSpan.FromDays(90);

    private const double MetresPerDegreeLatitude = 111_320;
    private const double EarthRadiusMetres = 6_371_000;

    /// <summary>
    /// Whether a complaint in this status is shown at all: one rejected (not the executor's to handle) or merged into
    /// another (a duplicate) is not a report of anything open for the public.
    /// </summary>
    public static bool IsPublic(ComplaintStatus status) => status is not (ComplaintStatus.Rejected or ComplaintStatus.Duplicate);

    /// <summary>
    /// The centre of the grid cell the place falls in: latitude in steps of <see cref="GridMetres"/>, longitude in steps
    /// as wide at that latitude. Every place in a cell gives the same answer, so the exact place cannot be recovered.
    /// </summary>
    public static GeoPoint Round(double latitude, double longitude)
    {
        var latitudeStep = GridMetres / MetresPerDegreeLatitude;
        var roundedLatitude = Math.Clamp(Math.Round(latitude / latitudeStep) * latitudeStep, -89.9, 89.9);
        var longitudeStep = GridMetres / (MetresPerDegreeLatitude * Math.Cos(roundedLatitude * Math.PI / 180));
        var roundedLongitude = Math.Round(longitude / longitudeStep) * longitudeStep;
        return new(Math.Round(roundedLatitude, 6), Math.Round(roundedLongitude, 6));
    }

    /// <summary>The great-circle distance between two places, in metres (haversine).</summary>
    public static double DistanceMetres(GeoPoint a, GeoPoint b)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Latitude - a.Latitude);
        var dLon = Radians(b.Longitude - a.Longitude);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                + Math.Cos(Radians(a.Latitude)) * Math.Cos(Radians(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The box around a circle, for an indexed first cut before the exact distance.</summary>
    public static (GeoPoint SouthWest, GeoPoint NorthEast) BoxAround(GeoPoint centre, double radiusMetres)
    {
        var dLat = radiusMetres / MetresPerDegreeLatitude;
        var dLon = radiusMetres / (MetresPerDegreeLatitude * Math.Max(0.01, Math.Cos(centre.Latitude * Math.PI / 180)));
        return (new(centre.Latitude - dLat, centre.Longitude - dLon), new(centre.Latitude + dLat, centre.Longitude + dLon));
    }

    /// <summary>What is wrong with a search circle, or null: a place on earth and a radius from 1 m to <see cref="MaxRadiusMetres"/>.</summary>
    public static string? NearProblem(double latitude, double longitude, int radiusMetres)
    {
        if (!double.IsFinite(latitude) || latitude is < -90 or > 90) return $"latitude must be between -90 and 90 degrees; it was {latitude}.";
        if (!double.IsFinite(longitude) || longitude is < -180 or > 180) return $"longitude must be between -180 and 180 degrees; it was {longitude}.";
        if (radiusMetres is < 1 or > MaxRadiusMetres) return $"radiusMetres must be between 1 and {MaxRadiusMetres}; it was {radiusMetres}.";
        return null;
    }

    /// <summary>The most people who follow one report, and the most reports one person follows.</summary>
    public const int MaxFollowers = 1_000;
    public const int MaxFollowedPerPerson = 1_000;

    /// <summary>
    /// Who may follow a report someone else filed, to be mailed when its status changes: a person signed in for the
    /// municipality it was filed in (where the portal shows it to them), while it is public and open. What is not
    /// theirs to see is answered as not found; their own report, a closed one or a full list is named.
    /// </summary>
    /// <returns>Null when they may; else the problem.</returns>
    public static RuleViolation? FollowProblem(Caller caller, string id, string authorSubject, string municipality, ComplaintStatus status, int followers)
    {
        if (UnfollowProblem(caller, id, municipality, status) is { } hidden) return hidden;
        if (!Events.NotificationRules.IsMailAddress(caller.Subject)) return new("complaintId", ViolationCodes.Forbidden, "Your account has no mail address to tell you of changes.");
        if (string.Equals(caller.Subject, authorSubject, StringComparison.OrdinalIgnoreCase))
        {
            return new("complaintId", ViolationCodes.AlreadyExists, "You filed this report: every change to it is mailed to you already.");
        }
        if (!ComplaintWorkflow.Open.Contains(status))
        {
            return new("complaintId", ViolationCodes.Closed, $"This report is {status.ToString().ToLowerInvariant()} already, so there is nothing to follow; if the problem is still there, file it as a new report.");
        }
        if (followers >= MaxFollowers) return new("complaintId", ViolationCodes.OutOfRange, $"This report has {MaxFollowers} followers, the most it can have.");
        return null;
    }

    /// <summary>
    /// Who may stop following: a follower always (also once the report was rejected or merged, so no address stays behind
    /// when an account closes), and anyone who could see it to follow it (stopping twice is no problem).
    /// </summary>
    public static RuleViolation? UnfollowProblem(Caller caller, string id, string municipality, ComplaintStatus status, bool follows = false) =>
        caller.Kind == CallerKind.User && (follows || (caller.Organisation == municipality && IsPublic(status)))
            ? null
            : NotFollowable(id);

    /// <summary>The answer for a report that does not exist or is not the caller's to follow: the same, so neither is told apart.</summary>
    public static RuleViolation NotFollowable(string id) => new("complaintId", ViolationCodes.NotFound, $"No public report '{id}' in your municipality.");
}
