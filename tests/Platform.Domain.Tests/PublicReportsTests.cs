using Platform.Domain.Access;
using Platform.Domain.Complaints;
using Platform.Domain.Validation;

namespace Platform.Domain.Tests;

public sealed class PublicReportsTests
{
    // Hoorn's Roode Steen, and a place 12 m east of it.
    private static readonly GeoPoint Square = new(52.6413, 5.0597);

    [Theory]
    [InlineData(52.6413, 5.0597)]
    [InlineData(52.37403, 4.88969)]
    [InlineData(53.2194, 6.5665)]
    [InlineData(50.8514, 5.6910)]
    public void A_rounded_place_is_within_the_grid_of_the_real_one_and_not_the_real_one(double latitude, double longitude)
    {
        var real = new GeoPoint(latitude, longitude);
        var rounded = PublicReports.Round(latitude, longitude);

        // At most half a cell away on each axis: the diagonal of half a 50 m cell is about 35 m.
        Assert.InRange(PublicReports.DistanceMetres(real, rounded), 0, PublicReports.GridMetres * 0.75);
        Assert.NotEqual(real, rounded);
    }

    [Fact]
    public void Places_in_the_same_cell_give_the_same_answer_so_the_real_place_cannot_be_recovered()
    {
        var cell = PublicReports.Round(Square.Latitude, Square.Longitude);
        // Nudge around the cell's centre by less than half a cell (50 m is about 0.00045 degrees of latitude here).
        var nudged = new[] { (0.0001, 0.0001), (-0.0001, 0.0002), (0.00015, -0.0002) }
            .Select(d => PublicReports.Round(cell.Latitude + d.Item1, cell.Longitude + d.Item2));

        Assert.All(nudged, n => Assert.Equal(cell, n));
    }

    [Fact]
    public void Places_a_cell_apart_give_different_answers_about_50_metres_apart()
    {
        var a = PublicReports.Round(Square.Latitude, Square.Longitude);
        var b = PublicReports.Round(a.Latitude + 0.00045, a.Longitude);
        var c = PublicReports.Round(a.Latitude, a.Longitude + 0.00074);

        Assert.InRange(PublicReports.DistanceMetres(a, b), 45, 55);
        Assert.InRange(PublicReports.DistanceMetres(a, c), 45, 55);
    }

    [Fact]
    public void Distances_match_known_ones()
    {
        // A degree along a meridian, and along the equator, is 111.2 km on a sphere of the earth's mean radius (6,371 km).
        Assert.InRange(PublicReports.DistanceMetres(new(52, 5), new(53, 5)), 111_150, 111_250);
        Assert.InRange(PublicReports.DistanceMetres(new(0, 5), new(0, 6)), 111_150, 111_250);
        // At 60 degrees north a degree of longitude is half as long.
        Assert.InRange(PublicReports.DistanceMetres(new(60, 5), new(60, 6)), 55_550, 55_650);
        Assert.Equal(0, PublicReports.DistanceMetres(Square, Square), 6);
    }

    [Fact]
    public void The_box_around_a_circle_holds_the_circle_and_little_more()
    {
        var (sw, ne) = PublicReports.BoxAround(Square, 500);

        Assert.InRange(PublicReports.DistanceMetres(Square, new(ne.Latitude, Square.Longitude)), 495, 505);
        Assert.InRange(PublicReports.DistanceMetres(Square, new(Square.Latitude, ne.Longitude)), 495, 505);
        Assert.InRange(PublicReports.DistanceMetres(Square, new(sw.Latitude, sw.Longitude)), 700, 710);
    }

    [Theory]
    [InlineData(ComplaintStatus.Submitted, true)]
    [InlineData(ComplaintStatus.InProgress, true)]
    [InlineData(ComplaintStatus.Closed, true)]
    [InlineData(ComplaintStatus.Reopened, true)]
    [InlineData(ComplaintStatus.Rejected, false)]
    [InlineData(ComplaintStatus.Duplicate, false)]
    public void Rejected_and_duplicate_reports_are_not_public(ComplaintStatus status, bool shown) =>
        Assert.Equal(shown, PublicReports.IsPublic(status));

    [Theory]
    [InlineData(91, 5, 100, "latitude")]
    [InlineData(double.NaN, 5, 100, "latitude")]
    [InlineData(52, 181, 100, "longitude")]
    [InlineData(52, 5, 0, "radiusMetres")]
    [InlineData(52, 5, 5001, "radiusMetres")]
    public void A_wrong_search_circle_is_named(double latitude, double longitude, int radius, string named)
    {
        var problem = PublicReports.NearProblem(latitude, longitude, radius);
        Assert.NotNull(problem);
        Assert.StartsWith(named, problem);
    }

