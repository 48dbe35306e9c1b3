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
}
