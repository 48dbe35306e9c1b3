namespace Platform.Grains.Complaints;

/// <summary>
/// The service-level clock of every complaint: one activation in the cluster, woken each minute by one reminder, that
/// checks the complaints whose next check is due (their list row's <c>NextCheckAt</c>) in the order they became due.
/// One reminder row in all, where each open complaint had a reminder row of its own (100,000 rows at the scale seed).
/// </summary>
[Alias("Platform.IServiceLevelSweepGrain")]
public interface IServiceLevelSweepGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the sweep's reminder if it is not stored yet (each silo asks as it starts); writes nothing otherwise.</summary>
    [Alias("Arm")]
    Task ArmAsync();

    /// <summary>Checks the complaints that are due now and says what it did; for the platform itself and its tests (system callers only).</summary>
    [Alias("SweepNow")]
    Task<ServiceLevelSweep> SweepNowAsync();
}

/// <summary>What one sweep did: complaints checked, checks that failed (tried again on the next sweep), and whether it reached the end of what was due.</summary>
[GenerateSerializer, Immutable]
[Alias("Platform.ServiceLevelSweep")]
public sealed record ServiceLevelSweep([property: Id(0)] int Checked, [property: Id(1)] int Failed, [property: Id(2)] bool Complete);
