using System.Globalization;
using EdgeOps.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Storage;

/// <summary>The disk-space guard on the data directory (<c>EdgeOps:Storage:*</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Free bytes on the data directory's file system below which the gateway raises the <c>disk-space-low</c> alarm and
    /// /readyz turns unready: room left for the outbox and checkpoints to keep writing while someone acts.
    /// </summary>
    public long MinFreeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How often free space is read.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks <see cref="StorageOptions"/> on start; every message names the key and the value found.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = options.Storage;
        var errors = new List<string>();
        if (storage.MinFreeBytes < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"EdgeOps:Storage:MinFreeBytes = {storage.MinFreeBytes}: must be 0 (guard off) or more bytes."));
        }

        if (storage.CheckInterval < TimeSpan.FromMilliseconds(50) || storage.CheckInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"EdgeOps:Storage:CheckInterval = {storage.CheckInterval}: must be between 00:00:00.050 and 00:10:00."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
