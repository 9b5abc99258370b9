using System.Text.Json;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Recording;

/// <summary>One line of a recording: a signal, or an order/product command no signal made.</summary>
public sealed record RecordingEntry(Signal? Signal, RecordedCommand? Command);

/// <summary>
/// An order or product change a command or the live view made, recorded at its instant (docs/recording.md), so
/// <c>edgeops replay</c> applies it again through the same engine entry point.
/// </summary>
public sealed record RecordedCommand(
    DateTimeOffset At, string Command, string Scope, string? OrderId, string? Product, long? Quantity, DateTimeOffset? Due, string Who)
{
    private static readonly string[] Commands = ["startOrder", "pauseOrder", "resumeOrder", "completeOrder", "setProduct"];

    /// <summary>Applies it to <paramref name="engine"/>; the engine's refusal, if any, names the field.</summary>
    public OrderCommandResult Apply(LineEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Command switch
        {
            "startOrder" => engine.StartOrder(Scope, new OrderStart(OrderId ?? string.Empty, Product, Quantity, Due), At, Who),
            "pauseOrder" => engine.PauseOrder(Scope, OrderId, At, Who),
            "resumeOrder" => engine.ResumeOrder(Scope, OrderId, At, Who),
            "completeOrder" => engine.CompleteOrder(Scope, OrderId, At, Who),
            _ => engine.SetProduct(Scope, Product, At, Who),
        };
    }

    internal static bool TryParse(string line, out RecordedCommand? command, out string? error)
    {
        command = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (!root.TryGetProperty(RecordingFormat.Timestamp, out var ts) || !ts.TryGetDateTimeOffset(out var at))
            {
                error = $"'{RecordingFormat.Timestamp}' is missing or not an RFC 3339 time";
                return false;
            }

            var name = Text(RecordingFormat.Command);
            if (name is null || !Commands.Contains(name, StringComparer.Ordinal))
            {
                error = $"'{RecordingFormat.Command}' is '{name}' (expected one of: {string.Join(", ", Commands)})";
                return false;
            }

            var scope = Text(RecordingFormat.Scope);
            if (scope is null)
            {
                error = $"'{RecordingFormat.Scope}' (the machine or line) is missing";
                return false;
            }

            long? quantity = root.TryGetProperty(RecordingFormat.Quantity, out var q) && q.TryGetInt64(out var n) ? n : null;
            DateTimeOffset? due = root.TryGetProperty(RecordingFormat.Due, out var d) && d.TryGetDateTimeOffset(out var dueAt) ? dueAt.ToUniversalTime() : null;
            command = new RecordedCommand(at.ToUniversalTime(), name, scope, Text(RecordingFormat.OrderId), Text(RecordingFormat.Product),
                quantity, due, Text(RecordingFormat.Who) ?? "replay");
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }
    }
}
