namespace EdgeOps.OpcUa.Types;

/// <summary>An XmlElement value kept as its text; this client never interprets it.</summary>
/// <param name="Xml">The XML text.</param>
public sealed record XmlElement(string Xml);
