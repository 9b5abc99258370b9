namespace EdgeOps.OpcUa.Types;

/// <summary>The 25 built-in types of OPC UA Binary (Part 6 §5.1.2); the numbers are their wire ids.</summary>
public enum BuiltInType : byte
{
    /// <summary>No value.</summary>
    Null = 0,
    /// <summary>Boolean.</summary>
    Boolean = 1,
    /// <summary>Signed 8-bit integer.</summary>
    SByte = 2,
    /// <summary>Unsigned 8-bit integer.</summary>
    Byte = 3,
    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 4,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 5,
    /// <summary>Signed 32-bit integer (also enumerations).</summary>
    Int32 = 6,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 7,
    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 8,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 9,
    /// <summary>IEEE 754 single precision.</summary>
    Float = 10,
    /// <summary>IEEE 754 double precision.</summary>
    Double = 11,
    /// <summary>UTF-8 string.</summary>
    String = 12,
    /// <summary>Date and time (100 ns ticks since 1601-01-01 UTC).</summary>
    DateTime = 13,
    /// <summary>Guid.</summary>
    Guid = 14,
    /// <summary>Byte string.</summary>
    ByteString = 15,
    /// <summary>XML element (kept as its UTF-8 text).</summary>
    XmlElement = 16,
    /// <summary>NodeId.</summary>
    NodeId = 17,
    /// <summary>ExpandedNodeId.</summary>
    ExpandedNodeId = 18,
    /// <summary>StatusCode.</summary>
    StatusCode = 19,
    /// <summary>QualifiedName.</summary>
    QualifiedName = 20,
    /// <summary>LocalizedText.</summary>
    LocalizedText = 21,
    /// <summary>ExtensionObject.</summary>
    ExtensionObject = 22,
    /// <summary>DataValue.</summary>
    DataValue = 23,
    /// <summary>Variant (only inside arrays).</summary>
    Variant = 24,
    /// <summary>DiagnosticInfo.</summary>
    DiagnosticInfo = 25,
}
