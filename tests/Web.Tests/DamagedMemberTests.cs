using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Grains.Members;
using MedSpa.Members;
using MedSpa.Notifications;
using MedSpa.Plans;
using MedSpa.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedSpa.Web.Tests;

/// <summary>
/// Issue 19, finding 10: a member whose log cannot be folded damages only themselves (their own calls answer
/// <c>member_log_unreadable</c>; other members, the export, the reports and the notice sender carry on), a change the
/// fold cannot apply is never appended, and every unexpected failure is logged with the trace id its problem carries.
/// </summary>
public sealed class DamagedMemberTests(DamagedMemberTests.LoggedClinic fixture) : IClassFixture<DamagedMemberTests.LoggedClinic>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    private IMemberJournal Journal => fixture.Silo.Services.GetRequiredService<IMemberJournal>();

    [Fact]
    public async Task An_unexpected_exception_is_logged_at_error_with_the_trace_id_its_problem_carries()
    {
        var response = await _admin.GetAsync(LoggedClinic.ThrowingPath);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.InternalServerError, "internal_error");
        var traceId = problem.GetProperty("traceId").GetString()!;
        Assert.False(string.IsNullOrEmpty(traceId));
        var entry = Assert.Single(fixture.Logs.Entries, e => e.Message.Contains(traceId, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal(LoggedClinic.Failure, entry.Exception?.Message);
    }

    [Fact]
    public async Task A_member_whose_log_cannot_be_folded_is_refused_as_unreadable_and_the_practice_carries_on()
    {
        var healthy = await fixture.Clinic.ActiveMemberAsync("Hale", "Whole");
        var damaged = await CopyWithAsync(healthy, new RedemptionVoided("red_never_made", "Edited by hand") { OccurredAt = DateTimeOffset.UtcNow });

        // The damaged member's own calls: a clear problem, logged with their id, and nothing written.
        foreach (var path in new[] { "", "/credits", "/ledger", "/membership", "/payments" })
        {
            var problem = await ProblemAssert.IsProblem(
                await _admin.GetAsync($"/api/v1/members/{damaged}{path}"), HttpStatusCode.InternalServerError, MemberGrain.UnreadableCode);
            Assert.Contains(fixture.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(problem.GetProperty("traceId").GetString()!, StringComparison.Ordinal));
        }

        Assert.Contains(fixture.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"The log of {damaged} cannot be folded", StringComparison.Ordinal));
        var events = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{damaged}/events");
        Assert.Equal("redemption_voided", events![^1].GetProperty("type").GetString());
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{damaged}/credit-adjustments",
            new { adjustmentId = "adj_fix", benefitKey = Clinic.NeurotoxinKey, quantity = 1, reason = "Fix" }), HttpStatusCode.InternalServerError, MemberGrain.UnreadableCode);
        Assert.Equal(events.Length, (await Journal.ReadAsync(healthy)).Count + 1);
        Assert.Equal(events.Length, (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{damaged}/events"))!.Length);

        // Everyone else: the healthy member and their page, the ledger export (without the damaged member), every report.
        (await _admin.GetAsync($"/api/v1/members/{healthy}/credits")).EnsureSuccessStatusCode();
        var owner = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));
        (await owner.GetAsync($"/members/{healthy}")).EnsureSuccessStatusCode();
        var ledger = await (await _admin.GetAsync("/api/v1/exports/ledger.csv")).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        Assert.Contains(healthy, ledger, StringComparison.Ordinal);
        Assert.DoesNotContain(damaged, ledger, StringComparison.Ordinal);
        Assert.Contains(fixture.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"Left {damaged} out of the export", StringComparison.Ordinal));
        foreach (var report in new[] { "mrr", "active-members", "churn", "credit-utilisation", "revenue-per-client", "tier-migration", "liability", "at-risk" })
        {
            var answer = await _admin.GetAsync($"/api/v1/reports/{report}?from=2021-01-01&to=2030-12-31");
            Assert.True(answer.IsSuccessStatusCode, $"{report}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }

        Assert.Contains(fixture.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"Left {damaged} out of the reports", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_notice_sender_gives_up_on_a_member_whose_log_cannot_be_folded_instead_of_retrying_for_ever()
    {
        var healthy = await fixture.Clinic.ActiveMemberAsync("Nell", "Notice");
        var damaged = await CopyWithAsync(healthy, new RedemptionVoided("red_never_made", "Edited by hand") { OccurredAt = DateTimeOffset.UtcNow });
        var notice = new NoticeIssued("ntc_damaged", NoticeKind.PaymentFailed, "nell@example.com", "A payment failed") { OccurredAt = DateTimeOffset.UtcNow };

        await fixture.Silo.Grains.GetGrain<INoticeSenderGrain>(INoticeSenderGrain.KeyOf(damaged, notice.NoticeId)).DeliverAsync(notice);

        await Eventually.Until(
            () => Task.FromResult(fixture.Logs.Entries.Any(e =>
                e.Level == LogLevel.Error && e.Message.Contains($"Notice ntc_damaged of {damaged} cannot be recorded as sent; giving up", StringComparison.Ordinal))),
            given => given, TimeSpan.FromSeconds(20), "the sender giving up");
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains($"Notice ntc_damaged of {damaged} was not sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_change_the_fold_cannot_apply_is_refused_and_never_appended()
    {
        // A balance recorded before the ceilings existed, at the very edge of a long: the log still folds, but one more
        // unit would not.
        var healthy = await fixture.Clinic.ActiveMemberAsync("Edge", "Case");
        var edge = await CopyWithAsync(healthy, new CreditsAdjusted(
            "adj_legacy", Clinic.NeurotoxinKey, BenefitKind.TreatmentUnits, long.MaxValue, "Recorded before the ceilings", "lot_3", null, []) { OccurredAt = DateTimeOffset.UtcNow });
        var before = (await Journal.ReadAsync(edge)).Count;

        var refused = await _admin.PostAsJsonAsync($"/api/v1/members/{edge}/credit-adjustments",
            new { adjustmentId = "adj_one_more", benefitKey = Clinic.NeurotoxinKey, quantity = 1, reason = "One more" });

        await ProblemAssert.IsProblem(refused, HttpStatusCode.Conflict, MemberGrain.UnfoldableCode);
        Assert.Equal(before, (await Journal.ReadAsync(edge)).Count);
        Assert.Contains(fixture.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"AdjustCreditsAsync for {edge}", StringComparison.Ordinal));
        // Nothing was appended, so the log still reads back whole (its balance needs repairing by hand).
        Assert.Equal(before, (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{edge}/events"))!.Length);
    }

    /// <summary>A new member whose log is <paramref name="memberId"/>'s followed by <paramref name="extra"/>, written straight to the journal.</summary>
    private async Task<string> CopyWithAsync(string memberId, MemberEvent extra)
    {
        var copy = $"mem_copy_{Guid.NewGuid():N}";
        var log = await Journal.ReadAsync(memberId);
        Assert.True(await Journal.AppendAsync(copy, 0, [.. log.Select(e => e.Event), extra]));
        return copy;
    }

    /// <summary>The test clinic on a silo whose log entries are kept, with one path that fails as a bug would.</summary>
    public sealed class LoggedClinic : IAsyncLifetime
    {
        public const string ThrowingPath = "/api/v1/test-only/throws";
        public const string Failure = "A failure nobody expected";

        private TestDatabase _database = null!;

        public CapturedLogs Logs { get; } = new();

        public TestSilo Silo { get; private set; } = null!;

        public Clinic Clinic { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateAsync();
            Silo = await TestSilo.StartAsync(_database, configure: builder =>
            {
                builder.Services.AddSingleton<IStartupFilter>(new Throwing(Logs));
            });
            Clinic = await Clinic.OpenAsync(Silo);
        }

        public async Task DisposeAsync()
        {
            await Silo.DisposeAsync();
            await _database.DisposeAsync();
        }

        /// <summary>Behind every endpoint, so only a path none of them takes reaches it, inside the exception handler.</summary>
        /// <remarks>The log sink is added here, once the host is built: the host clears the providers it was given.</remarks>
        private sealed class Throwing(CapturedLogs logs) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.ApplicationServices.GetRequiredService<ILoggerFactory>().AddProvider(logs);
                next(app);
                app.Use((HttpContext context, RequestDelegate rest) =>
                    context.Request.Path == ThrowingPath ? throw new InvalidOperationException(Failure) : rest(context));
            };
        }
    }

    public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

    /// <summary>Every entry at Warning or above, kept in memory.</summary>
    public sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyCollection<LogEntry> Entries => _entries;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), exception));
                }
            }
        }
    }
}
