using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeOps.Benchmarks.Modbus;

/// <summary>
/// Where this process's CPU goes, by thread name (".NET TP Worker", ".NET Timer", ".NET Sockets", …), from
/// <c>/proc/self/task/*/schedstat</c> (nanoseconds on a CPU): a profiler that needs no EventPipe. Threads that end
/// inside the window are missed; the process total (which includes them) is measured apart.
/// </summary>
internal static class ThreadCpu
{
    private const int ClockProcessCpuTime = 2;

    /// <summary>
    /// This process's CPU time by <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>, the clock Python's
    /// <c>time.process_time()</c> reads (the scheduler's exact run time of every thread, ended ones included), so ours
    /// and pymodbus's are measured alike. <see cref="System.Diagnostics.Process.TotalProcessorTime"/> reads the
    /// tick-sampled utime and stime of /proc instead.
    /// </summary>
    public static TimeSpan ProcessTime()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockProcessCpuTime, out var now) != 0)
        {
            return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        }

        return TimeSpan.FromTicks((now.Seconds * TimeSpan.TicksPerSecond) + (now.Nanoseconds / 100));
    }

    /// <summary>Nanoseconds run so far per thread id, with the thread's name.</summary>
    public static Dictionary<int, (string Name, long Nanoseconds)> Snapshot()
    {
        var result = new Dictionary<int, (string, long)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return result;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var tid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                var run = long.Parse(File.ReadAllText(Path.Combine(dir, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                result[tid] = (name, run);
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return result;
    }

    /// <summary>CPU milliseconds per thread name between two snapshots, largest first, with the number of threads.</summary>
    public static string Breakdown(Dictionary<int, (string Name, long Nanoseconds)> before, Dictionary<int, (string Name, long Nanoseconds)> after)
    {
        var groups = after
            .Select(t => (t.Value.Name, Ns: t.Value.Nanoseconds - (before.TryGetValue(t.Key, out var b) && b.Name == t.Value.Name ? b.Nanoseconds : 0)))
            .Where(t => t.Ns > 0)
            .GroupBy(t => t.Name)
            .Select(g => (Name: g.Key, Ms: g.Sum(t => t.Ns) / 1e6, Threads: g.Count()))
            .OrderByDescending(g => g.Ms);
        return string.Join(", ", groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Name}×{g.Threads} {g.Ms:0.0} ms")));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out Timespec time);
}
