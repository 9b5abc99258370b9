using System.Text.RegularExpressions;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Architecture;

/// <summary>
/// Every <c>[LoggerMessage(EventId = n)]</c> in src/ is used once: an operator filtering the journal or an alert on an
/// event id must find one meaning, not two (the outbox and the OPC UA source once shared 3100-3102).
/// </summary>
public sealed partial class LogEventIdTests
{
    [Fact]
    public void EveryLogEventId_IsUsedOnceAcrossTheProducts()
    {
        var uses = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => EventId().Matches(File.ReadAllText(f))
                .Select(m => (Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), File: Path.GetRelativePath(RepoPaths.Root, f))))
            .ToList();

        Assert.True(uses.Count > 100, $"found only {uses.Count} [LoggerMessage] event ids under src/: the scan is broken");
        var twice = uses.GroupBy(u => u.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(u => u.File))}").ToList();
        Assert.True(twice.Count == 0, "event ids used more than once:\n" + string.Join("\n", twice));
    }

    [GeneratedRegex(@"LoggerMessage\(\s*EventId\s*=\s*(\d+)")]
    private static partial Regex EventId();
}
