using System.Globalization;

namespace EdgeOps.Gateway.Doctor;

/// <summary>Runs every go-live check and prints what failed and how to fix it.</summary>
internal static class DoctorRunner
{
    /// <summary>The checks, in the order a technician would fix things: access, hardware, network, clock, disk.</summary>
    public static IReadOnlyList<IDoctorCheck> Checks { get; } =
    [
        DeviceAccessCheck.Gpio,
        DeviceAccessCheck.I2c,
        new I2cSensorCheck(),
        new BrokerCheck(),
        new OpcUaEndpointCheck(),
        new ClockCheck(),
        new DiskSpaceCheck(),
    ];

    public static async Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        var results = new List<DoctorResult>();
        foreach (var check in Checks)
        {
            results.AddRange(await check.RunAsync(settings, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>One line per finding, a "fix:" line under each that did not pass, a summary last.</summary>
    public static void Print(IReadOnlyList<DoctorResult> results, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var result in results)
        {
            var label = result.Status switch { DoctorStatus.Pass => "ok  ", DoctorStatus.Warn => "WARN", _ => "FAIL" };
            output.WriteLine($"{label}  {result.Check,-7} {result.Subject}: {result.Detail}");
            if (result.Status != DoctorStatus.Pass && result.Fix is not null)
            {
                output.WriteLine($"      fix: {result.Fix}");
            }
        }

        var failed = results.Count(r => r.Status == DoctorStatus.Fail);
        var warned = results.Count(r => r.Status == DoctorStatus.Warn);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} checked, {failed} failed, {warned} warnings: {(failed == 0 ? "ready for go-live" : "NOT ready for go-live")}"));
    }
}
