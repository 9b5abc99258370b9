using System.Xml.Linq;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Architecture;

/// <summary>
/// The arrows of DESIGN.md §2 and docs/architecture.md, read from the .csproj files themselves: a reference that points
/// the wrong way fails here with the project and the reference named, not in a review months later.
/// </summary>
public sealed class ProjectReferenceGraphTests
{
    // Every project under src/ and what it may reference (DESIGN.md §2). A new project must be added here and there.
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["EdgeOps.Core"] = [],
        ["EdgeOps.OpcUa"] = [],
        ["EdgeOps.Modbus"] = [],
        ["EdgeOps.Contract"] = ["EdgeOps.Core"],
        ["EdgeOps.Sources"] = ["EdgeOps.Core", "EdgeOps.OpcUa", "EdgeOps.Modbus"],
        ["EdgeOps.Publishing"] = ["EdgeOps.Core", "EdgeOps.Contract"],
        ["EdgeOps.Ingest"] = ["EdgeOps.Contract"],
        ["EdgeOps.Historian"] = ["EdgeOps.Ingest", "EdgeOps.Contract"],
        ["EdgeOps.Gateway"] = ["EdgeOps.Core", "EdgeOps.OpcUa", "EdgeOps.Modbus", "EdgeOps.Contract", "EdgeOps.Sources", "EdgeOps.Publishing", "EdgeOps.Ingest"],
    };

    private static readonly Lazy<Dictionary<string, Project>> Projects = new(Load);

    [Fact]
    public void EveryProjectUnderSrc_IsInTheDesignTable()
    {
        var unknown = Projects.Value.Keys.Where(p => !Allowed.ContainsKey(p)).ToList();
        Assert.True(unknown.Count == 0, $"src/ holds {string.Join(", ", unknown)}: add it to DESIGN.md §2, docs/architecture.md and this table");
        Assert.Contains("EdgeOps.Core", Projects.Value.Keys);
        Assert.Contains("EdgeOps.Historian", Projects.Value.Keys);
    }

    [Fact]
    public void EveryProjectReference_PointsWhereTheDesignAllows()
    {
        var wrong = Projects.Value.Values
            .SelectMany(p => p.References.Where(r => !Allowed.GetValueOrDefault(p.Name, []).Contains(r)).Select(r => $"{p.Name} -> {r}"))
            .ToList();
        Assert.True(wrong.Count == 0, "references against DESIGN.md §2:\n" + string.Join('\n', wrong));
    }

    [Theory]
    [InlineData("EdgeOps.Core")]
    [InlineData("EdgeOps.OpcUa")]
    public void StandaloneLibraries_ReferenceNoProject(string name) =>
        Assert.Empty(Projects.Value[name].References);

    [Fact]
    public void NothingReferencesTheExecutables()
    {
        var inward = Projects.Value.Values
            .SelectMany(p => p.References.Where(r => r is "EdgeOps.Gateway" or "EdgeOps.Historian").Select(r => $"{p.Name} -> {r}"))
            .ToList();
        Assert.True(inward.Count == 0, string.Join('\n', inward));
    }

    [Fact]
    public void Historian_DoesNotReachPublishing_NorCarryTheMqttClientOrOutbox()
    {
        var closure = Closure("EdgeOps.Historian");
        Assert.DoesNotContain("EdgeOps.Publishing", closure);
        Assert.DoesNotContain("EdgeOps.Gateway", closure);
        var packages = closure.Prepend("EdgeOps.Historian").SelectMany(p => Projects.Value[p].Packages.Select(k => $"{p}: {k}")).ToList();
        Assert.DoesNotContain(packages, p => p.Contains("MQTTnet", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TheGraph_HasNoCycle()
    {
        foreach (var name in Projects.Value.Keys)
        {
            Assert.True(!Closure(name).Contains(name), $"{name} reaches itself through its references");
        }
    }

    private static HashSet<string> Closure(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(Projects.Value[name].References);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next) && Projects.Value.TryGetValue(next, out var project))
            {
                foreach (var r in project.References)
                {
                    stack.Push(r);
                }
            }
        }

        return seen;
    }

    private static Dictionary<string, Project> Load()
    {
        var projects = new Dictionary<string, Project>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.File("src"), "*.csproj", SearchOption.AllDirectories))
        {
            var xml = XDocument.Load(file);
            var references = xml.Descendants("ProjectReference")
                .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            var packages = xml.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();
            var name = Path.GetFileNameWithoutExtension(file);
            projects.Add(name, new Project(name, references, packages));
        }

        return projects;
    }

    private sealed record Project(string Name, IReadOnlyList<string> References, IReadOnlyList<string> Packages);
}
