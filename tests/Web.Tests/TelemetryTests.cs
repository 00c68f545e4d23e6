using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using MedSpa.Grains.Members;
using MedSpa.Grains.Telemetry;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Tests;

/// <summary>
/// What operators see of a charge: one trace from the HTTP request through the member grain to Stripe (the emulator,
/// over HTTP) and PostgreSQL, and the practice's metrics on <c>/metrics</c>.
/// </summary>
public sealed class TelemetryTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task An_enrolment_is_one_trace_from_the_web_through_the_grain_to_stripe_and_postgres()
    {
        var id = await fixture.Clinic.RegisterAsync("Tess", "Trace");
        await _admin.PostOkAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" });

        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment",
            new { planId = fixture.Clinic.PremiumPlanId, agreement = new { signedName = "Tess Trace", accepted = true } });

        // The test's own call, whose trace the silo continues (traceparent).
        var call = Assert.Single(activities, a => a.Source.Name == "System.Net.Http"
            && a.GetTagItem("url.full") is string url && url.EndsWith($"/api/v1/members/{id}/enrolment", StringComparison.Ordinal));
        var trace = activities.Where(a => a.TraceId == call.TraceId).ToList();
        Assert.Contains(trace, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.Contains("MemberGrain", StringComparison.Ordinal));
        var emulatorPort = fixture.Silo.StripeEmulator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(trace, a => a.Source.Name == "System.Net.Http"
            && a.GetTagItem("url.full") is string url && url.Contains($":{emulatorPort}/v1/payment_intents", StringComparison.Ordinal));
        Assert.Contains(trace, a => a.Source.Name == "Npgsql");
        // The member's events, committed by the journal's writer on the request's behalf.
        var appends = trace.Where(a => a.Source.Name == PostgresMemberJournal.ActivitySourceName).Select(a => a.SpanId).ToHashSet();
        Assert.NotEmpty(appends);
        Assert.Contains(trace, a => a.Source.Name == "Npgsql" && appends.Contains(a.ParentSpanId));
    }

    [Fact]
    public async Task Charges_redemptions_and_the_billing_gauges_are_on_the_metrics_endpoint()
    {
        var id = await fixture.Clinic.RegisterAsync("Mia", "Metric");
        await _admin.PostOkAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" });
        await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment",
            new { planId = fixture.Clinic.PremiumPlanId, agreement = new { signedName = "Mia Metric", accepted = true } });
        await _admin.PostOkAsync($"/api/v1/members/{id}/redemptions", new { redemptionId = "red_metric", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
        await _admin.GetAsync("/api/v1/reports/mrr");
        await fixture.Silo.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<PracticeGauges>().Single().ReadAsync();

        var metrics = await _admin.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("medspa_charges_total{", StringComparison.Ordinal) && line.Contains("outcome=\"succeeded\"", StringComparison.Ordinal));
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("medspa_credits_redeemed_total{", StringComparison.Ordinal) && line.Contains("kind=\"units\"", StringComparison.Ordinal));
        foreach (var gauge in new[] { "medspa_members_past_due", "medspa_members_suspended", "medspa_billing_overdue" })
        {
            Assert.Contains(metrics.Split('\n'), line => line.StartsWith(gauge, StringComparison.Ordinal));
        }
    }
}
