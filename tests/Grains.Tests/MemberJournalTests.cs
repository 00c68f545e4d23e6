using MedSpa.Billing;
using MedSpa.Grains.Members;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Silo.Database;
using MedSpa.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MedSpa.Grains.Tests;

/// <summary>The member log in PostgreSQL: every event reads back as written; appends are conditional and all-or-nothing.</summary>
public sealed class MemberJournalTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 15, 9, 26, TimeSpan.FromHours(-4));
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    private PostgresMemberJournal Journal => new(_dataSource);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new Schema(_dataSource, NullLogger<Schema>.Instance).ApplyAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Every_kind_of_event_reads_back_exactly_as_it_was_written()
    {
        var events = EveryKindOfEvent();
        Assert.Equal(typeof(MemberEvent).Assembly.GetTypes().Count(t => t.IsSubclassOf(typeof(MemberEvent))), events.Count);

        Assert.True(await Journal.AppendAsync("mem_roundtrip", 0, events));
        var read = await Journal.ReadAsync("mem_roundtrip");

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), read.Select(e => e.Seq));
        Assert.Equal(events.Select(MemberEventJson.Serialize), read.Select(e => MemberEventJson.Serialize(e.Event)));
        Assert.Equal(events.Select(MemberEventJson.TypeOf), read.Select(e => e.Type));
    }

    [Fact]
    public async Task The_payload_is_plain_json_in_minor_units_for_reports_to_query()
    {
        var payment = new PaymentRecorded("pay_1", BillingCategory.Subscription, new Money(19_900, "usd"), PaymentMethodKind.CardTerminal, PaymentStatus.Succeeded) { OccurredAt = At };
        Assert.True(await Journal.AppendAsync("mem_json", 0, [payment]));

        Assert.Equal(19_900, await _database.ScalarAsync<int>("SELECT (payload->'amount'->>'amount')::int FROM member_events WHERE member_id = 'mem_json'"));
        Assert.Equal("card_terminal", await _database.ScalarAsync<string>("SELECT payload->>'method' FROM member_events WHERE member_id = 'mem_json'"));
        Assert.Equal("payment:pay_1", await _database.ScalarAsync<string>("SELECT idempotency_key FROM member_events WHERE member_id = 'mem_json'"));
        Assert.Equal(At.UtcDateTime, await _database.ScalarAsync<DateTime>("SELECT occurred_at FROM member_events WHERE member_id = 'mem_json'"));
    }

    [Fact]
    public async Task An_append_behind_another_writer_writes_nothing()
    {
        Assert.True(await Journal.AppendAsync("mem_race", 0, [Registered("mem_race")]));

        var stale = await Journal.AppendAsync("mem_race", 0, [Frozen(), Frozen()]);

        Assert.False(stale);
        Assert.Single(await Journal.ReadAsync("mem_race"));
    }

    [Fact]
    public async Task A_fact_already_recorded_cannot_be_recorded_again_and_the_whole_batch_is_refused()
    {
        var redeemed = new CreditsRedeemed("red_1", "units:neurotoxin", 1, [new LotDraw("lot_1", 1)]) { OccurredAt = At };
        Assert.True(await Journal.AppendAsync("mem_twice", 0, [Registered("mem_twice"), redeemed]));

        var again = await Journal.AppendAsync("mem_twice", 2, [Frozen(), redeemed]);

        Assert.False(again);
        Assert.Equal(2, (await Journal.ReadAsync("mem_twice")).Count);
    }

    [Fact]
    public async Task Appends_arriving_together_commit_together_each_in_its_own_log()
    {
        var journal = Journal;
        var members = Enumerable.Range(0, 200).Select(i => $"mem_group_{i}").ToList();
        List<Task<bool>> appends;
        await using (await LockedJournalAsync())
        {
            appends = members.Select(id => journal.AppendAsync(id, 0, [Registered(id), Frozen()])).ToList();
        }

        Assert.All(await Task.WhenAll(appends), Assert.True);
        foreach (var id in members)
        {
            Assert.Equal([1L, 2L], (await journal.ReadAsync(id)).Select(e => e.Seq));
        }

        // Held back behind the lock, they queued: a few transactions carried all 200 appends.
        Assert.InRange(await _database.ScalarAsync<long>("SELECT count(DISTINCT tx_id) FROM member_events WHERE member_id LIKE 'mem_group_%'"), 1, 8);
    }

    [Fact]
    public async Task A_refused_append_in_a_group_refuses_only_itself()
    {
        var journal = Journal;
        var redeemed = new CreditsRedeemed("red_1", "units:neurotoxin", 1, [new LotDraw("lot_1", 1)]) { OccurredAt = At };
        Assert.True(await journal.AppendAsync("mem_behind", 0, [Registered("mem_behind")]));
        Assert.True(await journal.AppendAsync("mem_again", 0, [Registered("mem_again"), redeemed]));

        Task<bool> behind, again;
        List<Task<bool>> others;
        await using (await LockedJournalAsync())
        {
            others = Enumerable.Range(0, 50).Select(i => journal.AppendAsync($"mem_fine_{i}", 0, [Registered($"mem_fine_{i}")])).ToList();
            behind = journal.AppendAsync("mem_behind", 0, [Frozen()]);
            again = journal.AppendAsync("mem_again", 2, [Frozen(), redeemed]);
            others.AddRange(Enumerable.Range(50, 50).Select(i => journal.AppendAsync($"mem_fine_{i}", 0, [Registered($"mem_fine_{i}")])));
        }

        Assert.False(await behind);
        Assert.False(await again);
        Assert.All(await Task.WhenAll(others), Assert.True);
        Assert.Single(await journal.ReadAsync("mem_behind"));
        Assert.Equal(2, (await journal.ReadAsync("mem_again")).Count);
        Assert.Equal(100, await _database.ScalarAsync<long>("SELECT count(*) FROM member_events WHERE member_id LIKE 'mem_fine_%'"));
    }

    [Fact]
    public async Task A_group_whose_connection_is_lost_is_reported_as_failed_never_as_refused_and_is_not_sent_again()
    {
        var journal = Journal;
        var members = Enumerable.Range(0, 40).Select(i => $"mem_lost_{i}").ToList();
        List<Task<bool>> appends;
        await using (await LockedJournalAsync())
        {
            appends = members.Select(id => journal.AppendAsync(id, 0, [Registered(id)])).ToList();
            // The writers' connections, waiting on the lock with their groups, are cut.
            await Eventually.Until(WaitingWritersAsync, waiting => waiting > 0, TimeSpan.FromSeconds(30), "the writers waiting on the lock");
            await _database.ExecuteAsync(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO member_events%'");
        }

        var outcomes = await Task.WhenAll(appends.Select(async a =>
        {
            try
            {
                return await a ? "written" : "refused";
            }
            catch (NpgsqlException)
            {
                return "failed";
            }
        }));

        Assert.DoesNotContain("refused", outcomes);
        Assert.Contains("failed", outcomes);
        for (var i = 0; i < members.Count; i++)
        {
            Assert.Equal(outcomes[i] == "written" ? 1 : 0, (await journal.ReadAsync(members[i])).Count);
        }
    }

    /// <summary>Holds appends back (they wait for this lock) until disposed, so the ones made meanwhile queue up.</summary>
    private async Task<IAsyncDisposable> LockedJournalAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE member_events IN SHARE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Unlock(connection, transaction);
    }

    private sealed class Unlock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task<long> WaitingWritersAsync() =>
        await _database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO member_events%'");

    [Fact]
    public async Task The_in_memory_journal_follows_the_same_rules()
    {
        var journal = new InMemoryMemberJournal();
        var events = EveryKindOfEvent();

        Assert.True(await journal.AppendAsync("mem_m", 0, events));
        Assert.False(await journal.AppendAsync("mem_m", 0, [Frozen()]));
        Assert.False(await journal.AppendAsync("mem_m", events.Count, [events[0]]));
        Assert.Equal(events.Select(MemberEventJson.Serialize), (await journal.ReadAsync("mem_m")).Select(e => MemberEventJson.Serialize(e.Event)));
    }

    private static ClientRegistered Registered(string id) =>
        new(new MemberProfile(id, "Ava", "Stone", "ava@example.com", null, "loc_1", At, Registrar.Staff)) { OccurredAt = At };

    private static CreditsFrozen Frozen() => new() { OccurredAt = At };

    private static List<MemberEvent> EveryKindOfEvent()
    {
        var usd = new Money(19_900, "usd");
        var terms = new PlanTerms("Premium", "All the things", usd, 6,
            [new Benefit(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 1, Rollover: new Rollover(3), Key: "units:neurotoxin"),
             new Benefit(BenefitKind.Discount, Percent: 10, Key: "discount:all")],
            [new AddOn("Extra", new Money(25_000, "usd"), BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 1, Key: "extra")],
            new PauseRules(), CancellationPolicy.BuyOut, new ReactivationOffer(50), ["loc_1"]);
        var upgrade = new PlanChangeTerms(
            PlanChangeDirection.Upgrade, "plan_premium", 2, new EnrolledPlan("plan_vip", 1, terms), new Money(6_774, "usd"),
            new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 10), 21, 31, [new ExtraCredit("units:neurotoxin", BenefitKind.TreatmentUnits, 1)]);
        var agreement = new SignedAgreement("plan_premium", 2, "I agree.\nReally.", "abc123", "Ava Stone", At, "desk:admin", "127.0.0.1", "Tablet/1");
        var basket = new Basket([new BasketItem("svc_1", 2), new BasketItem(Package: new PackageSale("3 facials", usd, "svc_2", 3))]);
        var quote = new CheckoutQuote(
            [new QuoteLine("Botox", BillingCategory.Treatment, "svc_1", usd, [new CreditUse("units:neurotoxin", BenefitKind.TreatmentUnits, 1, usd)], new Money(0, "usd"), new Money(0, "usd"))],
            usd, usd, new Money(0, "usd"), new Money(0, "usd"), true, new PricingNotice("x", "y"));
        var request = new CheckoutRequest("chk_1", basket, Settlement.Invoice);
        return
        [
            Registered("mem_x"),
            new MemberEnrolled(new EnrolledPlan("plan_premium", 2, terms), "America/New_York", new DateOnly(2026, 1, 31), 31, new DateOnly(2026, 7, 31), agreement) { OccurredAt = At },
            new MemberImported("ava@example.com", new EnrolledPlan("plan_premium", 2, terms), "America/New_York", new DateOnly(2025, 6, 14), 14,
                new DateOnly(2025, 12, 14), MembershipStatus.Paused, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1)) { OccurredAt = At },
            new PaymentRecorded("pay_1", BillingCategory.Subscription, usd, null, PaymentStatus.Open, "ref", new DateOnly(2026, 1, 31), "chk_1", "minimum-term buy-out") { OccurredAt = At },
            new PeriodPaid(new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28), "pay_1") { OccurredAt = At },
            new CreditsAllocated("lot_1", "units:neurotoxin", BenefitKind.TreatmentUnits, LotSource.Allocation, 1, null, "pay_1") { OccurredAt = At },
            new CreditsRedeemed("red_1", "units:neurotoxin", 1, [new LotDraw("lot_1", 1)], "svc_1", "chk_1") { OccurredAt = At },
            new RedemptionVoided("red_1", "Booked in error") { OccurredAt = At },
            new CreditsAdjusted("adj_1", "dollars:facial", BenefitKind.DollarCredit, -500, "Goodwill", null, At.AddDays(30), [new LotDraw("lot_2", 500)]) { OccurredAt = At },
            new CreditsExpired("lot_1", "units:neurotoxin", 1, ExpiryReason.RolloverCap) { OccurredAt = At },
            Frozen(),
            new CreditsUnfrozen(TimeSpan.FromDays(12.5)) { OccurredAt = At },
            new AddOnPurchased("buy_1", "extra", "lot_3", "pay_2") { OccurredAt = At },
            new CheckoutCompleted(request, new CheckoutReceipt("chk_1", quote, ["red_chk_1_1"], ["pay_3"], Settlement.Invoice, At)) { OccurredAt = At },
            new CardOnFileSaved("cus_1", "pm_1", "visa", "4242", 12, 2030) { OccurredAt = At },
            new ChargeAttempted("buy-out:mem_x:2026-02-28:1", new DateOnly(2026, 2, 28), 1, usd, "buy-out:mem_x:2026-02-28:1", "pm_1", ChargePurpose.BuyOut,
                BuyOut: new BuyOutTerms("relocation", "Moving to Denver", new DateOnly(2026, 2, 28))) { OccurredAt = At },
            new ChargeResolved("buy-out:mem_x:2026-02-28:1", ChargeResult.SoftDecline, "pi_1", "insufficient_funds", "Your card has insufficient funds.") { OccurredAt = At },
            new ProcessorCustomerCreated("cus_1") { OccurredAt = At },
            new NoticeIssued("ntc_1", NoticeKind.PaymentFailed, "ava@example.com", "Your payment was declined.") { OccurredAt = At },
            new PaymentPastDue(new DateOnly(2026, 2, 28), 1, At, At.AddHours(24), null, "insufficient_funds") { OccurredAt = At },
            new MembershipSuspended(new DateOnly(2026, 2, 28), "payment_failed") { OccurredAt = At },
            new MembershipCancelled("payment_failed", null, true, new DateOnly(2026, 4, 2)) { OccurredAt = At },
            new PlanChangeRequested("chg_1", upgrade) { OccurredAt = At },
            new PlanChanged("chg_1", upgrade, "pay_2") { OccurredAt = At },
            new PlanChangeScheduled("chg_2", upgrade with { Direction = PlanChangeDirection.Downgrade }) { OccurredAt = At },
            new PlanChangeWithdrawn("chg_3", "chg_2") { OccurredAt = At },
            new PriceIncreaseNotified("prc_1", "plan_premium", new Money(21_900, "usd"), new DateOnly(2026, 4, 28), 30) { OccurredAt = At },
            new PriceIncreaseConfirmed("prc_1", "portal") { OccurredAt = At },
            new RefundRecorded("re_1", "ch_1", "pi_1", new Money(5_000, "usd"), BillingCategory.Subscription) { OccurredAt = At },
            new ChargeDisputed("dp_1", "ch_1", "pi_1", usd, "fraudulent", "needs_response", At.AddDays(21)) { OccurredAt = At },
            new CardOnFileRemoved("pm_1", "detached at the card processor") { OccurredAt = At },
            new CancellationRequested("relocation", "Moving to Denver", CancellationOption.ContinueToTermEnd, new DateOnly(2026, 7, 31), new Money(59_700, "usd"), false) { OccurredAt = At },
            new CancellationWithdrawn(new DateOnly(2026, 7, 31)) { OccurredAt = At },
            new MembershipPaused(new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 15), new Money(10_271, "usd")) { OccurredAt = At },
            new MembershipResumed(new DateOnly(2026, 4, 15), 15, true) { OccurredAt = At },
            new ReactivationOffered("rof_1", "plan_premium", new ReactivationOffer(50, "units:neurotoxin", 1, SendAfterDays: 14), new DateOnly(2026, 4, 2), new DateOnly(2026, 7, 1)) { OccurredAt = At },
            new ReactivationAccepted("rof_1") { OccurredAt = At },
            new NoticeSent("ntc_1", "ntc_1.mem_x@medspa", "ava@example.com") { OccurredAt = At },
        ];
    }
}
