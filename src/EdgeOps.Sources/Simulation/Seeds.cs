namespace EdgeOps.Sources.Simulation;

/// <summary>
/// Derives independent, reproducible seeds for the simulator's random streams. HashCode is randomised per process,
/// so it cannot be used: the same config seed must give the same line on every run and machine.
/// </summary>
internal static class Seeds
{
    public static int Derive(int seed, int stream, int index)
    {
        unchecked
        {
            // SplitMix-style mixing of the three inputs.
            var x = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
            x ^= ((ulong)(uint)stream << 32) | (uint)index;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return (int)(x & 0x7FFFFFFF);
        }
    }
}
