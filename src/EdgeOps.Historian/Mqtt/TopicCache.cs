namespace EdgeOps.Historian.Mqtt;

/// <summary>
/// Topic strings by their UTF-8 bytes: a line publishes the same few hundred topics over and over, so the read loop
/// decodes each once instead of allocating a string per message. Direct-mapped; a collision just replaces the entry.
/// Used by one thread (the read loop).
/// </summary>
internal sealed class TopicCache
{
    private const int Size = 4096;
    private readonly byte[]?[] _keys = new byte[]?[Size];
    private readonly string?[] _values = new string?[Size];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = hash.ToHashCode() & (Size - 1);
        if (_keys[slot] is { } key && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        // Invalid UTF-8 shows as replacement characters: the topic then names itself in the dead letter.
        var topic = System.Text.Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = topic;
        return topic;
    }
}
