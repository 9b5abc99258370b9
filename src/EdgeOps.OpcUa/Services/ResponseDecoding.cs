using EdgeOps.OpcUa.Encoding;

namespace EdgeOps.OpcUa.Services;

/// <summary>
/// A structure that decodes itself from the wire (after its encoding id): what <see cref="ResponseDecoders"/> and
/// <see cref="KnownTypes"/> register by type, with no hand-written lambda per entry.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface IUaDecodable<TSelf>
{
    static abstract TSelf Decode(ref UaBinaryReader r);
}

/// <summary>The tail most Part 4 responses share: one result per operation, then the (ignored) diagnostics.</summary>
internal static class ServiceResults
{
    /// <summary>
    /// Reads the Results array and the DiagnosticInfos array after it. Diagnostics are decoded (so their bytes are
    /// checked and skipped) but not kept: the client never asks for them.
    /// </summary>
    public static T[] Read<T>(ref UaBinaryReader r, ElementReader<T> read, int minElementSize)
    {
        var results = r.ReadList(read, minElementSize, "Results");
        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return results;
    }
}

/// <summary>A response that is a header, one result per operation, and diagnostics (Read, Write, Browse, Call, …).</summary>
/// <typeparam name="TResult">The per-operation result.</typeparam>
internal abstract class ResultsResponse<TResult> : UaResponse
{
    public TResult[] Results { get; set; } = [];

    /// <summary>Header + results + diagnostics into a new <typeparamref name="TSelf"/>.</summary>
    protected static TSelf DecodeResults<TSelf>(ref UaBinaryReader r, ElementReader<TResult> read, int minElementSize)
        where TSelf : ResultsResponse<TResult>, new()
    {
        var header = ResponseHeader.Decode(ref r);
        return new TSelf { Header = header, Results = ServiceResults.Read(ref r, read, minElementSize) };
    }
}
