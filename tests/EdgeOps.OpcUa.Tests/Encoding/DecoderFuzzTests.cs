using System.Diagnostics;
using System.Globalization;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Encoding;

/// <summary>
/// Random and mutated valid messages fed to the decoder. Each must decode or fail with a
/// <see cref="UaDecodingException"/>; nothing else may escape, nothing may hang, and allocation stays bounded by the
/// input size. CI runs 1,000,000 inputs; EDGEOPS_FUZZ_ITERATIONS raises it for a long campaign.
/// </summary>
public sealed class DecoderFuzzTests
{
    private static readonly DecodingLimits Limits = new()
    {
        MaxArrayLength = 4096,

        // Below what several seed arrays add up to, so mutated counts also run into the per-message budget.
        MaxElementsPerMessage = 6000,
        MaxStringLength = 4096,
        MaxByteStringLength = 8192,
        MaxNestingDepth = 16,
        MaxMessageSize = 65536,
    };

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("EDGEOPS_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : 1_000_000;

    [Fact]
    public void Decoder_MutatedAndRandomMessages_FailOnlyWithDecodingErrors()
    {
        var values = new RandomValues(20240601);
        var random = values.Random;
        var seeds = BuildSeeds(values);
        var counts = new int[2];
        var buffer = new byte[70_000];
        for (var i = 0; i < Iterations; i++)
        {
            var (kind, seed) = seeds[random.Next(seeds.Count)];
            var length = Mutate(random, seed, buffer);
            var input = buffer.AsSpan(0, length);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            try
            {
                Decode(kind, input);
                counts[0]++;
            }
            catch (UaDecodingException ex)
            {
                Assert.True(ex.Status.Is(StatusCode.BadDecodingError) || ex.Status.Is(StatusCode.BadEncodingLimitsExceeded), ex.Message);
                Assert.False(string.IsNullOrEmpty(ex.Message));
                counts[1]++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"Input {i} ({kind}, {length} bytes: {Convert.ToHexString(input[..Math.Min(length, 200)])}) threw {ex}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Every length is checked against the bytes remaining, so allocation is linear in the input size.
            Assert.True(allocated <= 200L * length + 65_536, $"Input {i} ({kind}, {length} bytes) allocated {allocated} bytes.");
            Assert.True(i < 1000 || Stopwatch.GetElapsedTime(started).TotalMilliseconds < 2000, $"Input {i} took too long.");
        }

        // The campaign must exercise both outcomes, or the mutator is broken.
        Assert.True(counts[0] > Iterations / 100, $"Only {counts[0]} inputs decoded.");
        Assert.True(counts[1] > Iterations / 100, $"Only {counts[1]} inputs failed.");
    }

    private static void Decode(int kind, ReadOnlySpan<byte> input)
    {
        var reader = new UaBinaryReader(input, Limits);
        switch (kind)
        {
            case 0: reader.ReadVariant(); break;
            case 1: reader.ReadDataValue(); break;
            case 2: reader.ReadDiagnosticInfo(); break;
            case 3: reader.ReadExpandedNodeId(); break;
            default: ResponseDecoders.Decode(ref reader); break;
        }
    }

    private static int Mutate(Random random, byte[] seed, byte[] buffer)
    {
        var mode = random.Next(10);
        if (mode == 0)
        {
            // Pure noise.
            var n = random.Next(0, 300);
            random.NextBytes(buffer.AsSpan(0, n));
            return n;
        }

        var length = Math.Min(seed.Length, buffer.Length - 16);
        seed.AsSpan(0, length).CopyTo(buffer);
        if (mode == 1)
        {
            return length; // the valid message itself
        }

        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && length > 0; e++)
        {
            var at = random.Next(length);
            switch (random.Next(6))
            {
                case 0:
                    buffer[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    buffer[at] = (byte)random.Next(256);
                    break;
                case 2:
                    length = random.Next(length); // truncate
                    break;
                case 3:
                    // A hostile length or count at a random position.
                    if (at + 4 <= length)
                    {
                        int[] lengths = [-1, -2, 0x7FFFFFFF, 0x10000, 4097, 255, int.MinValue];
                        BitConverter.TryWriteBytes(buffer.AsSpan(at, 4), lengths[random.Next(lengths.Length)]);
                    }

                    break;
                case 4:
                    buffer[at] = (byte)(random.Next(2) == 0 ? 0xFF : 0x80 | random.Next(64));
                    break;
                default:
                    if (length + 8 < buffer.Length)
                    {
                        random.NextBytes(buffer.AsSpan(length, 8));
                        length += 8;
                    }

                    break;
            }
        }

        return length;
    }

    private static List<(int Kind, byte[] Bytes)> BuildSeeds(RandomValues values)
    {
        var seeds = new List<(int, byte[])>();
        for (var i = 0; i < 400; i++)
        {
            seeds.Add((0, Write(w => w.WriteVariant(values.Variant()))));
            seeds.Add((1, Write(w => w.WriteDataValue(values.DataValue()))));
            if (i % 4 == 0)
            {
                seeds.Add((2, Write(w => w.WriteDiagnosticInfo(values.DiagnosticInfo()))));
                seeds.Add((3, Write(w => w.WriteExpandedNodeId(values.ExpandedNodeId()))));
            }

            if (i % 2 == 0)
            {
                seeds.Add((4, ServiceMessages.PublishResponse(values)));
                seeds.Add((4, ServiceMessages.ReadResponse(values)));
                seeds.Add((4, ServiceMessages.BrowseResponse(values)));
            }
        }

        return seeds;
    }

    private static byte[] Write(Action<UaBinaryWriter> write)
    {
        var writer = new UaBinaryWriter();
        write(writer);
        return writer.ToArray();
    }
}
