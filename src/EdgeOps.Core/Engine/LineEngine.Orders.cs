using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Model;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>
/// Products and production orders: the entry points the order signals, the MQTT commands and the live view call.
/// Every check runs before anything changes, so a refusal leaves the engine exactly as it was.
/// </summary>
public sealed partial class LineEngine
{
    /// <summary>Completed orders kept per machine for late counts (and their revisions).</summary>
    private const int MaxRecentOrders = 20;

    /// <summary>The line's configured products.</summary>
    public IReadOnlyList<ProductDefinition> Products => _line.Products;

    /// <summary>
    /// Starts (releases) a production order on a machine, or on the whole line when <paramref name="scope"/> is the
    /// line id, at <paramref name="at"/> (engine time if earlier). The order's product, when given, becomes active
    /// (its ideal cycle time applies from this instant); without one the active product stays. An order already
    /// running or paused on the scope is completed first, at the same instant (a line order completes every machine
    /// order too). Refused, naming the field: an unknown machine, an order id that is empty, longer than
    /// <see cref="OrderLimits.MaxOrderIdLength"/> or holds control characters, an unknown product (the message lists
    /// the configured ones), a quantity ≤ 0, the same order already running there, or a machine order on a machine
    /// that runs a line order.
    /// </summary>
    public OrderCommandResult StartOrder(string scope, OrderStart order, DateTimeOffset at, string who)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (ResolveScope(scope, out var line, out var machines) is { } scopeError)
        {
            return scopeError;
        }

        if (CheckOrderId(order.OrderId) is { } idError)
        {
            return OrderCommandResult.Refused(OrderLimits.OrderIdField, idError);
        }

        var product = -1;
        if (order.ProductId is not null && !TryFindProduct(order.ProductId, out product, out var productError))
        {
            return OrderCommandResult.Refused(OrderLimits.ProductField, productError!);
        }

        if (order.Quantity is { } quantity && quantity <= 0)
        {
            return OrderCommandResult.Refused(OrderLimits.QuantityField, $"quantity {quantity} must be more than 0 (units ordered)");
        }

        var record = line ? _machines[_outputMachine] : machines[0];
        if (record.Order is { } running && running.Id == order.OrderId && running.LineScope == line)
        {
            return OrderCommandResult.Refused(OrderLimits.OrderIdField, $"order '{order.OrderId}' already runs on {ScopeName(line, record)}");
        }

        if (!line && record.Order is { LineScope: true } lineOrder)
        {
            return OrderCommandResult.Refused(OrderLimits.MachineField,
                $"machine '{record.Id}' runs line order '{lineOrder.Id}'; complete it on line '{_line.Line}' first");
        }

        var t = CommandTime(at);
        OrderRecord? completed = null;
        foreach (var m in machines)
        {
            if (m.Order is { } previous && previous.EndTicks == long.MaxValue)
            {
                var done = CompleteCore(previous, t, who);
                if (previous.RecordMachine == record.Index && previous.LineScope == line)
                {
                    completed = done;
                }
            }
        }

        var accumulators = new MachineAccumulator?[_machines.Length];
        foreach (var m in machines)
        {
            accumulators[m.Index] = new MachineAccumulator(m.Reasons.Count);
        }

        var state = new OrderState(order.OrderId, product >= 0 ? product : record.Product, order.Quantity, order.Due?.UtcTicks,
            line, record.Index, t, accumulators)
        {
            PreviousEndTicks = record.LastOrderEndTicks,
            StartedBy = who,
        };
        foreach (var m in machines)
        {
            // Time before the release is not the order's: book it first.
            Account(m, t);
            if (product >= 0)
            {
                SetProductCore(m, product, t, who);
            }

            m.Order = state;
            m.Version++;
        }

