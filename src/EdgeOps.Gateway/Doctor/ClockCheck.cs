using System.Globalization;

namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// The clock is right before any KPI is computed: a Pi has no RTC and boots at the last saved time, possibly
/// days in the past. A clock before the build date is certainly wrong (fail); a clock no NTP daemon has
/// synchronised may be (warn).
/// </summary>
internal sealed class ClockCheck : IDoctorCheck
{
    public Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var now = settings.Time.GetUtcNow();
        var results = new List<DoctorResult>();
        var nowText = now.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (now < settings.BuildDate)
        {
            results.Add(new DoctorResult("clock", "system clock", DoctorStatus.Fail,
                $"the clock says {nowText}, before this build's date {settings.BuildDate:yyyy-MM-dd}: shift KPIs would land on the wrong day",
                "enable time sync and wait for it: sudo timedatectl set-ntp true; timedatectl status (System clock synchronized: yes); give the Pi network access to an NTP server, or fit an RTC"));
        }

        var synchronized = settings.ClockSynchronized();
        results.Add(synchronized switch
        {
            true => DoctorResult.Pass("clock", "ntp", $"kernel reports the clock synchronised ({nowText})"),
            false => new DoctorResult("clock", "ntp", DoctorStatus.Warn,
                "the kernel reports the clock NOT synchronised by NTP",
                "sudo timedatectl set-ntp true (systemd-timesyncd) or install chrony; check the NTP server is reachable from the plant network; the unit waits for time-sync.target"),
            null => new DoctorResult("clock", "ntp", DoctorStatus.Warn, "cannot tell whether the clock is synchronised",
                "check by hand: timedatectl status"),
        });
        return Task.FromResult<IReadOnlyList<DoctorResult>>(results);
    }
}
