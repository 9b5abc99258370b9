using System.Diagnostics;

namespace EdgeOps.TestSupport.Storage;

/// <summary>
/// A real, size-limited file system for disk-full tests: a tmpfs mounted with <c>size=</c> on a fresh temporary
/// directory (needs root, as CI runs; without it the test fails with the reason, it never skips). <see cref="Fill"/>
/// writes a filler file until the file system has only a given number of bytes left (or none: ENOSPC for every
/// writer); <see cref="Free"/> deletes the fillers. Disposing unmounts (lazily, should a process still hold a file)
/// and removes the directory.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly string _root;
    private int _fillers;

    private SmallDisk(string root, string mountPoint)
    {
        _root = root;
        Path = mountPoint;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Bytes free right now, as the gateway's guard reads them.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> bytes.</summary>
    public static SmallDisk Mount(long bytes)
    {
        var root = Directory.CreateTempSubdirectory("edgeops-smalldisk-").FullName;
        var mountPoint = System.IO.Path.Combine(root, "mnt");
        Directory.CreateDirectory(mountPoint);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes},mode=0755", "tmpfs", mountPoint);
        if (code != 0)
        {
            Directory.Delete(root, recursive: true);
            throw new InvalidOperationException(
                $"mount -t tmpfs -o size={bytes} failed (exit {code}): {output.Trim()}. The disk-full tests need root to mount a size-limited tmpfs.");
        }

        return new SmallDisk(root, mountPoint);
    }

    /// <summary>Writes filler until at most <paramref name="leaveBytes"/> are free (0: until the file system refuses).</summary>
    public void Fill(long leaveBytes)
    {
        var file = System.IO.Path.Combine(Path, $"filler-{_fillers++}");
        var chunk = new byte[64 * 1024];
        using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                var room = FreeBytes - leaveBytes;
                if (room <= 0)
                {
                    break;
                }

                stream.Write(chunk, 0, (int)Math.Min(chunk.Length, room));
            }
        }
        catch (IOException) when (leaveBytes == 0)
        {
            // ENOSPC: full, as asked.
        }
    }

    /// <summary>Deletes every filler: the space comes back.</summary>
    public void Free()
    {
        foreach (var file in Directory.EnumerateFiles(Path, "filler-*"))
        {
            File.Delete(file);
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the lazy unmount may still be detaching.
        }
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
