using System.Globalization;
using System.Security.Cryptography;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// An empty machine for deploy/install.sh --root: a Pi's config.txt and nothing else, plus a fake published gateway.
/// Deleted on dispose. The real system's users and files are never touched.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ScratchRoot : IDisposable
{
    public ScratchRoot(bool raspberryPi = true)
    {
        Base = Directory.CreateTempSubdirectory("edgeops-install-").FullName;
        Root = System.IO.Path.Combine(Base, "root");
        Published = System.IO.Path.Combine(Base, "publish");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Published);
        if (raspberryPi)
        {
            Directory.CreateDirectory(Path("boot/firmware"));
            File.WriteAllText(Path("boot/firmware/config.txt"), "[all]\narm_64bit=1\n");
        }

        WriteBinary("v1");
    }

    public string Base { get; }

    public string Root { get; }

    public string Published { get; }

    /// <summary>A path inside the root ("etc/passwd").</summary>
    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public void WriteBinary(string version)
    {
        var binary = System.IO.Path.Combine(Published, "edgeops");
        File.WriteAllText(binary, $"#!/bin/sh\necho edgeops {version}\n");
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);
        File.WriteAllText(System.IO.Path.Combine(Published, "edgeops.dll"), version);
    }

    public Shell.Result Install(params string[] extra) =>
        Shell.Run("bash", [RepoPaths.File("deploy", "install.sh"), "--root", Root, "--from", Published, .. extra]);

    public Shell.Result Uninstall(params string[] extra) =>
        Shell.Run("bash", [RepoPaths.File("deploy", "install.sh"), "--root", Root, "--uninstall", .. extra]);

    /// <summary>Every entry under the root: path, type, mode, owner, size, content hash or link target.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        var entries = new List<string>();
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(Root, entry.FullName);
            var owner = Doctor.UnixFileOwner.Read(entry.FullName);
            var id = owner is null ? "?" : string.Create(CultureInfo.InvariantCulture, $"{owner.Uid}:{owner.Gid}");
            var what = entry.LinkTarget is { } target ? "-> " + target
                : entry is FileInfo file ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName)))
                : "dir";
            entries.Add(string.Create(CultureInfo.InvariantCulture, $"{relative} {entry.UnixFileMode} {id} {what}"));
        }

        entries.Sort(StringComparer.Ordinal);
        return entries;
    }

    public void Dispose() => Directory.Delete(Base, recursive: true);
}
