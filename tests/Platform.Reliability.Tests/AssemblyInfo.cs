// The collections of this assembly each start platform processes of their own, and measure them on a machine of two
// cores: run one collection at a time, so a collection's processes are stopped before the next one starts.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
