namespace EdgeOps.TestSupport.I2c;

/// <summary>
/// A chip behind an I2C address that is read and written through a register pointer, the common datasheet
/// protocol: a write's first byte sets the pointer, further bytes are register writes; a read returns
/// registers from the pointer on. Subclasses give the register map and its side effects.
/// </summary>
public abstract class I2cRegisterChip
{
    private readonly Lock _lock = new();

    /// <summary>Register writes received, as (register, value), for tests that check what the driver configured.</summary>
    public List<(byte Register, byte Value)> WriteLog { get; } = [];

    internal void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            OnWrite(buffer);
        }
    }

    internal void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            OnRead(buffer);
        }
    }

    /// <summary>Back to the datasheet's reset values (after a power cycle).</summary>
    public abstract void PowerOnReset();

    protected abstract void OnWrite(ReadOnlySpan<byte> buffer);

    protected abstract void OnRead(Span<byte> buffer);
}
