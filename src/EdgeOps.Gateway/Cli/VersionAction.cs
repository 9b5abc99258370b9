using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops --version</c>: the version, the git commit it was built from, the runtime, and whether this is a Native
/// AOT build: what a bug report and a plant's change record need.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    /// <summary>The lines <c>--version</c> prints.</summary>
    public static IReadOnlyList<string> Lines()
    {
        // The SDK appends "+<commit>" to the informational version when it builds from a git checkout (SourceRevisionId).
        var informational = typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "unknown (built outside a git checkout)" : informational[(plus + 1)..];
        // Native AOT has no JIT, so nothing was ever compiled at run time. (RuntimeFeature.IsDynamicCodeSupported cannot
        // tell: PublishAot sets its feature switch off in the JIT build too, so that build behaves like the native one.)
        var build = System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "Native AOT";
        return
        [
            $"edgeops {version}",
            $"commit  {commit}",
            $"runtime {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}",
            $"build   {build}",
        ];
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        foreach (var line in Lines())
        {
            output.WriteLine(line);
        }

        return 0;
    }
}
