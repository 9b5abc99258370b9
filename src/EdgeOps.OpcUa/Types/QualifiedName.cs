using System.Globalization;

namespace EdgeOps.OpcUa.Types;

/// <summary>A name qualified by a namespace index, as browse names are (Part 3 §8.3).</summary>
/// <param name="NamespaceIndex">The namespace index.</param>
/// <param name="Name">The name; may be null on the wire.</param>
public sealed record QualifiedName(ushort NamespaceIndex, string? Name)
{
    /// <summary>The null QualifiedName.</summary>
    public static QualifiedName Null { get; } = new(0, null);

    /// <summary>Parses <c>2:Name</c> or <c>Name</c> (namespace 0).</summary>
    public static QualifiedName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && ushort.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ns))
        {
            return new QualifiedName(ns, text[(colon + 1)..]);
        }

        return new QualifiedName(0, text);
    }

    /// <inheritdoc />
    public override string ToString() =>
        NamespaceIndex == 0 ? Name ?? string.Empty : $"{NamespaceIndex.ToString(CultureInfo.InvariantCulture)}:{Name}";
}
