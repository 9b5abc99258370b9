using System.Net;
using EdgeOps.Publishing.Mqtt;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// The addresses Kestrel actually listens on, read once it has started: <c>EdgeOps:Web:Urls</c> is one way to set
/// them, <c>Kestrel:Endpoints</c>, <c>ASPNETCORE_URLS</c> and <c>--urls</c> are others. They decide whether the live view
/// needs a token, and they are what the start-up log prints.
/// </summary>
internal sealed class BoundAddresses
{
    private volatile IReadOnlyList<string> _addresses = [];
    private volatile bool _beyondLoopback;

    /// <summary>The bound URLs (empty before the server started).</summary>
    public IReadOnlyList<string> Addresses => _addresses;

    /// <summary>True when any bound address is reachable from beyond this machine.</summary>
    public bool BeyondLoopback => _beyondLoopback;

    /// <summary>
    /// Reads the server's addresses when the application has started, logs where the live view and the broker are, and
    /// stops the gateway (exit code 2) when it listens beyond loopback with no token or user to ask for.
    /// </summary>
    public static void WatchStart(WebApplication app, WebOptions options)
    {
        var bound = app.Services.GetRequiredService<BoundAddresses>();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeOps.Web");
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            bound._addresses = addresses;
            bound._beyondLoopback = addresses.Any(a => !IsLoopback(a));
            var broker = app.Services.GetService<MqttOptions>() is { } mqtt
                ? mqtt.Endpoint.Embedded ? $"embedded, mqtt://127.0.0.1:{mqtt.Endpoint.Port}" : mqtt.Broker
                : "none (EdgeOps:Mqtt:Enabled=false)";
            var tokenNeeded = options.TokenRequired || bound.BeyondLoopback;
            foreach (var address in addresses)
            {
                WebLog.LiveView(logger, address.TrimEnd('/') + "/", tokenNeeded ? "a token (?token=, Bearer or a user's login)" : "no token (loopback only)", broker);
            }

            if (bound.BeyondLoopback && string.IsNullOrEmpty(options.Token) && options.Users.Count == 0)
            {
                // Requests meanwhile are refused: the gate is on, and there is no token that passes it.
                WebLog.OpenBeyondLoopback(logger, string.Join(", ", addresses));
                Environment.ExitCode = 2;
                lifetime.StopApplication();
            }
        });
    }

    /// <summary>127.0.0.1, ::1 or localhost; any other address (0.0.0.0, [::], a NIC's address, 127.0.0.2) counts as beyond.</summary>
    internal static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("*", "any", StringComparison.Ordinal).Replace("+", "any", StringComparison.Ordinal),
            UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Host is "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip)
            && (ip.Equals(IPAddress.Loopback) || ip.Equals(IPAddress.IPv6Loopback)));
    }
}

/// <summary>Web log messages, EventIds 800-809.</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Live view on {Url} (needs {Access}); MQTT broker: {Broker}")]
    public static partial void LiveView(ILogger logger, string url, string access, string broker);

    [LoggerMessage(EventId = 801, Level = LogLevel.Critical, Message = "The live view listens on {Addresses}, beyond 127.0.0.1, and neither EdgeOps:Web:Token nor EdgeOps:Web:Users is set: stopping. Set one, or bind to http://127.0.0.1 (EdgeOps:Web:Urls, Kestrel:Endpoints, ASPNETCORE_URLS)")]
    public static partial void OpenBeyondLoopback(ILogger logger, string addresses);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Refused a {Method} to {Path} from origin {Origin}: not this gateway's origin")]
    public static partial void CrossOrigin(ILogger logger, string method, string path, string origin);
}
