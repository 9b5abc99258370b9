using System.Globalization;
using EdgeOps.Gateway.Configuration;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Configuration;

/// <summary>
/// Each file under broken/ has one defect and says, in its first line, the error it must produce
/// (<c># expect: key.path: message start</c>) and optionally how many errors in all (<c># count: N</c>, default 1).
/// </summary>
public sealed class BrokenConfigTests
{
    private static string BrokenDirectory => RepoPaths.File("tests", "EdgeOps.Gateway.Tests", "Configuration", "broken");

    public static TheoryData<string> BrokenFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(BrokenDirectory, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void BrokenFolder_CoversTheIssuesList()
    {
        var files = Directory.GetFiles(BrokenDirectory, "*.yaml").Select(Path.GetFileName).ToList();

        Assert.Contains("unknown-role.yaml", files);
        Assert.Contains("duplicate-machine-id.yaml", files);
        Assert.Contains("missing-ideal-cycle-time.yaml", files);
        Assert.Contains("bad-time-zone.yaml", files);
        Assert.Contains("overlapping-shifts.yaml", files);
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenConfig_FailsWithTheErrorNamingTheKey(string file)
    {
        var path = Path.Combine(BrokenDirectory, file);
        var lines = File.ReadAllLines(path);
        var expected = lines[0]["# expect: ".Length..];
        var count = lines[1].StartsWith("# count: ", StringComparison.Ordinal)
            ? int.Parse(lines[1].Split(' ')[2], CultureInfo.InvariantCulture)
            : 1;

        var result = LineConfigLoader.Load(path);

        Assert.False(result.IsValid);
        Assert.Null(result.Line);
        var all = string.Join(Environment.NewLine, result.Errors);
        var match = result.Errors.FirstOrDefault(e => $"{e.KeyPath}: {e.Message}".StartsWith(expected, StringComparison.Ordinal));
        Assert.True(match is not null, $"expected '{expected}', got:{Environment.NewLine}{all}");
        Assert.True(result.Errors.Count == count, $"expected {count} error(s), got:{Environment.NewLine}{all}");
        Assert.Equal(path, match.File);
        Assert.StartsWith($"{path}:{match.Line}:{match.Column}: {expected}", match.ToString(), StringComparison.Ordinal);
        if (!match.Message.StartsWith("missing", StringComparison.Ordinal) && !match.KeyPath.EndsWith(']'))
        {
            // The position points at the offending key's line, not somewhere near it (a list item: at the item).
            var lastKey = match.KeyPath.Split('.')[^1].Split('[')[0];
            Assert.Contains(lastKey, lines[match.Line - 1], StringComparison.Ordinal);
        }
    }
}
