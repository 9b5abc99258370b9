using System.IO.Compression;

namespace EdgeOps.Ingest;

/// <summary>
/// Gzips the body of write requests (<c>/write</c>, <c>/api/v2/write</c>) at <see cref="CompressionLevel.Fastest"/> and
/// marks it <c>Content-Encoding: gzip</c>, for both writers' HttpClients. (InfluxDB.Client, which the v2 writer used
/// before, compressed at <see cref="CompressionLevel.Optimal"/> through extra memory streams: nearly double the CPU of
/// a write call, docs/PERFORMANCE.md, for a body half the size, on a link where bandwidth is not the limit.) Every
/// other request, and a body already encoded, passes through untouched; responses are never touched, so the writers'
/// error handling (status, JSON message, Retry-After) sees exactly what the server sent.
/// </summary>
internal sealed class GzipWriteHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && IsWrite(request.RequestUri) && !IsEncoded(content))
        {
            request.Content = await CompressAsync(content, cancellationToken).ConfigureAwait(false);
            content.Dispose();
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsWrite(Uri? uri) =>
        uri is not null && uri.AbsolutePath.EndsWith("/write", StringComparison.Ordinal);

    /// <summary>A plain body has no encoding, or <c>identity</c> (as InfluxDB.Client marks it); anything else is already encoded.</summary>
    private static bool IsEncoded(HttpContent content)
    {
        foreach (var coding in content.Headers.ContentEncoding)
        {
            if (!coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<HttpContent> CompressAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // The body is one byte array (ours, or the client's): reading it as a stream does not copy it. Our line protocol shrinks to
        // about a twentieth at this level: start at a sixteenth, off the large-object heap for a 5,000-line batch.
        var length = content.Headers.ContentLength ?? 0;
        var compressed = new MemoryStream((int)Math.Min((length / 16) + 256, int.MaxValue));
        var source = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
            await using (zip.ConfigureAwait(false))
            {
                await source.CopyToAsync(zip, cancellationToken).ConfigureAwait(false);
            }
        }

        var gzipped = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
        foreach (var header in content.Headers)
        {
            if (!header.Key.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)
                && !header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                gzipped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        gzipped.Headers.ContentEncoding.Add("gzip");
        return gzipped;
    }
}
