using System.Globalization;
using System.Reflection;

namespace EdgeOps.Gateway.Doctor;

/// <summary>Facts the build embedded in the assembly (<c>AssemblyMetadata("BuildDate", ...)</c> in the csproj).</summary>
internal static class BuildInfo
{
    /// <summary>The UTC day this binary was built; no clock that is right can be earlier.</summary>
    public static DateTimeOffset BuildDate { get; } = Read();

    private static DateTimeOffset Read()
    {
        var text = typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BuildDate")?.Value;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : DateTimeOffset.UnixEpoch;
    }
}
