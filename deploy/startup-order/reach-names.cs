// Names the methods an instrumented Native AOT run reached (deploy/make-startup-order.sh).
// usage: dotnet run reach-names.cs -- <reach.mprof> <edgeops.ilc.rsp>
// An ILC build with _InstrumentReachability=true marks every non-generic method it runs in a table that the program
// writes to ./reach.mprof when it exits: per assembly its MVID, the number of method rows, one byte per MethodDef row.
// This prints one line per reached method in the JIT's summary form ("JIT compiled Ns.Outer+Inner:Method() [Tier0]"),
// so that startup-order.py matches it to the object file's symbols like the JIT run's methods.
using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run reach-names.cs -- <reach.mprof> <edgeops.ilc.rsp>");
    return 2;
}

var profile = File.ReadAllBytes(args[0]);
var rspDirectory = Path.GetDirectoryName(Path.GetFullPath(args[1]))!;

// The compiled assemblies: the input (a relative path, from the project directory) and every -r: reference.
var byMvid = new Dictionary<Guid, string>();
var projectDirectory = Path.GetFullPath(Path.Combine(rspDirectory, "..", "..", "..", "..", ".."));
foreach (var line in File.ReadLines(args[1]))
{
    var path = line.StartsWith("-r:", StringComparison.Ordinal) ? line[3..]
        : line.EndsWith(".dll", StringComparison.Ordinal) && !line.StartsWith('-') ? line : null;
    if (path is null)
    {
        continue;
    }

    path = Path.IsPathRooted(path) ? path : Path.Combine(projectDirectory, path);
    if (!File.Exists(path))
    {
        continue;
    }

    using var pe = new PEReader(File.OpenRead(path));
    if (!pe.HasMetadata)
    {
        continue;
    }

    var md = pe.GetMetadataReader();
    byMvid[md.GetGuid(md.GetModuleDefinition().Mvid)] = path;
}

var total = BinaryPrimitives.ReadInt32LittleEndian(profile);
var offset = 4;
var reached = 0;
while (offset < total)
{
    var mvid = new Guid(profile.AsSpan(offset, 16));
    var count = BinaryPrimitives.ReadInt32LittleEndian(profile.AsSpan(offset + 16));
    var flags = profile.AsSpan(offset + 20, count);
    offset += 20 + count;
    if (!byMvid.TryGetValue(mvid, out var assembly))
    {
        Console.Error.WriteLine($"reach-names: no compiled assembly has MVID {mvid}; its {flags.Count((byte)1)} methods are skipped");
        continue;
    }

    using var pe = new PEReader(File.OpenRead(assembly));
    var md = pe.GetMetadataReader();
    for (var row = 1; row < count; row++)
    {
        if (flags[row] == 0)
        {
            continue;
        }

        var method = md.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(row));
        Console.WriteLine($"JIT compiled {TypeName(md, method.GetDeclaringType())}:{md.GetString(method.Name)}() [Tier0, reached]");
        reached++;
    }
}

Console.Error.WriteLine($"reach-names: {reached} methods reached in {byMvid.Count} assemblies");
return 0;

static string TypeName(MetadataReader md, TypeDefinitionHandle handle)
{
    var type = md.GetTypeDefinition(handle);
    var name = md.GetString(type.Name);
    var declaring = type.GetDeclaringType();
    if (!declaring.IsNil)
    {
        return TypeName(md, declaring) + "+" + name;
    }

    var ns = md.GetString(type.Namespace);
    return ns.Length == 0 ? name : ns + "." + name;
}
