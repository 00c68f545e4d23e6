using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSpa.Grains.Reporting;
using MedSpa.Silo.Database;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedSpa.Web.Tests;

/// <summary>
/// The report API over a small practice whose history is folded in several runs: every report's CSV reads back to the
/// figures of its JSON, a rebuild from scratch gives exactly what the incremental runs gave, overlapping runs fold each
/// event once, and bad parameters are refused with a code.
/// </summary>
public sealed class ReportApiTests(ReportClinicFixture fixture) : IClassFixture<ReportClinicFixture>
{
    /// <summary>Every report with each of its CSV tables and the JSON array the table is.</summary>
    private static readonly (string Report, string Table, string Array)[] Tables =
    [
        ("mrr", "months", "months"),
        ("active-members", "months", "months"),
        ("churn", "months", "months"),
        ("churn", "reasons", "reasons"),
        ("credit-utilisation", "months", "months"),
        ("revenue-per-client", "months", "months"),
        ("tier-migration", "moves", "moves"),
        ("liability", "months", "months"),
        ("at-risk", "members", "members"),
    ];

    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Csv_reads_back_to_the_same_figures_as_the_json()
    {
        await PracticeWithHistoryAsync("Csv");
        foreach (var (report, table, array) in Tables)
        {
            var range = "from=2021-01-01&to=2030-12-31";
            var json = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{report}?{range}");
            var response = await _admin.GetAsync($"/api/v1/reports/{report}?{range}&format=csv&table={table}");
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"{report}-{table}-2021-01-01-2030-12-31.csv", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
            var csv = ParseCsv(await response.Content.ReadAsStringAsync());

            var rows = json.GetProperty(array).EnumerateArray().ToList();
            Assert.True(rows.Count > 0 || report == "at-risk", $"{report} has no rows to compare");
            Assert.Equal(rows.Count, csv.Count - 1);
            var header = csv[0];
            for (var i = 0; i < rows.Count; i++)
            {
                var expected = rows[i].EnumerateObject().ToDictionary(p => SnakeCase(p.Name), p => p.Value);
                Assert.Equal(expected.Keys, header);
                for (var c = 0; c < header.Count; c++)
                {
                    AssertSameValue(expected[header[c]], csv[i + 1][c], $"{report} {table} row {i} {header[c]}");
                }
            }
        }
    }

    [Fact]
    public async Task A_rebuild_from_scratch_gives_what_the_incremental_runs_gave()
    {
        await PracticeWithHistoryAsync("Rebuild");
        var incremental = await AllReportsAsync();

        var rebuilt = await _admin.PostOkAsync("/api/v1/reports/rebuild", new { });
        Assert.True(rebuilt.GetProperty("rebuilt").GetBoolean());
        Assert.Equal(await CountAsync("SELECT count(*) FROM member_events"), rebuilt.GetProperty("events").GetInt64());
        Assert.Equal(await CountAsync("SELECT count(DISTINCT member_id) FROM member_events"), rebuilt.GetProperty("members").GetInt64());

        Assert.Equal(incremental, await AllReportsAsync());
    }

