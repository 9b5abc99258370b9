using System.Runtime.InteropServices;

namespace EdgeOps.TestSupport.Processes;

/// <summary>POSIX signals to one PID (Process.Kill only sends SIGKILL).</summary>
public static partial class NativeSignals
{
    public const int SigTerm = 15;
    public const int SigStop = 19;
    public const int SigCont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
