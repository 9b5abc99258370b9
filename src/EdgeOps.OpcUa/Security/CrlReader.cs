using System.Formats.Asn1;

namespace EdgeOps.OpcUa.Security;

/// <summary>
/// Reads the revoked serial numbers of an X.509 CRL (RFC 5280 §5.1). The CRL's signature is not checked: the files
/// come from the administrator-controlled <c>trusted/crl</c> and <c>issuers/crl</c> folders.
/// </summary>
internal static class CrlReader
{
    /// <summary>True when the CRL is issued by <paramref name="issuer"/> and lists <paramref name="serialBigEndian"/>; null when it does not parse.</summary>
    public static bool? Lists(byte[] crl, ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> serialBigEndian)
    {
        try
        {
            var certList = new AsnReader(crl, AsnEncodingRules.DER).ReadSequence();
            var tbs = certList.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                tbs.ReadInteger(); // version
            }

            tbs.ReadSequence(); // signature algorithm
            var crlIssuer = tbs.ReadEncodedValue();
            if (!crlIssuer.Span.SequenceEqual(issuer))
            {
                return false;
            }

            tbs.ReadEncodedValue(); // thisUpdate
            if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
            {
                tbs.ReadEncodedValue(); // nextUpdate
            }

            if (!tbs.HasData || !tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                return false;
            }

            var revoked = tbs.ReadSequence();
            var serial = TrimLeadingZeros(serialBigEndian);
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                if (TrimLeadingZeros(entry.ReadIntegerBytes().Span).SequenceEqual(serial))
                {
                    return true;
                }
            }

            return false;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        while (value.Length > 1 && value[0] == 0)
        {
            value = value[1..];
        }

        return value;
    }
}
