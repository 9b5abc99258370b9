using System.Runtime.InteropServices;

namespace EdgeOps.Gateway.Doctor;

/// <summary>Owner, group and mode of a file (statx(2): its layout is the same on every architecture).</summary>
internal sealed record UnixFileOwner(uint Uid, uint Gid, UnixFileMode Mode)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary>Reads the file's owner; null when it does not exist or cannot be read.</summary>
    public static UnixFileOwner? Read(string path)
    {
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx: stx_uid at 20, stx_gid at 24, stx_mode (u16) at 28.
        var uid = BitConverter.ToUInt32(buffer, 20);
        var gid = BitConverter.ToUInt32(buffer, 24);
        var mode = (UnixFileMode)(BitConverter.ToUInt16(buffer, 28) & 0xfff);
        return new UnixFileOwner(uid, gid, mode);
    }

    /// <summary>Whether <paramref name="account"/> may read and write the file by its owner, group and mode bits.</summary>
    public bool CanReadWrite(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.Uid == 0)
        {
            return true;
        }

        if (account.Uid == Uid)
        {
            return Mode.HasFlag(UnixFileMode.UserRead) && Mode.HasFlag(UnixFileMode.UserWrite);
        }

        if (account.Gids.Contains(Gid))
        {
            return Mode.HasFlag(UnixFileMode.GroupRead) && Mode.HasFlag(UnixFileMode.GroupWrite);
        }

        return Mode.HasFlag(UnixFileMode.OtherRead) && Mode.HasFlag(UnixFileMode.OtherWrite);
    }

    /// <summary>Like <c>ls -l</c>: rw-rw---- etc.</summary>
    public string ModeText()
    {
        Span<char> text = stackalloc char[9];
        var bits = (int)Mode;
        const string letters = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            text[i] = (bits & (1 << (8 - i))) != 0 ? letters[i] : '-';
        }

        return new string(text);
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
