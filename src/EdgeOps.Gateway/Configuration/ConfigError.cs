namespace EdgeOps.Gateway.Configuration;

/// <summary>
/// One problem in a config file, in the compiler format editors and CI logs understand:
/// <c>demo-line.yaml:42:7: machines[1].signals[0].role: unknown role 'cnt' (expected one of: total, good, ...)</c>.
/// </summary>
/// <param name="File">The file as it was given to the loader.</param>
/// <param name="Line">1-based line; 0 when the problem has no position (file missing).</param>
/// <param name="Column">1-based column; 0 when unknown.</param>
/// <param name="KeyPath">Where in the document, e.g. <c>machines[1].signals[0].role</c>; empty for the whole file.</param>
/// <param name="Message">What is wrong, with the offending value.</param>
internal sealed record ConfigError(string File, int Line, int Column, string KeyPath, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return KeyPath.Length > 0 ? $"{where}: {KeyPath}: {Message}" : $"{where}: {Message}";
    }
}
