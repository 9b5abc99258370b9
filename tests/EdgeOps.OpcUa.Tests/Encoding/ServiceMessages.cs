using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Encoding;

/// <summary>Valid response bodies written field by field from Part 4, as a server would send them.</summary>
internal static class ServiceMessages
{
    private static void Header(UaBinaryWriter w, RandomValues v)
    {
        w.WriteDateTime(v.DateTime());
        w.WriteUInt32((uint)v.Random.Next());
        w.WriteStatusCode(StatusCode.Good);
        w.WriteDiagnosticInfo(v.Random.Next(4) == 0 ? v.DiagnosticInfo() : null);
        w.WriteArray<string>(v.Random.Next(3) == 0 ? ["a", "b"] : null, static (x, s) => x.WriteString(s));
        w.WriteExtensionObject(null);
    }

    public static byte[] PublishResponse(RandomValues v, uint sequence = 1, IReadOnlyList<(uint Handle, DataValue Value)>? items = null)
    {
        var w = new UaBinaryWriter();
        w.WriteNodeId(NodeId.FromNumeric(829));
        Header(w, v);
        w.WriteUInt32(7);
        w.WriteArray([sequence], static (x, n) => x.WriteUInt32(n));
        w.WriteBoolean(false);
        w.WriteUInt32(sequence);
        w.WriteDateTime(DateTime.UtcNow);
        items ??= [.. Enumerable.Range(0, v.Random.Next(1, 6)).Select(i => ((uint)i, v.DataValue()))];
        w.WriteInt32(1);
        w.WriteNodeId(NodeId.FromNumeric(811));
        w.WriteByte(1);
        var lengthAt = w.Position;
        w.WriteInt32(0);
        w.WriteArray(items, static (x, item) =>
        {
            x.WriteUInt32(item.Handle);
            x.WriteDataValue(item.Value);
        });
        w.WriteInt32(-1);
        w.PatchUInt32(lengthAt, (uint)(w.Position - lengthAt - 4));
        w.WriteArray([StatusCode.Good], static (x, s) => x.WriteStatusCode(s));
        w.WriteInt32(-1);
        return w.ToArray();
    }

    public static byte[] ReadResponse(RandomValues v)
    {
        var w = new UaBinaryWriter();
        w.WriteNodeId(NodeId.FromNumeric(634));
        Header(w, v);
        w.WriteArray([.. Enumerable.Range(0, v.Random.Next(0, 5)).Select(_ => v.DataValue())], static (x, d) => x.WriteDataValue(d));
        w.WriteInt32(-1);
        return w.ToArray();
    }

    public static byte[] BrowseResponse(RandomValues v)
    {
        var w = new UaBinaryWriter();
        w.WriteNodeId(NodeId.FromNumeric(530));
        Header(w, v);
        w.WriteInt32(1);
        w.WriteStatusCode(StatusCode.Good);
        w.WriteByteString(v.Bytes());
        w.WriteArray([.. Enumerable.Range(0, v.Random.Next(0, 4))], (x, _) =>
        {
            x.WriteNodeId(NodeId.FromNumeric(47));
            x.WriteBoolean(true);
            x.WriteExpandedNodeId(v.ExpandedNodeId());
            x.WriteQualifiedName(v.QualifiedName());
            x.WriteLocalizedText(v.LocalizedText());
            x.WriteInt32(2);
            x.WriteExpandedNodeId(v.ExpandedNodeId());
        });
        w.WriteInt32(-1);
        return w.ToArray();
    }
}
