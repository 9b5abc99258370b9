namespace EdgeOps.OpcUa.Types;

/// <summary>Human-readable text with an optional locale (Part 3 §8.5).</summary>
/// <param name="Locale">The locale (e.g. "en-US"), or null.</param>
/// <param name="Text">The text, or null.</param>
public sealed record LocalizedText(string? Locale, string? Text)
{
    /// <summary>The null LocalizedText.</summary>
    public static LocalizedText Null { get; } = new(null, null);

    /// <inheritdoc />
    public override string ToString() => Text ?? string.Empty;
}