        var result = BuildOrderRecord(state, record, t);
        Emit(new OrderEvent(record.Index, record.Id, At(t), OrderChange.Started, result, who));
        return new OrderCommandResult(true, null, null, result, completed);
    }

    /// <summary>
    /// Pauses the order running on the machine or line: its cycle time goes on, its production time and counts stop
    /// until <see cref="ResumeOrder"/>. Refused (field <c>orderId</c>) when no order runs there or another one does.
    /// </summary>
    public OrderCommandResult PauseOrder(string scope, string? orderId, DateTimeOffset at, string who) =>
        Transition(scope, orderId, at, who, OrderStatus.Running, OrderChange.Paused);

    /// <summary>Resumes a paused order. Refused (field <c>orderId</c>) when no order is paused there or another one is.</summary>
    public OrderCommandResult ResumeOrder(string scope, string? orderId, DateTimeOffset at, string who) =>
        Transition(scope, orderId, at, who, OrderStatus.Paused, OrderChange.Resumed);

    /// <summary>
    /// Completes the order running (or paused) on the machine or line; <paramref name="orderId"/> null completes
    /// whichever it is. Refused (field <c>orderId</c>) when none is running there, or another one is. The active
    /// product stays (the machine is still set up for it).
    /// </summary>
    public OrderCommandResult CompleteOrder(string scope, string? orderId, DateTimeOffset at, string who) =>
        Transition(scope, orderId, at, who, null, OrderChange.Completed);

    /// <summary>
    /// Makes <paramref name="productId"/> the active product of a machine or of every machine of the line (null: none,
    /// the machines' own ideal cycle times) from <paramref name="at"/> on, without touching orders. Refused (field
    /// <c>product</c>) for an unknown product, naming the configured ones.
    /// </summary>
    public OrderCommandResult SetProduct(string scope, string? productId, DateTimeOffset at, string who)
    {
        if (ResolveScope(scope, out _, out var machines) is { } scopeError)
        {
            return scopeError;
        }

        var product = -1;
        if (productId is not null && !TryFindProduct(productId, out product, out var error))
        {
            return OrderCommandResult.Refused(OrderLimits.ProductField, error!);
        }

        var t = CommandTime(at);
        foreach (var m in machines)
        {
            SetProductCore(m, product, t, who);
        }

        return new OrderCommandResult(true, null, null, null);
    }

    /// <summary>
    /// The order running or paused on the machine or line at <paramref name="now"/> (moves engine time like a snapshot),
    /// or the last completed one when none is; null when there never was one (or the scope is unknown).
    /// </summary>
    public OrderRecord? GetOrder(string scope, DateTimeOffset now)
    {
        AdvanceTo(now.UtcTicks);
        if (ResolveScope(scope, out var line, out var machines) is not null)
        {
            return null;
        }

        var record = line ? _machines[_outputMachine] : machines[0];
        var order = CurrentOrder(record, line);
        return order is null ? null : BuildOrderRecord(order, record, _now);
    }

    /// <summary>The active product of a machine; null when none is.</summary>
    public string? GetActiveProduct(string machineId) =>
        _machineIndex.TryGetValue(machineId, out var i) && _machines[i].Product >= 0 ? _line.Products[_machines[i].Product].Id : null;

    private OrderState? CurrentOrder(MachineState m, bool line)
    {
        if (m.Order is { } o && o.LineScope == line)
        {
            return o;
        }

        for (var i = m.RecentOrders.Count - 1; i >= 0; i--)
        {
            if (m.RecentOrders[i].LineScope == line)
            {
                return m.RecentOrders[i];
            }
        }

        return null;
    }

    private OrderCommandResult Transition(string scope, string? orderId, DateTimeOffset at, string who, OrderStatus? from, OrderChange change)
    {
        if (ResolveScope(scope, out var line, out _) is { } scopeError)
        {
            return scopeError;
        }

        var record = line ? _machines[_outputMachine] : _machines[_machineIndex[scope]];
        var order = record.Order is { } o && o.LineScope == line ? o : null;
        var verb = change switch { OrderChange.Paused => "pause", OrderChange.Resumed => "resume", _ => "complete" };
        if (order is null)
        {
            return OrderCommandResult.Refused(OrderLimits.OrderIdField, orderId is null
                ? $"no order is running on {ScopeName(line, record)}: nothing to {verb}"
                : $"order '{orderId}' is not running on {ScopeName(line, record)} (no order is): nothing to {verb}");
        }

        if (orderId is not null && orderId != order.Id)
        {
            return OrderCommandResult.Refused(OrderLimits.OrderIdField,
                $"order '{orderId}' is not running on {ScopeName(line, record)} (order '{order.Id}' is)");
        }

        if (from is { } required && order.Status != required)
        {
            return OrderCommandResult.Refused(OrderLimits.OrderIdField,
                $"order '{order.Id}' on {ScopeName(line, record)} is {order.Status.ToString().ToLowerInvariant()}: cannot {verb} it");
        }

        var t = CommandTime(at);
        if (change == OrderChange.Completed)
        {
            return new OrderCommandResult(true, null, null, CompleteCore(order, t, who));
        }

        foreach (var m in _machines)
        {
            if (m.Order == order)
            {
                Account(m, t);
                BookOrderStop(m, order, t);
                m.Version++;
            }
        }

        if (change == OrderChange.Paused)
        {
            order.Status = OrderStatus.Paused;
            order.PausedSince = t;
            order.CloseSegment(t);
        }
        else
        {
            order.Status = OrderStatus.Running;
            order.PausedTicks += t - order.PausedSince;
            order.Segments.Add((t, long.MaxValue));
        }

        var result = BuildOrderRecord(order, record, t);
        Emit(new OrderEvent(record.Index, record.Id, At(t), change, result, who));
        return new OrderCommandResult(true, null, null, result);
    }

    private OrderRecord CompleteCore(OrderState order, long t, string who)
    {
        foreach (var m in _machines)
        {
            if (m.Order != order)
            {
                continue;
            }

            if (order.Status == OrderStatus.Running)
            {
                Account(m, t);
                BookOrderStop(m, order, t);
            }

            m.Order = null;
            if (m.RecentOrders.Count >= MaxRecentOrders)
            {
                m.RecentOrders.RemoveAt(0);
            }

            m.RecentOrders.Add(order);
            m.LastOrderEndTicks = t;
            m.Version++;
        }

        if (order.Status == OrderStatus.Paused)
        {
            order.PausedTicks += t - order.PausedSince;
        }
        else
        {
            order.CloseSegment(t);
        }

        order.Status = OrderStatus.Completed;
        order.EndTicks = t;
        order.CompletedBy = who;
        var record = _machines[order.RecordMachine];
        var result = BuildOrderRecord(order, record, t);
        Emit(new OrderEvent(record.Index, record.Id, At(t), OrderChange.Completed, result, who));
        return result;
    }

    /// <summary>A command's instant: never before time already accounted.</summary>
    private long CommandTime(DateTimeOffset at)
    {
        AdvanceTo(at.UtcTicks);
        return Math.Max(at.UtcTicks, _now);
    }

    private OrderCommandResult? ResolveScope(string scope, out bool line, out MachineState[] machines)
    {
        if (scope is not null && _machineIndex.TryGetValue(scope, out var index))
        {
            line = false;
            machines = [_machines[index]];
            return null;
        }

        if (scope == _line.Line)
        {
            line = true;
            machines = _machines;
            return null;
        }

        line = false;
        machines = [];
        return OrderCommandResult.Refused(OrderLimits.MachineField,
            $"unknown machine '{scope}' on line '{_line.Line}' (known: {string.Join(", ", _machineIndex.Keys)}; or '{_line.Line}' for the whole line)");
    }

    private string ScopeName(bool line, MachineState m) => line ? $"line '{_line.Line}'" : $"machine '{m.Id}'";

    /// <summary>Null when the id is acceptable; otherwise what is wrong with it.</summary>
    private static string? CheckOrderId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "order id is missing or empty";
        }

        if (id.Length > OrderLimits.MaxOrderIdLength)
        {
            return $"order id is {id.Length} characters long; at most {OrderLimits.MaxOrderIdLength} are accepted";
        }

        for (var i = 0; i < id.Length; i++)
        {
            if (char.IsControl(id[i]))
            {
                return $"order id '{Printable(id)}' holds a control character (U+{(int)id[i]:X4}) at position {i}";
            }
        }

        if (id.Trim().Length != id.Length)
        {
            return $"order id '{id}' starts or ends with white space";
        }

        return null;
    }

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private bool TryFindProduct(string productId, out int product, out string? error)
    {
        for (var i = 0; i < _line.Products.Count; i++)
        {
            if (_line.Products[i].Id == productId)
            {
                product = i;
                error = null;
                return true;
            }
        }

        product = -1;
        error = _line.Products.Count == 0
            ? $"unknown product '{productId}': the line file configures no products"
            : $"unknown product '{productId}' (configured: {string.Join(", ", _line.Products.Select(p => p.Id))})";
        return false;
    }

    private bool TryFindProductByCode(long code, out int product)
    {
        for (var i = 0; i < _line.Products.Count; i++)
        {
            if (_line.Products[i].Code == code)
            {
                product = i;
                return true;
            }
        }

        product = -1;
        return false;
    }

    /// <summary>Books the time before <paramref name="t"/> at the old ideal time, then switches the machine's product.</summary>
    private void SetProductCore(MachineState m, int product, long t, string who)
    {
        if (m.Product == product)
        {
            return;
        }

        Account(m, t);
        var previous = m.Product;
        m.Product = product;
        var definition = product >= 0 ? _line.Products[product] : null;
        m.IdealTicks = definition?.IdealTimePerUnit(m.Definition).Ticks ?? m.DefaultIdealTicks;
        m.TargetPerHour = definition?.TargetPerHour ?? m.Definition.TargetPerHour;
        m.ProductHistory.Add(new ProductSpan(t, product, m.IdealTicks));
        if (m.Order is { Product: < 0 } order && product >= 0)
        {
            order.Product = product; // an order started without a product takes the first one set while it runs
        }

        m.Version++;
        Emit(new ProductChangedEvent(m.Index, m.Id, At(t), definition?.Id,
            previous >= 0 ? _line.Products[previous].Id : null, TimeSpan.FromTicks(m.IdealTicks), who));
    }

    /// <summary>
    /// An <c>order</c> or <c>product</c> signal. Order: a new id completes the machine's order and starts this one
    /// (with the active product); an empty text or 0 completes it; the same id again changes nothing. Product: a
    /// text is a product id, a number a product code; 0 or empty means none. A value that names nothing is reported
    /// once (invalidStateInput) and ignored.
    /// </summary>
    private void OnOrderSignal(ref SignalSlot slot, MachineState m, in Signal signal, long t, int handle)
    {
        if (t < slot.LastTicks)
        {
            return; // superseded by a newer value of the same input
        }

        slot.LastTicks = t;
        var text = signal.Text;
        long code = 0;
        if (text is null && !TryCode(signal.Value, out code))
        {
            _ = Checked(ref slot, m, handle, signal.Value, t, false, "not an order id or product code (text, or a whole number): ignored");
            return;
        }

        var empty = text is null ? code == 0 : string.IsNullOrWhiteSpace(text);
        var who = "signal:" + _catalog[handle].Definition.Name;
        if (slot.Role == SignalRole.Product)
        {
            var product = -1;
            var found = empty || (text is null ? TryFindProductByCode(code, out product) : TryFindProduct(text.Trim(), out product, out _));
            if (Checked(ref slot, m, handle, signal.Value, t, found,
                $"names no configured product{(text is null ? $" code ({code})" : $" ('{text}')")}: the active product stays"))
            {
                SetProductCore(m, product, Math.Max(t, m.AccountedUntil), who);
            }

            return;
        }

        var own = m.Order is { LineScope: false } o ? o : null;
        if (empty)
        {
            if (own is not null)
            {
                _ = CompleteOrder(m.Id, null, At(t), who);
            }

            return;
        }

        if (text is null)
        {
            if (slot.HasBaseline && slot.LastRaw == code && own is not null)
            {
                return; // the same order number again: nothing allocates on a steady value
            }

            slot.HasBaseline = true;
            slot.LastRaw = code;
            text = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (own?.Id == text)
        {
            return;
        }

        var result = StartOrder(m.Id, new OrderStart(text), At(t), who);
        _ = Checked(ref slot, m, handle, signal.Value, t, result.Accepted, $"not accepted as an order: {result.Error}");
    }
}
