using System.Runtime.InteropServices;

namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// The kernel's own view of clock synchronisation: adjtimex(2) returns TIME_ERROR while no NTP daemon
/// (systemd-timesyncd, chrony, ntpd) has disciplined the clock. Works for all of them, unlike a daemon's status file.
/// </summary>
internal static partial class KernelClock
{
    private const int TimeError = 5;

    public static bool? IsSynchronized()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // struct timex is about 208 bytes on 64-bit; modes = 0 (the first field) only reads.
            var timex = new byte[512];
            var state = Adjtimex(timex);
            return state < 0 ? null : state != TimeError;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Adjtimex(byte[] timex);
}
