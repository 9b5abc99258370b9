using System.Text;

namespace EdgeOps.Ingest;

/// <summary>
/// Line-protocol lines as one UTF-8 body, each line ending in '\n': what a write request sends. Mappers append lines
/// as bytes (no string per line), writers send a range of lines as one slice of the body, and only the rare paths
/// (a dead letter, the durable buffer) turn lines into strings.
/// </summary>
public sealed class LineBatch
{
    private byte[] _bytes;
    private int _length;
    private int[] _ends = new int[64];
    private int _count;

    public LineBatch(int capacityBytes = 64 * 1024)
    {
        _bytes = new byte[Math.Max(capacityBytes, 256)];
    }

    /// <summary>Builds a batch from lines given as strings (no '\n' in them).</summary>
    public LineBatch(IEnumerable<string> lines)
        : this()
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            Add(line);
        }
    }

    /// <summary>Lines in the batch.</summary>
    public int Count => _count;

    /// <summary>Bytes in the body, newlines included.</summary>
    public int Length => _length;

    /// <summary>Line <paramref name="index"/> as a string, without its newline.</summary>
    public string this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            var start = index == 0 ? 0 : _ends[index - 1];
            return Encoding.UTF8.GetString(_bytes, start, _ends[index] - start - 1);
        }
    }

    /// <summary>Appends one line (its UTF-8 bytes, without a newline).</summary>
    public void Add(ReadOnlySpan<byte> line)
    {
        EnsureRoom(line.Length + 1);
        line.CopyTo(_bytes.AsSpan(_length));
        _length += line.Length;
        _bytes[_length++] = (byte)'\n';
        EndLine();
    }

    /// <summary>Appends one line given as a string (without a newline).</summary>
    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        EnsureRoom(Encoding.UTF8.GetMaxByteCount(line.Length) + 1);
        _length += Encoding.UTF8.GetBytes(line, _bytes.AsSpan(_length));
        _bytes[_length++] = (byte)'\n';
        EndLine();
    }

    /// <summary>The body of lines <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1, newlines included.</summary>
    public ReadOnlyMemory<byte> Body(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, _count);
        if (count == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var from = start == 0 ? 0 : _ends[start - 1];
        return _bytes.AsMemory(from, _ends[start + count - 1] - from);
    }

    /// <summary>The whole body.</summary>
    public ReadOnlyMemory<byte> Body() => _bytes.AsMemory(0, _length);

    /// <summary>Lines <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 as strings (the durable buffer keeps text).</summary>
    public List<string> ToStrings(int start, int count)
    {
        var lines = new List<string>(count);
        for (var i = start; i < start + count; i++)
        {
            lines.Add(this[i]);
        }

        return lines;
    }

    /// <summary>Forgets the lines after the first <paramref name="count"/> (a mapper declining a message it started).</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _count);
        _count = count;
        _length = count == 0 ? 0 : _ends[count - 1];
    }

    public void Clear()
    {
        _count = 0;
        _length = 0;
    }

    private void EnsureRoom(int bytes)
    {
        if (_length + bytes > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + bytes));
        }
    }

    private void EndLine()
    {
        if (_count == _ends.Length)
        {
            Array.Resize(ref _ends, _ends.Length * 2);
        }

        _ends[_count++] = _length;
    }
}
