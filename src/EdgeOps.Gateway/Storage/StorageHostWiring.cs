using EdgeOps.Gateway.Hosting;
using EdgeOps.Gateway.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Storage;

/// <summary>Registers the disk-space guard: a hosted service and a part of /readyz, one object.</summary>
public static class StorageHostWiring
{
    public static IServiceCollection AddStorageGuard(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, StorageOptionsValidator>());
        services.AddSingleton<DiskSpaceGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<DiskSpaceGuard>());
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<DiskSpaceGuard>());
        return services;
    }
}
