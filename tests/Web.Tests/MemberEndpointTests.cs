using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

public sealed class MemberEndpointTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task A_registered_client_can_be_found_by_name_email_or_phone()
    {
        var id = await Clinic.RegisterAsync("Maya", "Quintero");
        var profile = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}");

        Assert.Equal("Maya", profile.GetProperty("firstName").GetString());
        var email = profile.GetProperty("email").GetString()!;
        foreach (var query in new[] { "quinter", email.ToUpperInvariant(), "555 0100" })
        {
            var found = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members?q={Uri.EscapeDataString(query)}");
            Assert.Contains(found!, m => m.GetProperty("id").GetString() == id);
        }
    }

    [Fact]
    public async Task A_second_client_with_the_same_email_is_a_conflict()
    {
        var id = await Clinic.RegisterAsync("Lena", "Park");
        var email = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}")).GetProperty("email").GetString();

        var again = await _admin.PostAsJsonAsync("/api/v1/members",
            new { firstName = "Other", lastName = "Person", email = email!.ToUpperInvariant(), phone = (string?)null, homeLocationId = Clinic.LocationId });

        await ProblemAssert.IsProblem(again, HttpStatusCode.Conflict, "email_in_use");
    }

    [Theory]
    [InlineData("""{"firstName": "A", "lastName": "B", "email": "not-an-email", "homeLocationId": "LOC"}""", "invalid_email")]
    [InlineData("""{"firstName": " ", "lastName": "B", "email": "a@b.co", "homeLocationId": "LOC"}""", "invalid_name")]
    [InlineData("""{"firstName": "A", "lastName": "B", "email": "a@b.co", "homeLocationId": "loc_nowhere"}""", "unknown_location")]
    [InlineData("""{"firstName": "A", "lastName": "B", "email": "a@b.co", "phone": "call me", "homeLocationId": "LOC"}""", "invalid_phone")]
    [InlineData("""{"firstName": "A", "lastName": "B", "email": "a@b.co", "homeLocationId": "LOC", "vip": true}""", "malformed_request")]
    public async Task Bad_client_details_are_refused_and_list_nobody_new(string body, string code)
    {
        var before = await _admin.GetStringAsync("/api/v1/members?limit=200");

        var response = await _admin.PostAsync("/api/v1/members", Json(body.Replace("LOC", Clinic.LocationId, StringComparison.Ordinal)));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await _admin.GetStringAsync("/api/v1/members?limit=200"));
    }

    [Fact]
    public async Task Enrolment_signs_the_agreement_and_waits_for_the_first_payment()
    {
        var id = await Clinic.RegisterAsync("Nora", "Blake");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/members/{id}/enrolment")
        {
            Content = JsonContent.Create(new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "nora  blake", accepted = true } }),
        };
        request.Headers.UserAgent.ParseAdd("FrontDeskTablet/1.0");

        var membership = await (await _admin.SendAsync(request)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("pending_payment", membership.GetProperty("status").GetString());
        Assert.Equal(Clinic.PremiumPrice, membership.GetProperty("amountDue").GetProperty("amount").GetInt64());
        var enrolledOn = DateOnly.Parse(membership.GetProperty("enrolledOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(enrolledOn.Day, membership.GetProperty("anchorDay").GetInt32());
        Assert.Equal(enrolledOn.AddMonths(6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), membership.GetProperty("termEnd").GetString());

        var agreement = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/agreement");
        var text = agreement.GetProperty("text").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), agreement.GetProperty("sha256").GetString());
        Assert.Contains("Premium", text, StringComparison.Ordinal);
        Assert.Contains("199.00", text, StringComparison.Ordinal);
        Assert.Equal("nora blake", agreement.GetProperty("signedName").GetString());
        Assert.Equal("FrontDeskTablet/1.0", agreement.GetProperty("userAgent").GetString());
        Assert.Equal("127.0.0.1", agreement.GetProperty("ipAddress").GetString());

        var pdf = await _admin.GetAsync($"/api/v1/members/{id}/agreement.pdf");
        Assert.Equal("application/pdf", pdf.EnsureSuccessStatusCode().Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);

        var credits = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits");
        Assert.Empty(credits.GetProperty("balances").EnumerateArray());
    }

    [Fact]
    public async Task A_desk_payment_activates_the_membership_and_allocates_the_periods_credits_once()
    {
        var id = await Clinic.RegisterAsync("Iris", "Vale");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Iris Vale", accepted = true } })).EnsureSuccessStatusCode();
        var payment = new { paymentId = "pay_desk_iris_1", method = "cash", amount = Clinic.Usd(Clinic.PremiumPrice) };

        var first = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/desk-payments", payment);
        var replay = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/desk-payments", payment);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("active", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var balances = await Balances(id);
        Assert.Equal(1, balances[Clinic.NeurotoxinKey]);
        Assert.Equal(5_000, balances[Clinic.FacialCreditKey]);
        var payments = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments");
        var paid = Assert.Single(payments!);
        Assert.Equal("subscription", paid.GetProperty("category").GetString());
        var types = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["client_registered", "member_enrolled", "payment_recorded", "period_paid", "credits_allocated", "credits_allocated"], types);

        var nothingDue = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/desk-payments",
            new { paymentId = "pay_desk_iris_2", method = "cash", amount = Clinic.Usd(Clinic.PremiumPrice) });
        await ProblemAssert.IsProblem(nothingDue, HttpStatusCode.Conflict, "nothing_due");
    }

    [Theory]
    [InlineData("""{"planId": "PLAN", "agreement": {"signedName": "Tess Moore", "accepted": false}}""", HttpStatusCode.BadRequest, "agreement_not_accepted")]
    [InlineData("""{"planId": "PLAN", "agreement": {"signedName": "Someone Else", "accepted": true}}""", HttpStatusCode.BadRequest, "signature_mismatch")]
    [InlineData("""{"planId": "plan_nonexistent", "agreement": {"signedName": "Tess Moore", "accepted": true}}""", HttpStatusCode.NotFound, "plan_not_found")]
    [InlineData("""{"planId": "PLAN"}""", HttpStatusCode.BadRequest, "agreement_not_accepted")]
    public async Task A_refused_enrolment_records_nothing(string body, HttpStatusCode status, string code)
    {
        var id = await Clinic.RegisterAsync("Tess", "Moore");
        var before = await _admin.GetStringAsync($"/api/v1/members/{id}/events");

        var response = await _admin.PostAsync($"/api/v1/members/{id}/enrolment", Json(body.Replace("PLAN", Clinic.PremiumPlanId, StringComparison.Ordinal)));

        await ProblemAssert.IsProblem(response, status, code);
        Assert.Equal(before, await _admin.GetStringAsync($"/api/v1/members/{id}/events"));
    }

    [Fact]
    public async Task A_desk_payment_of_the_wrong_amount_is_refused()
    {
        var id = await Clinic.RegisterAsync("Omar", "Reyes");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Omar Reyes", accepted = true } })).EnsureSuccessStatusCode();

        var response = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/desk-payments",
            new { paymentId = "pay_short", method = "cash", amount = Clinic.Usd(Clinic.PremiumPrice - 1) });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "amount_mismatch");
        Assert.Equal("pending_payment", (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_redemption_is_idempotent_and_a_void_gives_the_credit_back()
    {
        var id = await Clinic.ActiveMemberAsync("Ruth", "Kim");
        var redemption = new { redemptionId = "red_ruth_1", benefitKey = Clinic.NeurotoxinKey, quantity = 1, serviceId = Clinic.NeurotoxinId };

        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/redemptions", redemption)).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/redemptions", redemption)).EnsureSuccessStatusCode();
        Assert.Equal(0, (await Balances(id))[Clinic.NeurotoxinKey]);

        var another = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/redemptions", redemption with { redemptionId = "red_ruth_2" });
        await ProblemAssert.IsProblem(another, HttpStatusCode.Conflict, "insufficient_credits");

        var voided = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/redemptions/red_ruth_1/void", new { reason = "Booked in error" });
        Assert.NotNull((await voided.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("voidedAt").GetString());
        Assert.Equal(1, (await Balances(id))[Clinic.NeurotoxinKey]);

        var ledger = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/ledger");
        var neurotoxin = ledger!.Where(e => e.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey).ToList();
        Assert.Equal(["allocated", "redeemed", "voided"], neurotoxin.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1L, 0L, 1L], neurotoxin.Select(e => e.GetProperty("balanceAfter").GetInt64()));
    }

    [Fact]
    public async Task Fifty_parallel_redemptions_against_five_credits_redeem_exactly_five()
    {
        var id = await Clinic.ActiveMemberAsync("Zoe", "Hart");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/credit-adjustments",
            new { adjustmentId = "adj_zoe_1", benefitKey = Clinic.NeurotoxinKey, quantity = 4, reason = "Loyalty gift" })).EnsureSuccessStatusCode();
        Assert.Equal(5, (await Balances(id))[Clinic.NeurotoxinKey]);

        var responses = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => _admin.PostAsJsonAsync(
            $"/api/v1/members/{id}/redemptions", new { redemptionId = $"red_zoe_{i}", benefitKey = Clinic.NeurotoxinKey, quantity = 1 })));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await ProblemAssert.IsProblem(refused, HttpStatusCode.Conflict, "insufficient_credits");
        }

        Assert.Equal(0, (await Balances(id))[Clinic.NeurotoxinKey]);
        var ledger = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/ledger");
        Assert.Equal(5, ledger!.Count(e => e.GetProperty("type").GetString() == "redeemed"));
    }

    [Fact]
    public async Task A_staff_adjustment_needs_a_reason()
    {
        var id = await Clinic.ActiveMemberAsync("Ivy", "Shaw");

        var response = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/credit-adjustments",
            new { adjustmentId = "adj_ivy_1", benefitKey = Clinic.NeurotoxinKey, quantity = 2, reason = " " });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "reason_required");
        Assert.Equal(1, (await Balances(id))[Clinic.NeurotoxinKey]);
    }

    [Fact]
    public async Task The_checkout_does_exactly_what_its_preview_said_and_a_replay_returns_the_first_receipt()
    {
        var id = await Clinic.ActiveMemberAsync("Eve", "Lund");
        var basket = new { items = new object[] { new { serviceId = Clinic.NeurotoxinId }, new { serviceId = Clinic.FacialId }, new { serviceId = Clinic.FillerId } } };

        var preview = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/checkout-preview", basket)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

        // Botox: one unit. Facial: $50 credit, then 10% off the $149 left. Filler: 10% off.
        var facialDiscount = 1_490L;
        var fillerDiscount = 6_500L;
        var due = Clinic.FacialPrice - 5_000 - facialDiscount + Clinic.FillerPrice - fillerDiscount;
        Assert.Equal(due, preview.GetProperty("amountDue").GetProperty("amount").GetInt64());
        Assert.Equal(facialDiscount + fillerDiscount, preview.GetProperty("discountApplied").GetProperty("amount").GetInt64());
        Assert.True(preview.GetProperty("memberPricing").GetBoolean());
        Assert.Equal(1, (await Balances(id))[Clinic.NeurotoxinKey]);

        var checkout = new { checkoutId = "chk_eve_1", basket, settlement = "card_terminal" };
        var receipt = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/checkouts", checkout)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var replay = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/checkouts", checkout)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(preview.GetProperty("lines").GetRawText(), receipt.GetProperty("quote").GetProperty("lines").GetRawText());
        Assert.Equal(receipt.GetRawText(), replay.GetRawText());
        var balances = await Balances(id);
        Assert.Equal(0, balances[Clinic.NeurotoxinKey]);
        Assert.Equal(0, balances[Clinic.FacialCreditKey]);
        var payments = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments");
        var treatment = Assert.Single(payments!, p => p.GetProperty("category").GetString() == "treatment");
        Assert.Equal(due, treatment.GetProperty("amount").GetProperty("amount").GetInt64());

        var reused = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/checkouts",
            new { checkoutId = "chk_eve_1", basket = new { items = new object[] { new { serviceId = Clinic.FillerId } } }, settlement = "cash" });
        await ProblemAssert.IsProblem(reused, HttpStatusCode.Conflict, "checkout_id_reused");
    }

    [Fact]
    public async Task A_non_member_pays_list_price_and_can_buy_a_package_whose_sessions_are_used_next_time()
    {
        var id = await Clinic.RegisterAsync("Paul", "Ng");
        var package = new { name = "3 HydraFacials", price = Clinic.Usd(50_000), serviceId = Clinic.FacialId, sessions = 3, validForDays = 365 };

        var bought = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/checkouts",
            new { checkoutId = "chk_paul_1", basket = new { items = new object[] { new { package }, new { serviceId = Clinic.FillerId } } }, settlement = "cash" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(bought.GetProperty("quote").GetProperty("memberPricing").GetBoolean());
        Assert.Equal(50_000 + Clinic.FillerPrice, bought.GetProperty("quote").GetProperty("amountDue").GetProperty("amount").GetInt64());

        var next = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/checkout-preview",
            new { items = new object[] { new { serviceId = Clinic.FacialId } } })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, next.GetProperty("amountDue").GetProperty("amount").GetInt64());
        var categories = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!.Select(p => p.GetProperty("category").GetString()).Order();
        Assert.Equal(["package", "treatment"], categories);
    }

    [Fact]
    public async Task An_add_on_bought_at_the_desk_adds_a_lot_and_a_payment()
    {
        var id = await Clinic.ActiveMemberAsync("Ada", "Cole");

        var response = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/add-ons",
            new { purchaseId = "buy_ada_1", addOnKey = "extra-neurotoxin", method = "card_terminal" });

        response.EnsureSuccessStatusCode();
        Assert.Equal(2, (await Balances(id))[Clinic.NeurotoxinKey]);
        Assert.Contains((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!, p => p.GetProperty("category").GetString() == "add_on");
    }

    [Theory]
    [InlineData("/api/v1/members/mem_doesnotexist")]
    [InlineData("/api/v1/members/not-a-member-id/credits")]
    [InlineData("/api/v1/members/mem_doesnotexist/membership")]
    public async Task An_unknown_member_is_a_404(string path)
    {
        await ProblemAssert.IsProblem(await _admin.GetAsync(path), HttpStatusCode.NotFound, "member_not_found");
    }

    private async Task<Dictionary<string, long>> Balances(string memberId)
    {
        var credits = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{memberId}/credits");
        return credits.GetProperty("balances").EnumerateArray().ToDictionary(b => b.GetProperty("benefitKey").GetString()!, b => b.GetProperty("balance").GetInt64());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
