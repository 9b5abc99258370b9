using System.Globalization;
using System.Text;

namespace EdgeOps.Ingest;

/// <summary>A growable byte buffer, kept per thread and reused for every message.</summary>
internal sealed class Utf8LineBuffer
{
    private byte[] _bytes = new byte[1024];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Truncate(int length) => Length = length;

    public void Append(byte value)
    {
        Ensure(1);
        _bytes[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_bytes.AsSpan(Length));
        Length += value.Length;
    }

    public int AppendUtf8(string value)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, _bytes.AsSpan(Length));
        Length += written;
        return written;
    }

    public bool AppendDouble(double value)
    {
        Ensure(32);
        if (!value.TryFormat(_bytes.AsSpan(Length), out var written, "R", CultureInfo.InvariantCulture))
        {
            return false;
        }

        Length += written;
        return true;
    }

    private void Ensure(int extra)
    {
        if (Length + extra > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + extra));
        }
    }
}
