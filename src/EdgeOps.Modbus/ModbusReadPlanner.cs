namespace EdgeOps.Modbus;

/// <summary>A value to read: its table, first address and length in registers (or bits).</summary>
public readonly record struct ModbusReadItem(ModbusTable Table, ushort Address, int Length);

/// <summary>One read request of a plan and the items (indexes into the planned list) it covers.</summary>
public sealed record ModbusReadBlock(ModbusTable Table, ushort Address, int Count, IReadOnlyList<int> Items);

/// <summary>
/// Coalesces the values of one device into the fewest reads: per table, sorted by address, an item joins the current
/// read while the hole before it is at most <c>maxGap</c> registers (bits: 16 × <c>maxGap</c>, since a bit costs a
/// sixteenth) and the read stays within <c>maxPerRead</c> (at most 125 registers or 2000 bits). Reading a hole is
/// cheaper than a round trip, but a hole may hold unmapped addresses some devices refuse: <c>maxGap</c> 0 never reads one.
/// </summary>
public static class ModbusReadPlanner
{
    /// <summary>The reads covering every item, ordered by table and address.</summary>
    public static IReadOnlyList<ModbusReadBlock> Plan(IReadOnlyList<ModbusReadItem> items, int maxRegistersPerRead = ModbusTables.MaxRegistersPerRead, int maxGap = 10)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRegistersPerRead, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRegistersPerRead, ModbusTables.MaxRegistersPerRead);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        var blocks = new List<ModbusReadBlock>();
        foreach (var group in Enumerable.Range(0, items.Count).GroupBy(i => items[i].Table).OrderBy(g => g.Key))
        {
            var table = group.Key;
            var limit = table.IsBits() ? ModbusTables.MaxBitsPerRead : maxRegistersPerRead;
            var gap = table.IsBits() ? maxGap * 16 : maxGap;
            var ordered = group.OrderBy(i => items[i].Address).ThenBy(i => i);
            int start = -1, end = -1;
            List<int> members = [];
            foreach (var index in ordered)
            {
                var item = items[index];
                var itemEnd = item.Address + item.Length;
                if (start >= 0 && item.Address - end <= gap && Math.Max(end, itemEnd) - start <= limit)
                {
                    end = Math.Max(end, itemEnd);
                    members.Add(index);
                    continue;
                }

                if (start >= 0)
                {
                    blocks.Add(new ModbusReadBlock(table, (ushort)start, end - start, members));
                }

                start = item.Address;
                end = itemEnd;
                members = [index];
            }

            if (start >= 0)
            {
                blocks.Add(new ModbusReadBlock(table, (ushort)start, end - start, members));
            }
        }

        return blocks;
    }
}
