namespace EdgeOps.Contract.Payloads;

/// <summary><c>.../{machine}/shift</c>, retained: the last closed shift; republished with a higher revision when late data changes it.</summary>
public sealed record ShiftPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Shift;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>Shift name from the calendar.</summary>
    public required string Name { get; init; }

    /// <summary>Shift start.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Shift end.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>0 when first closed, +1 per republication.</summary>
    public required int Revision { get; init; }

    /// <summary>Counts of the shift.</summary>
    public required CountSet Counts { get; init; }

    /// <summary>OEE.</summary>
    public double? Oee { get; init; }

    /// <summary>Availability.</summary>
    public double? Availability { get; init; }

    /// <summary>Performance.</summary>
    public double? Performance { get; init; }

    /// <summary>Quality.</summary>
    public double? Quality { get; init; }

    /// <summary>Planned production time, seconds.</summary>
    public required double PlannedProductionTimeS { get; init; }

    /// <summary>Run time, seconds.</summary>
    public required double RunTimeS { get; init; }

    /// <summary>Downtime, seconds.</summary>
    public required double DowntimeS { get; init; }

    /// <summary>Stops at or above the micro-stop threshold.</summary>
    public required int StopCount { get; init; }

    /// <summary>Share of the shift with fresh data.</summary>
    public required double Coverage { get; init; }

    /// <summary>Counts per product made in the shift; absent when no product was active.</summary>
    public IReadOnlyList<ProductCountSet>? Products { get; init; }
}

/// <summary>What was made of one product.</summary>
public sealed record ProductCountSet(string Product, CountSet Counts);
