using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// Publishes the Native AOT linux-arm64 gateway (cross-compiled on an x64 box) and packages it, once for all the package tests
/// (the publish is the slow part: about a minute on the CI box).
/// </summary>
public sealed class DebPackageFixture : IDisposable
{
    public DebPackageFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("edgeops-deb-").FullName;
        PublishDirectory = Path.Combine(Directory, "publish", "linux-arm64");
        Build = Shell.Run("bash",
            [RepoPaths.File("deploy", "build-deb.sh"), "--rid", "linux-arm64", "--publish-dir", PublishDirectory, "--out", Directory],
            TimeSpan.FromMinutes(40)); // an AOT publish: see TrimmedX64Fixture
        DebPath = Build.Output.Trim();
    }

    public string Directory { get; }

    public string PublishDirectory { get; }

    public Shell.Result Build { get; }

    public string DebPath { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
