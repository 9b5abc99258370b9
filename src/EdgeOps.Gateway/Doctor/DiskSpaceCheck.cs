using System.Globalization;

namespace EdgeOps.Gateway.Doctor;

/// <summary>The data directory exists, belongs to the service user, and has room for the outbox to ride out an outage.</summary>
internal sealed class DiskSpaceCheck : IDoctorCheck
{
    public Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var results = new List<DoctorResult>();
        var dir = settings.DataDirectory;
        if (!Directory.Exists(dir))
        {
            results.Add(new DoctorResult("disk", dir, DoctorStatus.Fail, "data directory does not exist",
                "run sudo deploy/install.sh (creates /var/lib/edgeops owned by edgeops), or fix EdgeOps:DataDirectory"));
            return Task.FromResult<IReadOnlyList<DoctorResult>>(results);
        }

        var account = UnixAccount.Find(settings.EtcDirectory, settings.ServiceUser);
        var owner = UnixFileOwner.Read(dir);
        if (account is not null && owner is not null && !owner.CanReadWrite(account))
        {
            results.Add(new DoctorResult("disk", dir, DoctorStatus.Fail,
                string.Create(CultureInfo.InvariantCulture, $"'{account.Name}' cannot write the data directory (owner {owner.Uid}, {owner.ModeText()})"),
                $"sudo chown -R {account.Name}:{account.Name} {dir}"));
        }

        var free = new DriveInfo(Path.GetFullPath(dir)).AvailableFreeSpace;
        var freeText = string.Create(CultureInfo.InvariantCulture, $"{free / (1024.0 * 1024):0} MiB free, outbox needs {settings.MinFreeBytes / (1024.0 * 1024):0} MiB");
        const string fix = "free space on the data partition (journalctl --vacuum-size=100M, remove old images), use a larger SD card or SSD, or lower the outbox bound";
        results.Add(free < settings.MinFreeBytes
            ? new DoctorResult("disk", dir, DoctorStatus.Fail, freeText, fix)
            : free < 2 * settings.MinFreeBytes
                ? new DoctorResult("disk", dir, DoctorStatus.Warn, freeText, fix)
                : DoctorResult.Pass("disk", dir, freeText));
        return Task.FromResult<IReadOnlyList<DoctorResult>>(results);
    }
}
