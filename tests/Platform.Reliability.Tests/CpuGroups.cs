using System.Globalization;

namespace Platform.Reliability.Tests;

/// <summary>
/// The cores divided between the platform's processes as Kubernetes divides a node's cores between pods: each process in
/// a control group of its own (Linux's <c>cpu</c> controller), weighted by its container's CPU request and capped at its
/// limit, inside one group weighted by the node's cores (the kubelet's <c>kubepods</c>). Without it every thread on the
/// machine weighs the same, so a process that has just started and compiles on several threads takes the cores from the
/// processes serving requests beside it, which pods on a cluster cannot do to each other. Processes outside the cluster
/// (the load and the identity server in the test's own process, Azurite, PostgreSQL) stay where they are, as the node's
/// other processes and the cloud's services do.
/// <para>
/// cgroup v1 (<c>/sys/fs/cgroup/cpu</c>: <c>cpu.shares</c>, <c>cpu.cfs_quota_us</c>, as this machine has it), converted as
/// the kubelet converts them. Needs write access to the hierarchy (root); where it has none, <see cref="TryCreate"/> says
/// why and the processes share the cores as before.
/// </para>
/// </summary>
public sealed class CpuGroups : IDisposable
{
    private const int Period = 100_000;
    private const string Hierarchy = "/sys/fs/cgroup/cpu";
    private const string RootProcs = Hierarchy + "/cgroup.procs";
    private readonly string folder;
    private readonly bool limits;

    private CpuGroups(string folder, bool limits)
    {
        this.folder = folder;
        this.limits = limits;
    }

    /// <summary>What the groups are, for the rehearsal's figures.</summary>
    public string Description { get; private set; } = "";

    /// <summary>
    /// A parent group for one run (weighted by the machine's cores), or null and the reason; with <paramref name="limits"/>
    /// false the groups are weighted by the requests but not capped.
    /// </summary>
    public static CpuGroups? TryCreate(bool limits, out string why)
    {
        var name = $"platform-rehearsal-{Environment.ProcessId}";
        try
        {
            if (File.Exists(Path.Combine(Hierarchy, "cpu.shares")))
            {
                RemoveStale();
                var groups = new CpuGroups(Path.Combine(Hierarchy, name), limits);
                Directory.CreateDirectory(groups.folder);
                groups.Set(groups.folder, Environment.ProcessorCount * 1000, limit: null);
                why = "";
                return groups;
            }
            why = "no cgroup v1 cpu controller at /sys/fs/cgroup/cpu (cgroup v2 alone is not supported)";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"the cgroup cpu controller is not writable here ({e.Message})";
            return null;
        }
    }

    /// <summary>
    /// The group of one process, weighted by <paramref name="requestMillicores"/> and capped at
    /// <paramref name="limitMillicores"/>, as a container's <c>resources</c> in the manifests.
    /// </summary>
    public Group Add(string name, int requestMillicores, int limitMillicores)
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(path);
        Set(path, requestMillicores, limits ? limitMillicores : null);
        Description += string.Create(CultureInfo.InvariantCulture,
            $"{(Description.Length == 0 ? "" : ", ")}{name} {requestMillicores}m{(limits ? $" to {limitMillicores}m" : "")}");
        return new Group(path);
    }

    /// <summary>
    /// A container's CPU request and limit in millicores, read from its manifest in <c>infra/kubernetes/base</c>
    /// (<c>cpu: 500m</c>, <c>cpu: "2"</c>), so the rehearsal weighs each process as the cluster would.
    /// </summary>
    public static (int Request, int Limit) Resources(string manifest)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "infra", "kubernetes", "base", manifest));
        int Read(string section)
        {
            var match = System.Text.RegularExpressions.Regex.Match(text, section + @":\s*\n\s*cpu:\s*""?(\d+)(m?)""?");
            if (!match.Success) throw new InvalidOperationException($"{manifest} names no CPU {section}");
            var value = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value == "m" ? value : value * 1000;
        }
        return (Read("requests"), Read("limits"));
    }

    private void Set(string path, int requestMillicores, int? limit)
    {
        // The kubelet's conversion: shares = millicores × 1024 / 1000 (at least 2); the limit as a CFS quota per period.
        var shares = Math.Max(2, requestMillicores * 1024 / 1000);
        File.WriteAllText(Path.Combine(path, "cpu.shares"), shares.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(path, "cpu.cfs_period_us"), Period.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(path, "cpu.cfs_quota_us"), (limit is { } l ? l * Period / 1000 : -1).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Groups an earlier run left behind (its process killed before it removed them).</summary>
    private static void RemoveStale()
    {
        foreach (var stale in Directory.EnumerateDirectories(Hierarchy, "platform-rehearsal-*"))
        {
            if (int.TryParse(Path.GetFileName(stale)["platform-rehearsal-".Length..], out var owner) && ProcessAlive(owner)) continue;
            Remove(stale);
        }
    }

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private static void Remove(string group)
    {
        foreach (var child in Directory.EnumerateDirectories(group)) Remove(child);
        try
        {
            // A process still in it (one the run did not stop) goes back to the root group, so the group can go.
            foreach (var pid in File.ReadAllLines(Path.Combine(group, "cgroup.procs")).Where(l => l.Length > 0))
            {
                try { File.WriteAllText(RootProcs, pid); } catch (IOException) { }
            }
            Directory.Delete(group);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => Remove(folder);

    /// <summary>One process's group: a process started later joins it with <see cref="Join"/>.</summary>
    public sealed class Group(string path)
    {
        /// <summary>Moves the process (every thread of it) into the group; its children are born in it.</summary>
        public void Join(int pid)
        {
            try
            {
                File.WriteAllText(Path.Combine(path, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // It has exited already (a process that failed to start): nothing to weigh.
            }
        }
    }
}
