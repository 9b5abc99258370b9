using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeOps.OpcUa.Security;

/// <summary>Small helpers for certificates as OPC UA carries them (DER, possibly a chain back to back).</summary>
internal static class CertificateFiles
{
    /// <summary>ServerCertificate may be a chain of DER certificates back to back; the first is the server's.</summary>
    public static ReadOnlySpan<byte> FirstCertificate(ReadOnlySpan<byte> der)
    {
        var length = DerLength(der);
        return length > 0 && length < der.Length ? der[..length] : der;
    }

    /// <summary>Splits a DER chain into its certificates.</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> der)
    {
        var list = new List<byte[]>();
        while (der.Length > 0)
        {
            var length = DerLength(der);
            if (length <= 0 || length > der.Length)
            {
                list.Add(der.ToArray());
                break;
            }

            list.Add(der[..length].ToArray());
            der = der[length..];
        }

        return list;
    }

    /// <summary>Total length of the DER SEQUENCE at the start, or 0 when it is not one.</summary>
    private static int DerLength(ReadOnlySpan<byte> der)
    {
        if (der.Length < 2 || der[0] != 0x30)
        {
            return 0;
        }

        if (der[1] < 0x80)
        {
            return 2 + der[1];
        }

        var n = der[1] & 0x7F;
        if (n is < 1 or > 3 || der.Length < 2 + n)
        {
            return 0;
        }

        var length = 0;
        for (var i = 0; i < n; i++)
        {
            length = (length << 8) | der[2 + i];
        }

        return 2 + n + length;
    }

    /// <summary>Upper-case hex SHA-1 thumbprint, as tools show it.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> der) => Convert.ToHexString(SHA1.HashData(der));

    /// <summary>The URIs of the certificate's SubjectAltName.</summary>
    public static IReadOnlyList<string> SubjectAltUris(X509Certificate2 certificate) => SubjectAlt(certificate).Uris;

    /// <summary>The DNS names and IP addresses of the certificate's SubjectAltName.</summary>
    public static IReadOnlyList<string> SubjectAltHosts(X509Certificate2 certificate) => SubjectAlt(certificate).Hosts;

    private static (List<string> Uris, List<string> Hosts) SubjectAlt(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        var hosts = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                hosts.AddRange(san.EnumerateDnsNames());
                hosts.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
                uris.AddRange(ReadUris(san.RawData));
            }
        }

        return (uris, hosts);
    }

    /// <summary>URIs ([6] IA5String) of a GeneralNames SEQUENCE; .NET enumerates DNS names and IPs but not URIs.</summary>
    private static List<string> ReadUris(byte[] raw)
    {
        var uris = new List<string>();
        try
        {
            var reader = new System.Formats.Asn1.AsnReader(raw, System.Formats.Asn1.AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            var uriTag = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            // A malformed SubjectAltName has no usable URI.
        }

        return uris;
    }
}
