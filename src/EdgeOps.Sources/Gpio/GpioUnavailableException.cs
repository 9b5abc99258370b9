namespace EdgeOps.Sources.Gpio;

/// <summary>The configured GPIO chip or driver is not present on this machine. The message names the chip.</summary>
public sealed class GpioUnavailableException : Exception
{
    public GpioUnavailableException()
    {
    }

    public GpioUnavailableException(string message)
        : base(message)
    {
    }

    public GpioUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
