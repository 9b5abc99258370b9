namespace EdgeOps.OpcUa.Types;

/// <summary>
/// Vendor diagnostics for a status code (Part 4 §7.12). Indexes point into the response header's string table.
/// Nested <see cref="InnerDiagnosticInfo"/> is recursive on the wire; the decoder caps the depth.
/// </summary>
public sealed record DiagnosticInfo
{
    /// <summary>Index of the symbolic id in the string table, or null.</summary>
    public int? SymbolicId { get; init; }
    /// <summary>Index of the namespace URI in the string table, or null.</summary>
    public int? NamespaceUri { get; init; }
    /// <summary>Index of the locale in the string table, or null.</summary>
    public int? Locale { get; init; }
    /// <summary>Index of the localized text in the string table, or null.</summary>
    public int? LocalizedText { get; init; }
    /// <summary>Vendor-specific detail, or null.</summary>
    public string? AdditionalInfo { get; init; }
    /// <summary>The status code of the inner operation, or null.</summary>
    public StatusCode? InnerStatusCode { get; init; }
    /// <summary>Diagnostics of the inner operation, or null.</summary>
    public DiagnosticInfo? InnerDiagnosticInfo { get; init; }
}
