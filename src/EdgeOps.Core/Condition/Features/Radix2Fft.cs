namespace EdgeOps.Core.Condition.Features;

/// <summary>
/// In-place iterative radix-2 Cooley–Tukey FFT of a fixed power-of-two size. Twiddles and the bit-reversal
/// permutation are computed once, so a transform allocates nothing.
/// </summary>
public sealed class Radix2Fft
{
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _reversed;

    public Radix2Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two, at least 2.");
        }

        Size = size;
        _cos = new double[size / 2];
        _sin = new double[size / 2];
        for (var k = 0; k < size / 2; k++)
        {
            var angle = -2 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }

        var bits = System.Numerics.BitOperations.Log2((uint)size);
        _reversed = new int[size];
        for (var i = 0; i < size; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _reversed[i] = r;
        }
    }

    public int Size { get; }

    /// <summary>Forward transform, X[k] = Σ x[n]·e^(−2πikn/N), unscaled; both spans hold exactly <see cref="Size"/> values.</summary>
    public void Forward(Span<double> real, Span<double> imaginary)
    {
        if (real.Length != Size || imaginary.Length != Size)
        {
            throw new ArgumentException($"Both spans must hold {Size} values.", nameof(real));
        }

        for (var i = 0; i < Size; i++)
        {
            var j = _reversed[i];
            if (j > i)
            {
                (real[i], real[j]) = (real[j], real[i]);
                (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
            }
        }

        for (var length = 2; length <= Size; length <<= 1)
        {
            var half = length >> 1;
            var step = Size / length;
            for (var start = 0; start < Size; start += length)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = _cos[k * step];
                    var wi = _sin[k * step];
                    var even = start + k;
                    var odd = even + half;
                    var tr = (wr * real[odd]) - (wi * imaginary[odd]);
                    var ti = (wr * imaginary[odd]) + (wi * real[odd]);
                    real[odd] = real[even] - tr;
                    imaginary[odd] = imaginary[even] - ti;
                    real[even] += tr;
                    imaginary[even] += ti;
                }
            }
        }
    }
}