    [Fact]
    public void A_right_search_circle_has_no_problem() => Assert.Null(PublicReports.NearProblem(52.64, 5.06, 5000));

    private static Caller Person(string subject = "piet@example.nl", string? organisation = "GM0405", CallerKind kind = CallerKind.User) =>
        new(kind, subject, organisation, kind == CallerKind.User ? [Roles.Citizen] : [], kind == CallerKind.Partner ? [Scopes.ComplaintsRead] : []);

    /// <summary>Who may follow a report filed by ans@example.nl in Hoorn (GM0405), in which state; null where they may.</summary>
    [Theory]
    [InlineData("piet@example.nl", "GM0405", CallerKind.User, ComplaintStatus.Submitted, 0, null)]
    [InlineData("piet@example.nl", "GM0405", CallerKind.User, ComplaintStatus.InProgress, 999, null)]
    [InlineData("piet@example.nl", "GM0405", CallerKind.User, ComplaintStatus.Submitted, 1000, ViolationCodes.OutOfRange)]
    [InlineData("ANS@example.nl", "GM0405", CallerKind.User, ComplaintStatus.Submitted, 0, ViolationCodes.AlreadyExists)]
    [InlineData("piet@example.nl", "GM0363", CallerKind.User, ComplaintStatus.Submitted, 0, ViolationCodes.NotFound)]
    [InlineData("piet@example.nl", null, CallerKind.User, ComplaintStatus.Submitted, 0, ViolationCodes.NotFound)]
    [InlineData("demo-partner", "GM0405", CallerKind.Partner, ComplaintStatus.Submitted, 0, ViolationCodes.NotFound)]
    [InlineData("anonymous", null, CallerKind.Anonymous, ComplaintStatus.Submitted, 0, ViolationCodes.NotFound)]
    [InlineData("piet@example.nl", "GM0405", CallerKind.User, ComplaintStatus.Rejected, 0, ViolationCodes.NotFound)]
    [InlineData("piet@example.nl", "GM0405", CallerKind.User, ComplaintStatus.Duplicate, 0, ViolationCodes.NotFound)]
    [InlineData("piet@example.nl", "GM0405", CallerKind.User, ComplaintStatus.Resolved, 0, ViolationCodes.Closed)]
    [InlineData("piet@example.nl", "GM0405", CallerKind.User, ComplaintStatus.Closed, 0, ViolationCodes.Closed)]
    [InlineData("Piet Jansen", "GM0405", CallerKind.User, ComplaintStatus.Submitted, 0, ViolationCodes.Forbidden)]
    public void Following_is_for_people_of_the_reports_municipality_while_it_is_public_and_open(string subject, string? organisation, CallerKind kind,
        ComplaintStatus status, int followers, string? problem)
    {
        var found = PublicReports.FollowProblem(Person(subject, organisation, kind), "c-1", "ans@example.nl", "GM0405", status, followers);

        Assert.Equal(problem, found?.Code);
        if (found is not null) Assert.Equal("complaintId", found.Field);
    }

    [Fact]
    public void Stopping_is_allowed_wherever_following_could_be_seen_even_once_the_report_is_closed()
    {
        Assert.Null(PublicReports.UnfollowProblem(Person(), "c-1", "GM0405", ComplaintStatus.Closed));
        Assert.Equal(ViolationCodes.NotFound, PublicReports.UnfollowProblem(Person(organisation: "GM0363"), "c-1", "GM0405", ComplaintStatus.Submitted)?.Code);
        Assert.Equal(ViolationCodes.NotFound, PublicReports.UnfollowProblem(Person(), "c-1", "GM0405", ComplaintStatus.Rejected)?.Code);
        // A follower always may: the report was rejected since, or they are asked from elsewhere (their account closing).
        Assert.Null(PublicReports.UnfollowProblem(Person(), "c-1", "GM0405", ComplaintStatus.Rejected, follows: true));
        Assert.Null(PublicReports.UnfollowProblem(Person(organisation: "GM0363"), "c-1", "GM0405", ComplaintStatus.Duplicate, follows: true));
        Assert.Equal(ViolationCodes.NotFound, PublicReports.UnfollowProblem(Person("demo-partner", "GM0405", CallerKind.Partner), "c-1", "GM0405", ComplaintStatus.Submitted, follows: true)?.Code);
        // A report that does not exist and one that is not yours to follow read the same.
        Assert.Equal(PublicReports.NotFollowable("c-1").Message, PublicReports.FollowProblem(Person(organisation: "GM0363"), "c-1", "ans@example.nl", "GM0405", ComplaintStatus.Submitted, 0)!.Message);
    }
}
