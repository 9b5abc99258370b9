using System.Device.I2c;
using System.Globalization;

namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// Each configured I2C sensor answers at its address: one byte is read from it on its bus. A sensor that does not
/// answer is wired wrongly, unpowered, or at another address (many have an address pin).
/// </summary>
internal sealed class I2cSensorCheck : IDoctorCheck
{
    public Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var results = new List<DoctorResult>();
        foreach (var sensor in settings.Sensors)
        {
            var subject = string.Create(CultureInfo.InvariantCulture, $"i2c-{sensor.Bus} 0x{sensor.Address:x2}");
            var bus = Path.Combine(settings.DevDirectory, string.Create(CultureInfo.InvariantCulture, $"i2c-{sensor.Bus}"));
            if (!File.Exists(bus))
            {
                results.Add(new DoctorResult("sensor", subject, DoctorStatus.Fail, $"{bus} does not exist",
                    "enable the I2C bus (dtparam=i2c_arm=on in /boot/firmware/config.txt), reboot, or fix the bus number in the line config"));
                continue;
            }

            try
            {
                // The real device node only: System.Device.I2c opens /dev/i2c-N itself.
                using var device = I2cDevice.Create(new I2cConnectionSettings(sensor.Bus, sensor.Address));
                device.ReadByte();
                results.Add(DoctorResult.Pass("sensor", subject, "answers"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException)
            {
                results.Add(new DoctorResult("sensor", subject, DoctorStatus.Fail, $"does not answer: {ex.Message}",
                    string.Create(CultureInfo.InvariantCulture,
                        $"check wiring, power and pull-ups; i2cdetect -y {sensor.Bus} lists the addresses that answer; fix the address in the line config")));
            }
        }

        return Task.FromResult<IReadOnlyList<DoctorResult>>(results);
    }
}
