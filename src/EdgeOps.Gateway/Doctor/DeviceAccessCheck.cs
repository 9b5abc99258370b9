using System.Globalization;

namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// The service user can open the GPIO chips (or I2C buses) the line uses: each device node exists, and its owner,
/// group and mode let the user read and write it. Judged from the node and the passwd/group files, so it is right
/// whoever runs <c>edgeops doctor</c> (root included).
/// </summary>
internal sealed class DeviceAccessCheck : IDoctorCheck
{
    private readonly string _check;
    private readonly string _group;
    private readonly Func<DoctorSettings, IReadOnlyList<string>> _wanted;
    private readonly string _pattern;

    private DeviceAccessCheck(string check, string group, string pattern, Func<DoctorSettings, IReadOnlyList<string>> wanted)
    {
        _check = check;
        _group = group;
        _pattern = pattern;
        _wanted = wanted;
    }

    public static DeviceAccessCheck Gpio { get; } = new("gpio", "gpio", "gpiochip*", s => s.GpioChips);

    public static DeviceAccessCheck I2c { get; } = new("i2c", "i2c", "i2c-*",
        s => [.. s.I2cBuses.Select(b => "i2c-" + b.ToString(CultureInfo.InvariantCulture))]);

    public Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var results = new List<DoctorResult>();
        var wanted = _wanted(settings);
        var names = wanted.Count > 0
            ? wanted
            : Directory.Exists(settings.DevDirectory)
                ? [.. Directory.EnumerateFileSystemEntries(settings.DevDirectory, _pattern).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
                : [];
        if (names.Count == 0)
        {
            var fix = _check == "i2c"
                ? "enable I2C: sudo deploy/install.sh (adds dtparam=i2c_arm=on to /boot/firmware/config.txt), or sudo raspi-config nonint do_i2c 0; then reboot"
                : "no GPIO chip: on a Pi check the kernel (ls /dev/gpiochip*); on a PC load the GPIO driver of the I/O card";
            results.Add(new DoctorResult(_check, settings.DevDirectory, wanted.Count > 0 ? DoctorStatus.Fail : DoctorStatus.Warn,
                $"no {_pattern} device in {settings.DevDirectory}", fix));
            return Task.FromResult<IReadOnlyList<DoctorResult>>(results);
        }

        var account = UnixAccount.Find(settings.EtcDirectory, settings.ServiceUser);
        foreach (var name in names)
        {
            var path = Path.Combine(settings.DevDirectory, name);
            var owner = UnixFileOwner.Read(path);
            if (owner is null)
            {
                results.Add(new DoctorResult(_check, path, DoctorStatus.Fail, "does not exist",
                    _check == "i2c"
                        ? "enable this I2C bus (dtparam=i2c_arm=on or the board's overlay in /boot/firmware/config.txt), reboot, or fix the bus number in the line config"
                        : "fix the chip name in the board config (ls /dev/gpiochip*; a Pi 5 on an older kernel has its header on gpiochip4)"));
                continue;
            }

            if (account is null)
            {
                results.Add(new DoctorResult(_check, path, DoctorStatus.Fail, $"service user '{settings.ServiceUser}' does not exist",
                    "run sudo deploy/install.sh (or install the .deb): it creates the user and its groups"));
                continue;
            }

            var groupName = UnixAccount.GroupName(settings.EtcDirectory, owner.Gid);
            var what = string.Create(CultureInfo.InvariantCulture, $"owner {owner.Uid}, group {groupName}, {owner.ModeText()}");
            if (owner.CanReadWrite(account))
            {
                results.Add(DoctorResult.Pass(_check, path, $"'{account.Name}' can read and write it ({what})"));
                continue;
            }

            var inGroup = account.Gids.Contains(owner.Gid);
            var fixText = groupName == _group
                ? inGroup
                    ? $"the group '{_group}' lacks rw: install the udev rule (deploy/udev/99-edgeops.rules, sets MODE=0660) and run sudo udevadm trigger"
                    : $"sudo usermod -aG {_group} {account.Name} (then restart the service)"
                : $"install the udev rule deploy/udev/99-edgeops.rules (sets GROUP={_group}, MODE=0660), run sudo udevadm control --reload && sudo udevadm trigger, and sudo usermod -aG {_group} {account.Name}";
            results.Add(new DoctorResult(_check, path, DoctorStatus.Fail,
                $"'{account.Name}' cannot open it for read and write ({what})", fixText));
        }

        return Task.FromResult<IReadOnlyList<DoctorResult>>(results);
    }
}
