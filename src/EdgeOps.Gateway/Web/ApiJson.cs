using EdgeOps.Gateway.Hosting;

namespace EdgeOps.Gateway.Web;

/// <summary>JSON results of the web API, written from <see cref="GatewayJsonContext"/>'s generated metadata.</summary>
internal static class ApiJson
{
    /// <summary>
    /// <paramref name="value"/> as JSON (enums as names). <c>Results.Json(value)</c> would pick its metadata at run time
    /// by reflection, which the AOT build does not have; <typeparamref name="T"/> must be registered in
    /// <see cref="GatewayJsonContext"/>.
    /// </summary>
    public static IResult Result<T>(T value) => Results.Json(value, GatewayJson.Info<T>(GatewayJson.Api));
}
