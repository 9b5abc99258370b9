using System.Globalization;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// The birth/death sequence number (<c>bdSeq</c>, 0-255) of the edge node, kept in a small file in the data directory.
/// Each connect takes the next number and makes it durable (written in place and fsynced) before the
/// CONNECT carries it in the will, so the NBIRTH of that session and the NDEATH that ends it (the broker's will after a
/// SIGKILL or power cut, or our own on a clean stop) always carry the same number, and a restart never reuses it.
/// </summary>
public sealed class BdSeqStore
{
    private readonly string _path;

    /// <summary>Keeps the number in <paramref name="path"/>.</summary>
    public BdSeqStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
    }

    /// <summary>The file.</summary>
    public string Path => _path;

    /// <summary>The number of the last session, or null before the first.</summary>
    public int? Last
    {
        get
        {
            if (!File.Exists(_path))
            {
                return null;
            }

            var text = File.ReadAllText(_path).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 255
                ? value
                : throw new InvalidDataException($"{_path} holds '{text}', not a bdSeq (0-255); delete it to start again at 0");
        }
    }

    /// <summary>Takes the next number (wrapping 255 to 0) and makes it durable before returning it.</summary>
    public int Next()
    {
        var next = Last is { } last ? (last + 1) % 256 : 0;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path))!);

        // Rewritten in place and fsynced: four bytes in one sector, which a disk writes whole, so no rename (and no
        // directory fsync) is needed for the number to survive a power cut.
        using var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
        var text = System.Text.Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture).PadLeft(3, '0') + "\n");
        stream.Write(text);
        stream.SetLength(text.Length);
        stream.Flush(flushToDisk: true);
        return next;
    }
}
