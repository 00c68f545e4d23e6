using System.Net;
using System.Net.Http.Json;

namespace MedSpa.Stripe.Tests;

/// <summary>
/// The emulator's controls (reset, faults, webhooks and their secret, records) take its secret key like its API: anyone
/// who reaches the port must not be able to wipe the account, break payments or read the webhook secret.
/// </summary>
public sealed class EmulatorControlTests
{
    [Fact]
    public async Task Without_a_secret_key_every_control_is_refused_and_the_webhook_secret_stays_hidden()
    {
        await using var emulator = await Emulator.StartAsync();
        (await emulator.Admin.PostAsJsonAsync("/_emulator/webhooks", new { url = "http://127.0.0.1:9/hook", secret = "whsec_not_for_you" })).EnsureSuccessStatusCode();
        using var anonymous = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var wrongKey = new HttpClient { BaseAddress = emulator.BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", "pk_test_public") } };

        foreach (var client in new[] { anonymous, wrongKey })
        {
            var webhooks = await client.GetAsync("/_emulator/webhooks");
            Assert.Equal(HttpStatusCode.Unauthorized, webhooks.StatusCode);
            Assert.DoesNotContain("whsec_not_for_you", await webhooks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/_emulator/reset", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/_emulator/faults", new { kind = "429", path = "/v1/", rate = 1.0 })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/_emulator/payment_intents")).StatusCode);
        }

        // Nothing changed: the webhook is still registered and no fault was added.
        Assert.Contains("whsec_not_for_you", await emulator.Admin.GetStringAsync("/_emulator/webhooks"), StringComparison.Ordinal);
        Assert.Equal("[]", (await emulator.Admin.GetStringAsync("/_emulator/faults")).Trim());
    }
}
