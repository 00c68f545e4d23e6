using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>A silo with a webhook secret and the test clinic; events are taken from its emulator and delivered by the test.</summary>
public sealed class StripeWebhookFixture : SiloFixture
{
    public const string Secret = "whsec_medspa_webhook_tests";
    public const string StaffEmail = "desk@clinic.test";

    public Clinic Clinic { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Stripe:WebhookSecret"] = Secret,
        ["Practice:StaffEmail"] = StaffEmail,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clinic = await Clinic.OpenAsync(Silo);
        // The tests read the emulator's event log and the handler fetches objects: more calls than test mode's 25/s.
        using var emulator = StripeAccount.ControlClient(Silo.StripeEmulator);
        (await emulator.PostAsJsonAsync("/_emulator/rate_limit", new { per_second = 0 })).EnsureSuccessStatusCode();
    }
}

/// <summary>
/// <c>POST /webhooks/stripe</c> with events the emulator really emitted (or an older copy of one), signed with the
/// configured secret exactly as Stripe signs: replays, reordering, forgeries, refunds, disputes and card changes.
/// </summary>
public sealed class StripeWebhookTests(StripeWebhookFixture fixture) : IClassFixture<StripeWebhookFixture>, IDisposable
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private readonly HttpClient _anonymous = fixture.Silo.AnonymousClient();
    private readonly StripeSide _stripe = new(fixture.Silo.StripeEmulator);

    [Fact]
    public async Task The_same_signed_event_delivered_twice_is_processed_once()
    {
        var (id, paymentIntent) = await CardMemberAsync("Rita", "Replay");
        await _stripe.RefundAsync(paymentIntent, 5_000);
        var refunded = await _stripe.EventAsync("charge.refunded", e => e["data"]!["object"]!["payment_intent"]?.GetValue<string>() == paymentIntent);

        Assert.Equal("processed", await DeliverOkAsync(refunded));
        Assert.Equal("duplicate", await DeliverOkAsync(refunded));

        Assert.Single(await EventsAsync(id, "refund_recorded"));
    }

    [Fact]
    public async Task A_stale_failure_event_arriving_around_the_success_settles_by_the_intent_as_fetched()
    {
        var id = await fixture.Clinic.RegisterAsync("Otto", "Order");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        // The charge goes through but its answer is lost: the attempt stays open until Stripe tells us.
        await _stripe.FaultAsync(new { kind = "500_after", path = "/v1/payment_intents", method = "POST", count = 1 });
        var pending = await EnrolAsync(id, "Otto Order");
        Assert.Equal("pending_payment", pending.GetProperty("status").GetString());
        var attempt = Assert.Single(await ChargeAttemptsAsync(id));
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("result").ValueKind);

        var succeeded = await _stripe.EventAsync("payment_intent.succeeded", e => e["data"]!["object"]!["metadata"]?["member_id"]?.GetValue<string>() == id);
        var paymentIntent = succeeded["data"]!["object"]!["id"]!.GetValue<string>();
        // An older event about the same intent, as if an earlier confirmation had failed and its webhook came late.
        var staleFailure = OlderFailureOf(succeeded, "evt_stale_1");

        Assert.Equal("processed", await DeliverOkAsync(staleFailure));
        await DeliverOkAsync(succeeded);
        await DeliverOkAsync(OlderFailureOf(succeeded, "evt_stale_2"));

        var membership = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");
        Assert.Equal("active", membership.GetProperty("status").GetString());
        var settled = Assert.Single(await ChargeAttemptsAsync(id));
        Assert.Equal(("succeeded", paymentIntent), (settled.GetProperty("result").GetString(), settled.GetProperty("paymentIntentId").GetString()));
        Assert.Single(await EventsAsync(id, "charge_resolved"));
        Assert.Single(await EventsAsync(id, "period_paid"));
        Assert.Single(await _stripe.PaymentIntentsForAsync(id));
    }

    [Fact]
    public async Task An_off_session_charge_that_needs_the_member_to_authenticate_is_settled_from_its_failure_event()
    {
        var id = await fixture.Clinic.RegisterAsync("Aria", "Authenticate");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_authenticationRequired" })).EnsureSuccessStatusCode();
        await _stripe.FaultAsync(new { kind = "500_after", path = "/v1/payment_intents", method = "POST", count = 1 });
        Assert.Equal("pending_payment", (await EnrolAsync(id, "Aria Authenticate")).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, Assert.Single(await ChargeAttemptsAsync(id)).GetProperty("result").ValueKind);

        // Off session nobody can authenticate, so Stripe fails the intent with authentication_required (requires_action
        // only follows an on-session confirmation).
        var failed = await _stripe.EventAsync("payment_intent.payment_failed", e => e["data"]!["object"]!["metadata"]?["member_id"]?.GetValue<string>() == id);
        Assert.Equal("processed", await DeliverOkAsync(failed));

        var settled = Assert.Single(await ChargeAttemptsAsync(id));
        Assert.Equal("authentication_required", settled.GetProperty("result").GetString());
        Assert.Equal("pending_payment", (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("status").GetString());
        Assert.Single(await _stripe.PaymentIntentsForAsync(id));
    }

    [Fact]
    public async Task A_forged_or_stale_signature_is_refused_with_its_code_and_changes_nothing()
    {
        var (id, paymentIntent) = await CardMemberAsync("Fran", "Forged");
        await _stripe.RefundAsync(paymentIntent, null);
        var refunded = (await _stripe.EventAsync("charge.refunded", e => e["data"]!["object"]!["payment_intent"]?.GetValue<string>() == paymentIntent)).ToJsonString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await ProblemAssert.IsProblem(await PostAsync(refunded, Sign(refunded, "whsec_someone_else", now)), HttpStatusCode.BadRequest, "invalid_signature");
        await ProblemAssert.IsProblem(await PostAsync(refunded.Replace("\"refunded\":true", "\"refunded\":false", StringComparison.Ordinal), Sign(refunded, StripeWebhookFixture.Secret, now)),
            HttpStatusCode.BadRequest, "invalid_signature");
        await ProblemAssert.IsProblem(await PostAsync(refunded, null), HttpStatusCode.BadRequest, "invalid_signature");
        await ProblemAssert.IsProblem(await PostAsync(refunded, Sign(refunded, StripeWebhookFixture.Secret, now - 600)), HttpStatusCode.BadRequest, "stale_signature");

        Assert.Empty(await EventsAsync(id, "refund_recorded"));
        // Nothing was claimed either: the genuine delivery is still handled.
        Assert.Equal("processed", await DeliverOkAsync(JsonNode.Parse(refunded)!.AsObject()));
        Assert.Single(await EventsAsync(id, "refund_recorded"));
    }

    [Fact]
    public async Task Unknown_event_types_are_acknowledged_and_ignored()
    {
        var unknown = new JsonObject
        {
            ["id"] = "evt_unknown_1", ["object"] = "event", ["type"] = "customer.created",
            ["data"] = new JsonObject { ["object"] = new JsonObject { ["id"] = "cus_someone", ["object"] = "customer" } },
        };

        Assert.Equal("ignored", await DeliverOkAsync(unknown));
    }

    [Fact]
    public async Task Partial_and_full_refunds_are_recorded_once_each_in_the_payments_history()
    {
        var (id, paymentIntent) = await CardMemberAsync("Ruth", "Refund");
        await _stripe.RefundAsync(paymentIntent, 5_000);
        var partial = await _stripe.EventAsync("charge.refunded", e => e["data"]!["object"]!["payment_intent"]?.GetValue<string>() == paymentIntent);
        await _stripe.RefundAsync(paymentIntent, null);
        var rest = await _stripe.EventAsync("charge.refunded",
            e => e["data"]!["object"]!["payment_intent"]?.GetValue<string>() == paymentIntent && e["data"]!["object"]!["refunded"]!.GetValue<bool>());

        // The later event first: it lists both refunds, so the earlier one finds nothing new.
        await DeliverOkAsync(rest);
        await DeliverOkAsync(partial);
        await DeliverOkAsync(rest);

        Assert.Equal(2, (await EventsAsync(id, "refund_recorded")).Count);
        var payments = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!;
        var refunds = payments.Where(p => p.GetProperty("status").GetString() == "refunded").ToList();
        Assert.Equal([5_000L, Clinic.PremiumPrice - 5_000], refunds.Select(r => r.GetProperty("amount").GetProperty("amount").GetInt64()).Order());
        Assert.All(refunds, r => Assert.Equal(paymentIntent, r.GetProperty("reference").GetString()));
        Assert.Single(payments, p => p.GetProperty("status").GetString() == "succeeded");
    }

    [Fact]
    public async Task A_dispute_flags_the_member_notifies_staff_and_is_listed_until_resolved()
    {
        var (id, paymentIntent) = await CardMemberAsync("Dora", "Dispute");
        var dispute = await _stripe.DisputeAsync(paymentIntent);
        var created = await _stripe.EventAsync("charge.dispute.created", e => e["data"]!["object"]!["id"]!.GetValue<string>() == dispute);

        Assert.Equal("processed", await DeliverOkAsync(created));
        Assert.Equal("duplicate", await DeliverOkAsync(created));

        var flagged = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/disputes"))!);
        Assert.Equal((dispute, paymentIntent, Clinic.PremiumPrice), (flagged.GetProperty("disputeId").GetString(), flagged.GetProperty("paymentIntentId").GetString(), flagged.GetProperty("amount").GetProperty("amount").GetInt64()));
        Assert.True(flagged.GetProperty("isOpen").GetBoolean());
        var open = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/disputes"))!;
        Assert.Contains(open, d => d.GetProperty("disputeId").GetString() == dispute && d.GetProperty("memberId").GetString() == id);
        Assert.Single(await EventsAsync(id, "charge_disputed"));
        var notice = Assert.Single(await EventsAsync(id, "notice_issued"), n => n.GetProperty("payload").GetProperty("kind").GetString() == "dispute_opened");
        Assert.Equal(StripeWebhookFixture.StaffEmail, notice.GetProperty("payload").GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_reissued_card_is_updated_on_file_and_a_detached_one_is_removed()
    {
        var (id, _) = await CardMemberAsync("Carl", "Card");
        var card = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("card");
        var paymentMethod = card.GetProperty("paymentMethodId").GetString()!;

        await _stripe.AutomaticallyUpdateAsync(paymentMethod, 3, 2031, "1881");
        await DeliverOkAsync(await _stripe.EventAsync("payment_method.automatically_updated", e => e["data"]!["object"]!["id"]!.GetValue<string>() == paymentMethod));

        var updated = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("card");
        Assert.Equal(("1881", 3, 2031), (updated.GetProperty("last4").GetString(), updated.GetProperty("expMonth").GetInt32(), updated.GetProperty("expYear").GetInt32()));

        await _stripe.DetachAsync(paymentMethod);
        var detached = await _stripe.EventAsync("payment_method.detached", e => e["data"]!["object"]!["id"]!.GetValue<string>() == paymentMethod);
        await DeliverOkAsync(detached);
        await DeliverOkAsync(detached);

        var membership = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");
        Assert.True(!membership.TryGetProperty("card", out var none) || none.ValueKind == JsonValueKind.Null);
        Assert.Single(await EventsAsync(id, "card_on_file_removed"));
    }

    // ---- helpers ----

    /// <summary>An active member whose first month was charged on <c>pm_card_visa</c>; returns the PaymentIntent.</summary>
    private async Task<(string Id, string PaymentIntent)> CardMemberAsync(string first, string last)
    {
        var id = await fixture.Clinic.RegisterAsync(first, last);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        Assert.Equal("active", (await EnrolAsync(id, $"{first} {last}")).GetProperty("status").GetString());
        var attempt = Assert.Single(await ChargeAttemptsAsync(id));
        return (id, attempt.GetProperty("paymentIntentId").GetString()!);
    }

    private async Task<JsonElement> EnrolAsync(string id, string name) =>
        await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = fixture.Clinic.PremiumPlanId, agreement = new { signedName = name, accepted = true } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement[]> ChargeAttemptsAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;

    private async Task<List<JsonElement>> EventsAsync(string id, string type) =>
        [.. (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!.Where(e => e.GetProperty("type").GetString() == type)];

    private static JsonObject OlderFailureOf(JsonObject succeeded, string eventId)
    {
        var stale = succeeded.DeepClone().AsObject();
        stale["id"] = eventId;
        stale["type"] = "payment_intent.payment_failed";
        stale["created"] = succeeded["created"]!.GetValue<long>() - 60;
        var intent = stale["data"]!["object"]!.AsObject();
        intent["status"] = "requires_payment_method";
        intent["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "insufficient_funds", ["message"] = "Your card has insufficient funds." };
        return stale;
    }

    /// <summary>Signs and posts the event as Stripe would; returns the outcome the endpoint reports.</summary>
    private async Task<string> DeliverOkAsync(JsonObject stripeEvent)
    {
        var payload = stripeEvent.ToJsonString();
        using var response = await PostAsync(payload, Sign(payload, StripeWebhookFixture.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{stripeEvent["type"]} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("outcome").GetString()!;
    }

    private async Task<HttpResponseMessage> PostAsync(string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await _anonymous.SendAsync(request);
    }

    /// <summary>Stripe's scheme, written out independently of the code under test: v1 = hex HMAC-SHA256(secret, "t.body").</summary>
    internal static string Sign(string payload, string secret, long timestamp)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{payload}")));
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(mac)}");
    }

    public void Dispose()
    {
        _admin.Dispose();
        _anonymous.Dispose();
        _stripe.Dispose();
    }
}

/// <summary>The emulator as Stripe's side of the account: its API, its admin hooks and its event log.</summary>
internal sealed class StripeSide(Uri emulator) : IDisposable
{
    private readonly HttpClient _http = Client(emulator);

    private static HttpClient Client(Uri emulator)
    {
        var http = StripeAccount.ControlClient(emulator, TimeSpan.FromSeconds(30));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_webhook_tests");
        return http;
    }

    public async Task RefundAsync(string paymentIntent, long? amount)
    {
        var form = new Dictionary<string, string> { ["payment_intent"] = paymentIntent };
        if (amount is { } a)
        {
            form["amount"] = a.ToString(CultureInfo.InvariantCulture);
        }

        (await _http.PostAsync("/v1/refunds", new FormUrlEncodedContent(form))).EnsureSuccessStatusCode();
    }

    public async Task DetachAsync(string paymentMethod) =>
        (await _http.PostAsync($"/v1/payment_methods/{paymentMethod}/detach", new FormUrlEncodedContent([]))).EnsureSuccessStatusCode();

    public async Task<string> DisputeAsync(string paymentIntent)
    {
        var response = (await _http.PostAsJsonAsync("/_emulator/disputes", new { payment_intent = paymentIntent })).EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    public async Task AutomaticallyUpdateAsync(string paymentMethod, int expMonth, int expYear, string last4) =>
        (await _http.PostAsJsonAsync($"/_emulator/payment_methods/{paymentMethod}/automatically_update",
            new { exp_month = expMonth, exp_year = expYear, last4 })).EnsureSuccessStatusCode();

    public async Task FaultAsync(object fault) => (await _http.PostAsJsonAsync("/_emulator/faults", fault)).EnsureSuccessStatusCode();

    /// <summary>The newest event of <paramref name="type"/> that matches, exactly as the emulator stored it.</summary>
    public async Task<JsonObject> EventAsync(string type, Func<JsonObject, bool> matches)
    {
        var list = JsonNode.Parse(await _http.GetStringAsync(new Uri($"/v1/events?type={type}&limit=100", UriKind.Relative)))!;
        return list["data"]!.AsArray().Select(e => e!.AsObject()).First(matches);
    }

    public async Task<List<JsonObject>> PaymentIntentsForAsync(string memberId) =>
        [.. JsonNode.Parse(await _http.GetStringAsync(new Uri("/_emulator/payment_intents", UriKind.Relative)))!.AsArray()
            .Select(pi => pi!.AsObject()).Where(pi => pi["metadata"]?["member_id"]?.GetValue<string>() == memberId)];

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// End to end: the emulator itself delivers its webhooks to this silo's <c>/webhooks/stripe</c> (the test web host
/// listens on a real loopback port), every event twice and out of order, as Stripe may.
/// </summary>
public sealed class StripeWebhookDeliveryTests(StripeWebhookFixture fixture) : IClassFixture<StripeWebhookFixture>, IDisposable
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private readonly StripeSide _stripe = new(fixture.Silo.StripeEmulator);

    [Fact]
    public async Task Refunds_and_disputes_delivered_by_the_emulator_twice_and_out_of_order_are_recorded_once()
    {
        using (var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator))
        {
            (await emulator.PostAsJsonAsync("/_emulator/webhooks", new
            {
                url = new Uri(fixture.Silo.BaseAddress, "/webhooks/stripe"),
                secret = StripeWebhookFixture.Secret,
                duplicate_rate = 1.0,
                max_delay_ms = 300,
            })).EnsureSuccessStatusCode();
        }

        var id = await fixture.Clinic.RegisterAsync("Eve", "Endtoend");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = fixture.Clinic.PremiumPlanId, agreement = new { signedName = "Eve Endtoend", accepted = true } })).EnsureSuccessStatusCode();
        var paymentIntent = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!)
            .GetProperty("paymentIntentId").GetString()!;

        await _stripe.RefundAsync(paymentIntent, 2_500);
        var dispute = await _stripe.DisputeAsync(paymentIntent);

        var events = await Eventually.Until(
            async () => (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!.Select(e => e.GetProperty("type").GetString()).ToList(),
            types => types.Contains("refund_recorded") && types.Contains("charge_disputed"),
            TimeSpan.FromSeconds(20), "the emulator's refund and dispute webhooks to be recorded");
        // Let the duplicate and retried deliveries land too before counting.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        events = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!.Select(e => e.GetProperty("type").GetString()).ToList();

        Assert.Single(events, t => t == "refund_recorded");
        Assert.Single(events, t => t == "charge_disputed");
        Assert.Single(events, t => t == "charge_resolved");
        Assert.Contains((await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/disputes"))!, d => d.GetProperty("disputeId").GetString() == dispute);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _stripe.Dispose();
    }
}
