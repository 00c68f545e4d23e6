using MedSpa.Access;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Access;

/// <summary>Registers <c>Auth:BootstrapApiKey</c> as an administrator key when the node starts.</summary>
internal sealed class BootstrapApiKey(IOptions<AccessOptions> options, IGrainFactory grains, ILogger<BootstrapApiKey> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.BootstrapApiKey))
        {
            return;
        }

        var registration = new ApiKeyRegistration(ApiKeyAuthentication.Hash(options.Value.BootstrapApiKey), "bootstrap administrator", StaffRole.Admin);
        await grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).EnsureAsync(registration);
        logger.LogInformation("Bootstrap administrator API key is registered");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