    [Fact]
    public async Task Runs_that_overlap_fold_each_event_once()
    {
        await PracticeWithHistoryAsync("Overlap");
        var projector = fixture.Silo.Services.GetRequiredService<ReportProjector>();
        var before = await AllReportsAsync();

        // Forget where the projection got to, then let five runs race over the whole log: the checkpoint's lock and each
        // client's last_seq must keep every event from being added twice.
        await ExecuteAsync("UPDATE report_checkpoint SET tx_horizon = '0'");
        var runs = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => projector.RunAsync(rebuild: false, _ => null)));

        Assert.Equal(0, runs.Sum(r => r.Events));
        Assert.Equal(before, await AllReportsAsync());
    }

    [Fact]
    public async Task The_rebuild_command_throws_the_projection_away_and_the_next_request_folds_the_log_again()
    {
        await PracticeWithHistoryAsync("Command");
        var before = await AllReportsAsync();

        Assert.Equal(0, await Schema.RebuildReportsCommandAsync([$"--ConnectionStrings:Postgres={fixture.ConnectionString}"]));
        Assert.Equal((0L, "0"), (await CountAsync("SELECT count(*) FROM report_members"), await TextAsync("SELECT tx_horizon::text FROM report_checkpoint")));

        Assert.Equal(before, await AllReportsAsync());
    }

    [Theory]
    [InlineData("from=2026-13-01", HttpStatusCode.BadRequest, "invalid_date")]
    [InlineData("to=yesterday", HttpStatusCode.BadRequest, "invalid_date")]
    [InlineData("from=2026-06-01&to=2026-05-31", HttpStatusCode.BadRequest, "invalid_range")]
    [InlineData("from=2001-01-01&to=2026-01-01", HttpStatusCode.BadRequest, "range_too_long")]
    [InlineData("by=tier", HttpStatusCode.BadRequest, "invalid_group")]
    [InlineData("format=xml", HttpStatusCode.BadRequest, "invalid_format")]
    [InlineData("format=csv&table=everything", HttpStatusCode.BadRequest, "invalid_table")]
    [InlineData("location=loc_nowhere", HttpStatusCode.NotFound, "location_not_found")]
    public async Task Bad_parameters_are_refused_with_a_code(string parameters, HttpStatusCode status, string code)
    {
        await ProblemAssert.IsProblem(await _admin.GetAsync($"/api/v1/reports/mrr?{parameters}"), status, code);
    }

    [Fact]
    public async Task Reports_group_by_plan_unless_asked_for_versions()
    {
        var planId = await CreatePlanAsync($"Versioned {Guid.NewGuid():N}"[..20], 10_000);
        var first = await Clinic.RegisterAsync("Vera", "First");
        await EnrolAndPayAsync(first, "Vera First", planId, 10_000);
        (await _admin.PutAsJsonAsync($"/api/v1/plans/{planId}", PlanTerms((await PlanNameAsync(planId)), 12_000))).EnsureSuccessStatusCode();
        var second = await Clinic.RegisterAsync("Vera", "Second");
        await EnrolAndPayAsync(second, "Vera Second", planId, 12_000);

        var byPlan = await MrrRowsAsync("");
        var row = Assert.Single(byPlan, r => r.GetProperty("planId").GetString() == planId);
        Assert.Equal((2L, 22_000L), (row.GetProperty("activeMembers").GetInt64(), row.GetProperty("mrr").GetInt64()));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("planVersion").ValueKind);

        var byVersion = (await MrrRowsAsync("&by=version")).Where(r => r.GetProperty("planId").GetString() == planId).ToList();
        Assert.Equal([(1, 10_000L), (2, 12_000L)], byVersion.Select(r => (r.GetProperty("planVersion").GetInt32(), r.GetProperty("mrr").GetInt64())));
    }

    /// <summary>Clients whose histories are folded over several runs: each step below is followed by a report request.</summary>
    private async Task PracticeWithHistoryAsync(string name)
    {
        var ava = await Clinic.ActiveMemberAsync("Ava", name);
        await AllReportsAsync();
        await _admin.PostOkAsync($"/api/v1/members/{ava}/checkouts", new
        {
            checkoutId = $"chk_{name}_1",
            basket = new { items = new object[] { new { serviceId = Clinic.NeurotoxinId }, new { serviceId = Clinic.FillerId } } },
            settlement = "card_terminal",
        });
        await _admin.PostOkAsync($"/api/v1/members/{ava}/credit-adjustments", new { adjustmentId = $"adj_{name}", benefitKey = Clinic.NeurotoxinKey, quantity = 2, reason = "Loyalty gift" });
        await AllReportsAsync();

        var ben = await Clinic.ActiveMemberAsync("Ben", name);
        await _admin.PostOkAsync($"/api/v1/members/{ben}/redemptions", new { redemptionId = $"red_{name}", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
        await _admin.PostOkAsync($"/api/v1/members/{ben}/redemptions/red_{name}/void", new { reason = "Booked in error" });
        await _admin.PostOkAsync($"/api/v1/members/{ben}/cancellation", new { reason = "relocation", confirm = true });
        await AllReportsAsync();

        var walkIn = await Clinic.RegisterAsync("Cal", name);
        await _admin.PostOkAsync($"/api/v1/members/{walkIn}/checkouts", new
        {
            checkoutId = $"chk_{name}_2",
            basket = new { items = new object[] { new { serviceId = Clinic.FacialId } } },
            settlement = "cash",
        });
        await AllReportsAsync();

        // Two months on: Ava renews on her card and her downgrade to Lite applies; Ben has no card, so his renewal is
        // chased, he is suspended and then cancelled for non-payment.
        var lite = await CreatePlanAsync($"Lite {name} {Guid.NewGuid():N}"[..24], 9_900);
        await _admin.PostOkAsync($"/api/v1/members/{ava}/payment-method", new { paymentMethodId = "pm_card_visa" });
        await _admin.PostOkAsync($"/api/v1/members/{ava}/plan-change", new { planId = lite, confirm = true, changeId = $"chg_{name}" });
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        await _admin.AdvanceClockToAsync(now.AddMonths(2).AddDays(5));
    }

    /// <summary>Every report over every date, as the API writes it (the projection caught up first by each request).</summary>
    private async Task<string> AllReportsAsync()
    {
        var all = new StringBuilder();
        foreach (var report in Tables.Select(t => t.Report).Distinct())
        {
            var response = await _admin.GetAsync($"/api/v1/reports/{report}?from=2021-01-01&to=2030-12-31");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{report}: {(int)response.StatusCode} {text}");
            all.AppendLine(text);
        }

        return all.ToString();
    }

    private async Task<List<JsonElement>> MrrRowsAsync(string parameters)
    {
        var report = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/reports/mrr?from=2021-01-01&to=2030-12-31{parameters}");
        var months = report.GetProperty("months").EnumerateArray().ToList();
        var last = months.Max(m => m.GetProperty("month").GetString());
        return months.Where(m => m.GetProperty("month").GetString() == last).ToList();
    }

    private async Task<string> CreatePlanAsync(string name, long price) =>
        (await _admin.PostOkAsync("/api/v1/plans", PlanTerms(name, price))).GetProperty("id").GetString()!;

    private async Task<string> PlanNameAsync(string planId) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/plans/{planId}")).GetProperty("versions")[0].GetProperty("terms").GetProperty("name").GetString()!;

    private static object PlanTerms(string name, long price) => new
    {
        name,
        monthlyPrice = Clinic.Usd(price),
        minimumTermMonths = 0,
        benefits = new object[] { new { kind = "treatment_units", category = "neurotoxin", units = 1 } },
    };

    private async Task EnrolAndPayAsync(string memberId, string signedName, string planId, long price)
    {
        await _admin.PostOkAsync($"/api/v1/members/{memberId}/enrolment", new { planId, agreement = new { signedName, accepted = true } });
        await _admin.PostOkAsync($"/api/v1/members/{memberId}/desk-payments", new { paymentId = $"pay_{Guid.NewGuid():N}", method = "card_terminal", amount = Clinic.Usd(price) });
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = fixture.Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<string> TextAsync(string sql)
    {
        await using var command = fixture.Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = fixture.Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static void AssertSameValue(JsonElement expected, string cell, string where)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                Assert.True(cell.Length == 0, $"{where}: expected empty, got {cell}");
                break;
            case JsonValueKind.Number:
                Assert.True(expected.GetDecimal() == decimal.Parse(cell, NumberStyles.Number, CultureInfo.InvariantCulture), $"{where}: {expected} vs {cell}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Assert.True(expected.GetBoolean() == bool.Parse(cell), $"{where}: {expected} vs {cell}");
                break;
            default:
                Assert.True(expected.GetString() == cell, $"{where}: {expected} vs {cell}");
                break;
        }
    }

    private static string SnakeCase(string camel) =>
        string.Concat(camel.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>RFC 4180: comma-separated, CRLF rows, quoted fields with doubled quotes.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.True(field.Length == 0 && row.Count == 0, "the CSV must end with CRLF");
        return rows;
    }
}

/// <summary>The test clinic on a silo whose reporting timer stays out of the way, so the tests decide when the projection runs.</summary>
public sealed class ReportClinicFixture : SiloFixture
{
    public Clinic Clinic { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Reporting:CatchUpEvery"] = "01:00:00" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clinic = await Clinic.OpenAsync(Silo);
    }
}
