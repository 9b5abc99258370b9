using System.Reflection;

namespace EdgeOps.Gateway.Web;

/// <summary>The board's HTML, CSS and JS, embedded in the binary so the gateway serves them offline from anywhere.</summary>
internal static class StaticAssets
{
    private const string Prefix = "EdgeOps.Gateway.wwwroot.";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Serve("index.html"));
        app.MapGet("/machine/{id}", (string id) => Serve("machine.html"));
        app.MapGet("/assets/{name}", (string name) => Serve(name));
    }

    private static IResult Serve(string name)
    {
        var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream(Prefix + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }

    internal static Assembly Assembly => typeof(StaticAssets).Assembly;
}
