using System.Buffers.Binary;
using System.Text.RegularExpressions;
using EdgeOps.TestSupport;
using Xunit.Abstractions;

namespace EdgeOps.Gateway.Tests.Deploy;

public sealed partial class DebPackageTests : IClassFixture<DebPackageFixture>
{
    private readonly DebPackageFixture _package;

    public DebPackageTests(DebPackageFixture package, ITestOutputHelper output)
    {
        _package = package;
        Assert.True(package.Build.ExitCode == 0, package.Build.ToString());
        // publish.sh's line: "<rid> <bytes> <files> <seconds>" (docs/PERFORMANCE.md records it).
        output.WriteLine(package.Build.Error.Split('\n').LastOrDefault(l => l.StartsWith("linux-arm64 ", StringComparison.Ordinal)) ?? "");
    }

    [Fact]
    public void Deb_IsNamedAfterVersionAndArchitecture_AndItsControlFieldsSaySo()
    {
        var version = VersionRegex().Match(File.ReadAllText(RepoPaths.File("Directory.Build.props"))).Groups[1].Value;

        Assert.Equal(Path.Combine(_package.Directory, $"edgeops_{version}_arm64.deb"), _package.DebPath);
        Assert.Equal("edgeops", Field("Package"));
        Assert.Equal(version, Field("Version"));
        Assert.Equal("arm64", Field("Architecture"));
        // Invariant globalization (the gateway's project): no ICU to install on the device.
        Assert.DoesNotContain("libicu", Field("Depends"), StringComparison.Ordinal);
        Assert.Contains("libssl3", Field("Depends"), StringComparison.Ordinal);
    }

    [Fact]
    public void Deb_ListsExactlyWhatDeployMdSays()
    {
        var documented = DocumentedContents();
        var listing = Shell.Run("dpkg-deb", ["--contents", _package.DebPath]);
        Assert.Equal(0, listing.ExitCode);
        var entries = listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Entry).ToList();

        foreach (var path in documented)
        {
            Assert.True(entries.Any(e => e.Path == path), $"docs/deploy.md lists {path}, the package has no such entry:\n{listing.Output}");
        }

        var undocumented = entries
            .Where(e => !e.IsDirectory && !e.Path.StartsWith("/usr/lib/edgeops/", StringComparison.Ordinal) && !documented.Contains(e.Path))
            .Select(e => e.Path)
            .ToList();
        Assert.True(undocumented.Count == 0, "In the package but not in docs/deploy.md: " + string.Join(", ", undocumented));
        Assert.Contains(entries, e => e.Path == "/usr/bin/edgeops" && e.Line.EndsWith("-> ../lib/edgeops/edgeops", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Path == "/usr/lib/edgeops/firmware-config/lines/demo-line.yaml");
        Assert.StartsWith("-rw------- root/root", entries.Single(e => e.Path == "/etc/edgeops/edgeops.env").Line, StringComparison.Ordinal);
        Assert.StartsWith("drwx------ root/root", entries.Single(e => e.Path == "/etc/edgeops/credentials/").Line, StringComparison.Ordinal);
    }

    [Fact]
    public void Deb_MarksConfigAsConffilesAndCarriesMaintainerScripts()
    {
        var conffiles = Shell.Run("dpkg-deb", ["--info", _package.DebPath, "conffiles"]);

        Assert.Equal(["/etc/edgeops/line.yaml", "/etc/edgeops/edgeops.env"], conffiles.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var info = Shell.Run("dpkg-deb", ["--info", _package.DebPath]).Output;
        Assert.Contains("postinst", info, StringComparison.Ordinal);
        Assert.Contains("postrm", info, StringComparison.Ordinal);
    }

    [Fact]
    public void Deb_CarriesANativeAotArm64Binary()
    {
        var extracted = Path.Combine(_package.Directory, "extracted");
        Assert.Equal(0, Shell.Run("dpkg-deb", ["-x", _package.DebPath, extracted]).ExitCode);
        var binary = Path.Combine(extracted, "usr", "lib", "edgeops", "edgeops");

        var header = File.ReadAllBytes(binary).AsSpan(0, 20);
        Assert.True(header[..4].SequenceEqual("\u007fELF"u8), "not an ELF file");
        Assert.Equal(0xB7, BinaryPrimitives.ReadUInt16LittleEndian(header[18..]));   // EM_AARCH64
        // Native AOT: the runtime is compiled into the binary; no .NET runtime and no IL travel with it, nothing to install
        // on the Pi. SQLite's native library sits beside it.
        var files = Directory.GetFiles(Path.Combine(extracted, "usr", "lib", "edgeops")).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain("libcoreclr.so", files);
        Assert.DoesNotContain(files, f => f!.EndsWith(".dll", StringComparison.Ordinal));
        Assert.Contains("libe_sqlite3.so", files);
        Assert.Equal(File.ReadAllText(RepoPaths.File("deploy", "systemd", "edgeops.service")),
            File.ReadAllText(Path.Combine(extracted, "lib", "systemd", "system", "edgeops.service")));
    }

    private string Field(string name) => Shell.Run("dpkg-deb", ["--field", _package.DebPath, name]).Output.Trim();

    private static HashSet<string> DocumentedContents()
    {
        var doc = File.ReadAllText(RepoPaths.File("docs", "deploy.md"));
        var block = BlockRegex().Match(doc);
        Assert.True(block.Success, "docs/deploy.md has no <!-- deb-contents --> block");
        return [.. block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('/'))
            .Select(l => l.Split(' ', 2)[0])];
    }

    private static (string Path, bool IsDirectory, string Line) Entry(string line)
    {
        // "-rw-r--r-- root/root      1234 2026-11-26 08:00 ./etc/edgeops/line.yaml" (symlinks: "... -> target")
        var path = line[(line.IndexOf(" ./", StringComparison.Ordinal) + 2)..];
        var arrow = path.IndexOf(" -> ", StringComparison.Ordinal);
        if (arrow >= 0)
        {
            path = path[..arrow];
        }

        return (path, line[0] == 'd', line);
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"<!-- deb-contents -->\s*```\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BlockRegex();
}
