using System.Diagnostics;
using System.Globalization;

namespace EdgeOps.Benchmarks.Historian;

/// <summary>
/// CPU time (user + system) another process has used so far, from <c>/proc/&lt;pid&gt;/stat</c>: how the benchmark
/// charges Mosquitto and the server, which run outside its own process.
/// </summary>
internal static class ProcessCpu
{
    private static readonly Lazy<int> TicksPerSecond = new(ReadClockTicks);

    /// <summary>Clock ticks per second of <c>/proc</c>'s times (<c>getconf CLK_TCK</c>, 100 on Linux x86-64 and arm64).</summary>
    public static int ClockTicks => TicksPerSecond.Value;

    /// <summary>The process's utime + stime, or null when there is none (or it has exited).</summary>
    public static TimeSpan? Of(int? pid)
    {
        if (pid is not { } id)
        {
            return null;
        }

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{id}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ')'.
        // utime and stime are fields 14 and 15, i.e. the 12th and 13th after the state (field 3).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicks);
    }

    private static int ReadClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run getconf CLK_TCK.");
        var text = getconf.StandardOutput.ReadToEnd().Trim();
        getconf.WaitForExit();
        return int.Parse(text, CultureInfo.InvariantCulture);
    }
}
