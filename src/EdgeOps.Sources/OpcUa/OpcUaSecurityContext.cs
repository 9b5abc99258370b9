using EdgeOps.OpcUa.Security;

namespace EdgeOps.Sources.OpcUa;

/// <summary>The gateway's OPC UA certificate store and application instance certificate, shared by every endpoint.</summary>
/// <param name="Pki">Trusted, issuer and rejected server certificates (under the data directory).</param>
/// <param name="Certificate">Our application instance certificate.</param>
public sealed record OpcUaSecurityContext(PkiStore Pki, ApplicationCertificate Certificate);
