namespace EdgeOps.Contract.Sparkplug;

/// <summary>Sparkplug B 3.0 data types (the <c>datatype</c> of a metric, the <c>type</c> of a property value).</summary>
public enum SparkplugDataType : uint
{
    /// <summary>Not given (allowed in data messages; the birth said it).</summary>
    Unknown = 0,

    /// <summary>Signed 8-bit, in <c>int_value</c>.</summary>
    Int8 = 1,

    /// <summary>Signed 16-bit, in <c>int_value</c>.</summary>
    Int16 = 2,

    /// <summary>Signed 32-bit, in <c>int_value</c> (two's complement).</summary>
    Int32 = 3,

    /// <summary>Signed 64-bit, in <c>long_value</c> (two's complement).</summary>
    Int64 = 4,

    /// <summary>Unsigned 8-bit, in <c>int_value</c>.</summary>
    UInt8 = 5,

    /// <summary>Unsigned 16-bit, in <c>int_value</c>.</summary>
    UInt16 = 6,

    /// <summary>Unsigned 32-bit, in <c>long_value</c> (as Eclipse Tahu's decoders read it).</summary>
    UInt32 = 7,

    /// <summary>Unsigned 64-bit, in <c>long_value</c>.</summary>
    UInt64 = 8,

    /// <summary>32-bit float.</summary>
    Float = 9,

    /// <summary>64-bit float.</summary>
    Double = 10,

    /// <summary>Boolean.</summary>
    Boolean = 11,

    /// <summary>UTF-8 string.</summary>
    String = 12,

    /// <summary>Milliseconds since the Unix epoch (UTC), in <c>long_value</c>.</summary>
    DateTime = 13,

    /// <summary>UTF-8 text.</summary>
    Text = 14,

    /// <summary>A UUID as a string.</summary>
    Uuid = 15,

    /// <summary>A data set (not produced; skipped on decode).</summary>
    DataSet = 16,

    /// <summary>Bytes.</summary>
    Bytes = 17,

    /// <summary>A file (bytes).</summary>
    File = 18,

    /// <summary>A template (not produced; skipped on decode).</summary>
    Template = 19,

    /// <summary>A property set (property values only).</summary>
    PropertySet = 20,

    /// <summary>A list of property sets (property values only).</summary>
    PropertySetList = 21,
}
