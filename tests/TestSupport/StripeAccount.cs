using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedSpa.Silo.Hosting;
using MedSpa.StripeEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Tests;

/// <summary>
/// One Stripe account for a whole cluster: the emulator in the test process on a free loopback port, which every
/// silo is pointed at (<see cref="SiloSettings"/>) instead of starting its own. Its record of PaymentIntents is the
/// bank's side of the story, to check the product's against, and it takes fault rules for the whole cluster.
/// </summary>
public sealed class StripeAccount : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _admin;

    private StripeAccount(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        _admin = ControlClient(baseAddress, TimeSpan.FromSeconds(60));
    }

    /// <summary>The emulator's test secret key: its control endpoints (faults, records, webhooks) answer only to it.</summary>
    public const string SecretKey = "sk_test_emulator";

    /// <summary>A client of an emulator's control endpoints (<c>/_emulator/...</c>), keyed as they require.</summary>
    public static HttpClient ControlClient(Uri baseAddress, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecretKey);
        return client;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the emulator without its own rate limit (0); a test that wants 429s asks for them.</summary>
    public static async Task<StripeAccount> StartAsync()
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var app = StripeEmulatorHost.Build(["--urls", baseAddress.ToString()], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["Emulator:RatePerSecond"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await app.StartAsync();
        return new StripeAccount(app, baseAddress);
    }

    /// <summary>
    /// What a silo needs to charge this account: a secret key (so it starts no emulator of its own), the address,
    /// and the cluster's call budget (<c>Stripe:RatePerSecond</c>, shared by the silos).
    /// </summary>
    public Dictionary<string, string?> SiloSettings(int clusterRatePerSecond) => new()
    {
        ["Stripe:SecretKey"] = PaymentsHosting.EmulatorKey,
        ["Stripe:ApiBase"] = BaseAddress.ToString(),
        ["Stripe:RatePerSecond"] = clusterRatePerSecond.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Adds a fault rule for every silo's calls; returns its id.</summary>
    public async Task<string> FaultAsync(FaultRequest fault)
    {
        using var response = await _admin.PostAsJsonAsync("/_emulator/faults", fault);
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    /// <summary>The fault rules still in force, with what is left of each (a rule that has fired its count is gone).</summary>
    public async Task<IReadOnlyList<JsonObject>> FaultsAsync() =>
        [.. JsonNode.Parse(await _admin.GetStringAsync(new Uri("/_emulator/faults", UriKind.Relative)))!.AsArray().Select(rule => rule!.AsObject())];

    public async Task ClearFaultsAsync() => (await _admin.DeleteAsync(new Uri("/_emulator/faults", UriKind.Relative))).EnsureSuccessStatusCode();

    /// <summary>
    /// A customer of the account with Stripe's test Visa attached, as a practice moving in from manual Stripe charges
    /// has them: the ids its member sheet carries (customer, payment method).
    /// </summary>
    public async Task<(string Customer, string PaymentMethod)> CustomerWithCardAsync(string email)
    {
        var customer = await PostFormAsync("/v1/customers", new Dictionary<string, string> { ["email"] = email });
        var card = await PostFormAsync("/v1/payment_methods/pm_card_visa/attach", new Dictionary<string, string> { ["customer"] = customer });
        return (customer, card);
    }

    /// <summary>Every PaymentIntent the account holds, as Stripe would list them.</summary>
    public async Task<IReadOnlyList<JsonObject>> PaymentIntentsAsync() =>
        [.. JsonNode.Parse(await _admin.GetStringAsync(new Uri("/_emulator/payment_intents", UriKind.Relative)))!.AsArray().Select(pi => pi!.AsObject())];

    public async Task<int> PaymentIntentCountAsync() =>
        JsonNode.Parse(await _admin.GetStringAsync(new Uri("/_emulator/payment_intents/count", UriKind.Relative)))!["count"]!.GetValue<int>();

    /// <summary>Posts a form to the account's Stripe API as the practice's secret key; returns the created object's id.</summary>
    private async Task<string> PostFormAsync(string path, Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PaymentsHosting.EmulatorKey);
        using var response = await _admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        }

        return (string)JsonNode.Parse(text)!["id"]!;
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
