using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Members;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// Issue 7's hand-computed scenario: twelve members on three tiers over fourteen simulated months (January 2031 to
/// February 2032), driven through the HTTP API and the simulated clock, with upgrades, a downgrade, declined renewals
/// (one recovered while past due, one recovered while suspended, one cancelled for non-payment), a pause,
/// cancellations with four reasons, a reactivation, checkouts that redeem credits and pay for treatments, a client who
/// never joins, an add-on, and credits that lapse. Every report is then asked for the whole range, and every row of
/// every month is checked against the figures worked out by hand below, from the rules (DESIGN.md) and each member's
/// story, not read back from the system.
/// </summary>
/// <remarks>
/// <para>The practice: the test clinic (New York; Botox $300 in category neurotoxin, HydraFacial $199 in facial,
/// Filler $650 in filler) and three plans made here:
/// Essentials (E) $99 a month, 1 neurotoxin unit, no minimum term, a reactivation offer of 50% off the first month
/// (sent by hand);
/// Signature (S) $199, 1 neurotoxin unit and $50 of facial credit, 3-month term, an add-on "Extra Botox" ($250,
/// 1 neurotoxin unit valid 60 days);
/// Elite (L) $299, 2 neurotoxin units, $100 of facial credit and 10% off everything else, 3-month term.
/// Credits do not roll over: each period's lots lapse at 09:00 on the next billing date.</para>
/// <para>Charges run at 09:00 local on the billing date; everything the staff do below happens at noon local unless
/// said otherwise. A period is [billing date, next billing date). Anchor days are all 3 to 28, so no month is short.</para>
/// <para>Who, in the order they join (the letter is how the tables and comments name them):
/// <list type="bullet">
/// <item>A Alice Archer: E from 5 Jan; Botox 20 Jan and 10 Mar (units). Upgrades to S on 20 Apr: 15 of the 30 days of
/// [5 Apr, 5 May) are left, so she pays (19,900 − 9,900) × 15/30 = 5,000 and gets $50 × 15/30 = $25 of facial credit
/// (same single unit on both plans: no extra unit). S from then on; HydraFacial 12 May (her $50 credit, pays 149.00),
/// Botox 14 Aug, Botox and HydraFacial 14 Nov (pays 149.00). Her card expires in March 2032.</item>
/// <item>B Ben Brooks: S from 10 Jan; Botox and HydraFacial 14 Feb (pays 149.00). Asks on 15 Mar to move down to E,
/// which happens at the 10 Apr renewal (charged 99.00). Botox 18 Jun and 12 Dec.</item>
/// <item>C Cara Cole: L from 15 Jan; two Botox and a HydraFacial 22 Jan (units, then $100 credit, then 10% off the
/// rest: 99.00 − 9.90 = 89.10). Botox 18 Apr. Cancels on 20 Jun, reason price, effective at the end of the period, 15 Jul.
/// Buys a Botox on 10 Sep as a client without a membership: 300.00.</item>
/// <item>D Dan Diaz: E from 28 Feb; Botox 30 Mar, 2 Jul, 30 Dec. His card is changed for one that declines on 20 Sep:
/// the 28 Sep renewal and the 29 Sep retry are declined (past due over the end of September); on 1 Oct at 08:00, before
/// the 09:00 retry, he gives a good card and is charged at once for [28 Sep, 28 Oct).</item>
/// <item>V Eve Evans: S from 8 Feb; HydraFacial 20 Feb (pays 149.00), Botox 15 May. Her card declines from 20 May:
/// 8 Jun renewal, 9 Jun and 11 Jun retries declined, suspended on 11 Jun, cancelled for non-payment (payment_failed,
/// involuntary) 30 days later, 11 Jul.</item>
/// <item>F Finn Foster: E from 12 Mar; Botox 15 Apr. On 12 Jun at 08:00, an hour before his renewal, pauses for 40 days:
/// nothing is charged in June, his May unit is frozen; he resumes by himself on 22 Jul at 09:00 and is charged then,
/// the 22nd becoming his billing day. Botox 1 Aug.</item>
/// <item>G Gina Gray: L from 20 Mar; two Botox and a Filler 25 Mar (650.00 − 10% = 585.00), HydraFacial 22 May (89.10),
/// Botox 25 Jul. Cancels on 25 Aug, reason relocation, effective 20 Sep.</item>
/// <item>H Hugo Hill: S from 6 Apr; Botox 10 Apr. Upgrades to L on 16 Jun: 20 of the 30 days of [6 Jun, 6 Jul) are
/// left, so he pays 10,000 × 20/30 = 6,666.67 → 6,667 and gets 5,000 × 20/30 = 3,333.33 → $33.33 of facial credit
/// (and 1 × 20/30 = 0 extra units, rounded down). On 20 Jun a Botox (his S unit) and a HydraFacial: $50 + $33.33 of
/// credit, then 10% off the 115.67 left (11.57), pays 104.10. Two Botox 12 Sep. Cancels on 10 Nov, reason results,
/// effective 6 Dec.</item>
/// <item>I Iris Ingram: E from 14 May; Botox 20 May. Cancels on 30 Jul, reason not_using, effective 14 Aug. Sent the
/// reactivation offer on 20 Aug, accepts on 25 Aug: E again from 25 Aug, first month at half price (49.50). Botox 1 Oct.</item>
/// <item>J Jack Jones: S from 28 Jul; HydraFacial 5 Oct (pays 149.00). His card declines from 20 Oct: 28 Oct renewal,
/// 29 Oct and 31 Oct retries declined, suspended 31 Oct; on 3 Nov he gives a good card and pays the period he is in,
/// [28 Oct, 28 Nov). Botox 1 Dec. Buys the Extra Botox add-on at 20:00 on 31 Dec (250.00): its unit lapses at 20:00 on
/// 29 Feb 2032, the last day of the range, unused.</item>
/// <item>K Kim King: L from 3 Sep; two Botox and a Filler 15 Sep (pays 585.00), HydraFacial 10 Oct (89.10), Botox 12 Nov
/// and 10 Jan.</item>
/// <item>Lo Leo Lane: S from 9 Dec; buys the Extra Botox add-on on 20 Dec (250.00, a unit lapsing 18 Feb, never used);
/// Botox 15 Jan (from his January unit, which lapses first).</item>
/// <item>N Nora Nash, never a member: a Filler on 3 Mar (650.00) and a HydraFacial on 20 Nov (199.00).</item>
/// </list></para>
/// </remarks>
public sealed class ReportScenarioTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private const string From = "2031-01-01";
    private const string To = "2032-02-29";

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static readonly string[] Months =
    [
        "2031-01", "2031-02", "2031-03", "2031-04", "2031-05", "2031-06", "2031-07",
        "2031-08", "2031-09", "2031-10", "2031-11", "2031-12", "2032-01", "2032-02",
    ];

    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private readonly Dictionary<string, string> _tierOfPlan = new(StringComparer.Ordinal);
    private string _essentials = "";
    private string _signature = "";
    private string _elite = "";

    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Fourteen_months_of_a_dozen_members_come_out_in_every_report_as_worked_out_by_hand()
    {
        await CreatePlansAsync();
        var m = await WalkAsync();

        var problems = new List<string>();
        await CheckMrrAsync(problems);
        await CheckActiveMembersAsync(problems);
        await CheckChurnAsync(problems);
        await CheckCreditUtilisationAsync(problems);
        await CheckRevenuePerClientAsync(problems);
        await CheckTierMigrationAsync(problems);
        await CheckLiabilityAsync(problems);
        await CheckAtRiskAsync(m, problems);
        Assert.True(problems.Count == 0, $"{problems.Count} figure(s) differ from the hand-worked ones:\n{string.Join('\n', problems)}");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The walk
    // ---------------------------------------------------------------------------------------------------------------

    private async Task CreatePlansAsync()
    {
        _essentials = await PlanAsync(new
        {
            name = "Scenario Essentials",
            monthlyPrice = Clinic.Usd(9_900),
            minimumTermMonths = 0,
            benefits = new object[] { new { kind = "treatment_units", category = "neurotoxin", units = 1 } },
            reactivationOffer = new { firstMonthDiscountPercent = 50 },
        });
        _signature = await PlanAsync(new
        {
            name = "Scenario Signature",
            monthlyPrice = Clinic.Usd(19_900),
            minimumTermMonths = 3,
            benefits = new object[]
            {
                new { kind = "treatment_units", category = "neurotoxin", units = 1 },
                new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(5_000) },
            },
            addOns = new object[] { new { name = "Extra Botox", price = Clinic.Usd(25_000), kind = "treatment_units", category = "neurotoxin", units = 1, validForDays = 60 } },
        });
        _elite = await PlanAsync(new
        {
            name = "Scenario Elite",
            monthlyPrice = Clinic.Usd(29_900),
            minimumTermMonths = 3,
            benefits = new object[]
            {
                new { kind = "treatment_units", category = "neurotoxin", units = 2 },
                new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(10_000) },
                new { kind = "discount", percent = 10 },
            },
        });
        _tierOfPlan[_essentials] = "E";
        _tierOfPlan[_signature] = "S";
        _tierOfPlan[_elite] = "L";
    }

    /// <summary>Every member's story, in the order it happens; returns the members by letter.</summary>
    private async Task<Dictionary<string, string>> WalkAsync()
    {
        var m = new Dictionary<string, string>(StringComparer.Ordinal);
        var botox = Clinic.NeurotoxinId;
        var facial = Clinic.FacialId;
        var filler = Clinic.FillerId;

        // ---- January 2031 ----
        await AtAsync(2031, 1, 5);
        m["A"] = await JoinAsync("Alice", "Archer", _essentials, 9_900, cardExpires: (3, 2032));
        await AtAsync(2031, 1, 10);
        m["B"] = await JoinAsync("Ben", "Brooks", _signature, 19_900);
        await AtAsync(2031, 1, 15);
        m["C"] = await JoinAsync("Cara", "Cole", _elite, 29_900);
        await AtAsync(2031, 1, 20);
        await CheckoutAsync(m["A"], "a-jan", 0, botox);
        await AtAsync(2031, 1, 22);
        await CheckoutAsync(m["C"], "c-jan", 8_910, botox, botox, facial);

        // ---- February ----
        await AtAsync(2031, 2, 8);
        m["V"] = await JoinAsync("Eve", "Evans", _signature, 19_900);
        await AtAsync(2031, 2, 14);
        await CheckoutAsync(m["B"], "b-feb", 14_900, botox, facial);
        await AtAsync(2031, 2, 20);
        await CheckoutAsync(m["V"], "v-feb", 14_900, facial);
        await AtAsync(2031, 2, 28);
        m["D"] = await JoinAsync("Dan", "Diaz", _essentials, 9_900);

        // ---- March ----
        await AtAsync(2031, 3, 3);
        m["N"] = await Clinic.RegisterAsync("Nora", "Nash");
        await CheckoutAsync(m["N"], "n-mar", 65_000, filler);
        await AtAsync(2031, 3, 10);
        await CheckoutAsync(m["A"], "a-mar", 0, botox);
        await AtAsync(2031, 3, 12);
        m["F"] = await JoinAsync("Finn", "Foster", _essentials, 9_900);
        await AtAsync(2031, 3, 15);
        var down = await _admin.PostOkAsync($"/api/v1/members/{m["B"]}/plan-change", new { planId = _essentials, changeId = "ben-down", confirm = true });
        Assert.Equal(("scheduled", "downgrade", "2031-04-10"), (Text(down, "status"), Text(down, "direction"), Text(down, "effectiveOn")));
        await AtAsync(2031, 3, 20);
        m["G"] = await JoinAsync("Gina", "Gray", _elite, 29_900);
        await AtAsync(2031, 3, 25);
        await CheckoutAsync(m["G"], "g-mar", 58_500, botox, botox, filler);
        await AtAsync(2031, 3, 30);
        await CheckoutAsync(m["D"], "d-mar", 0, botox);

        // ---- April ----
        await AtAsync(2031, 4, 6);
        m["H"] = await JoinAsync("Hugo", "Hill", _signature, 19_900);
        await AtAsync(2031, 4, 10);
        Assert.Equal((_essentials, "active"), await PlanAndStatusAsync(m["B"]));
        await CheckoutAsync(m["H"], "h-apr", 0, botox);
        await AtAsync(2031, 4, 15);
        await CheckoutAsync(m["F"], "f-apr", 0, botox);
        await AtAsync(2031, 4, 18);
        await CheckoutAsync(m["C"], "c-apr", 0, botox);
        await AtAsync(2031, 4, 20);
        await UpgradeAsync(m["A"], _signature, "alice-up", charge: 5_000);

        // ---- May ----
        await AtAsync(2031, 5, 12);
        await CheckoutAsync(m["A"], "a-may", 14_900, facial);
        await AtAsync(2031, 5, 14);
        m["I"] = await JoinAsync("Iris", "Ingram", _essentials, 9_900);
        await AtAsync(2031, 5, 15);
        await CheckoutAsync(m["V"], "v-may", 0, botox);
        await AtAsync(2031, 5, 20);
        await SaveCardAsync(m["V"], "pm_card_chargeCustomerFail");
        await CheckoutAsync(m["I"], "i-may", 0, botox);
        await AtAsync(2031, 5, 22);
        await CheckoutAsync(m["G"], "g-may", 8_910, facial);

        // ---- June ----
        await AtAsync(2031, 6, 12, hour: 8);
        var paused = await _admin.PostOkAsync($"/api/v1/members/{m["F"]}/pause", new { days = 40 });
        Assert.Equal(("paused", "2031-07-22"), (Text(paused, "status"), Text(paused, "pausedUntil")));
        await AtAsync(2031, 6, 12);
        Assert.Equal((_signature, "suspended"), await PlanAndStatusAsync(m["V"]));
        await AtAsync(2031, 6, 16);
        await UpgradeAsync(m["H"], _elite, "hugo-up", charge: 6_667);
        await AtAsync(2031, 6, 18);
        await CheckoutAsync(m["B"], "b-jun", 0, botox);
        await AtAsync(2031, 6, 20);
        await CancelAsync(m["C"], "price", "2031-07-15");
        await CheckoutAsync(m["H"], "h-jun", 10_410, botox, facial);

        // ---- July ----
        await AtAsync(2031, 7, 2);
        await CheckoutAsync(m["D"], "d-jul", 0, botox);
        await AtAsync(2031, 7, 25);
        Assert.Equal((_elite, "cancelled"), await PlanAndStatusAsync(m["C"]));
        Assert.Equal((_signature, "cancelled"), await PlanAndStatusAsync(m["V"]));
        Assert.Equal((_essentials, "active"), await PlanAndStatusAsync(m["F"]));
        await CheckoutAsync(m["G"], "g-jul", 0, botox);
        await AtAsync(2031, 7, 28);
        m["J"] = await JoinAsync("Jack", "Jones", _signature, 19_900);
        await AtAsync(2031, 7, 30);
        await CancelAsync(m["I"], "not_using", "2031-08-14");

        // ---- August ----
        await AtAsync(2031, 8, 1);
        await CheckoutAsync(m["F"], "f-aug", 0, botox);
        await AtAsync(2031, 8, 14);
        await CheckoutAsync(m["A"], "a-aug", 0, botox);
        await AtAsync(2031, 8, 20);
        Assert.Equal((_essentials, "cancelled"), await PlanAndStatusAsync(m["I"]));
        await _admin.PostOkAsync($"/api/v1/members/{m["I"]}/reactivation-offer", new { });
        await AtAsync(2031, 8, 25);
        var back = await _admin.PostOkAsync($"/api/v1/members/{m["I"]}/reactivation", new { agreement = new { signedName = "Iris Ingram", accepted = true } });
        Assert.Equal(("active", 25), (Text(back, "status"), back.GetProperty("anchorDay").GetInt32()));
        Assert.Equal(4_950, await LastSubscriptionPaymentAsync(m["I"]));
        await CancelAsync(m["G"], "relocation", "2031-09-20");

        // ---- September ----
        await AtAsync(2031, 9, 3);
        m["K"] = await JoinAsync("Kim", "King", _elite, 29_900);
        await AtAsync(2031, 9, 10);
        await CheckoutAsync(m["C"], "c-sep", 30_000, botox);
        await AtAsync(2031, 9, 12);
        await CheckoutAsync(m["H"], "h-sep", 0, botox, botox);
        await AtAsync(2031, 9, 15);
        await CheckoutAsync(m["K"], "k-sep", 58_500, botox, botox, filler);
        await AtAsync(2031, 9, 20);
        await SaveCardAsync(m["D"], "pm_card_chargeCustomerFail");

        // ---- October ----
        await AtAsync(2031, 10, 1, hour: 8);
        Assert.Equal((_essentials, "past_due"), await PlanAndStatusAsync(m["D"]));
        await SaveCardAsync(m["D"], "pm_card_visa");
        Assert.Equal((_essentials, "active"), await PlanAndStatusAsync(m["D"]));
        await AtAsync(2031, 10, 1);
        await CheckoutAsync(m["I"], "i-oct", 0, botox);
        await AtAsync(2031, 10, 5);
        await CheckoutAsync(m["J"], "j-oct", 14_900, facial);
        await AtAsync(2031, 10, 10);
        await CheckoutAsync(m["K"], "k-oct", 8_910, facial);
        await AtAsync(2031, 10, 20);
        await SaveCardAsync(m["J"], "pm_card_chargeCustomerFail");

        // ---- November ----
        await AtAsync(2031, 11, 3);
        Assert.Equal((_signature, "suspended"), await PlanAndStatusAsync(m["J"]));
        await SaveCardAsync(m["J"], "pm_card_visa");
        Assert.Equal((_signature, "active"), await PlanAndStatusAsync(m["J"]));
        await AtAsync(2031, 11, 10);
        await CancelAsync(m["H"], "results", "2031-12-06");
        await AtAsync(2031, 11, 12);
        await CheckoutAsync(m["K"], "k-nov", 0, botox);
        await AtAsync(2031, 11, 14);
        await CheckoutAsync(m["A"], "a-nov", 14_900, botox, facial);
        await AtAsync(2031, 11, 20);
        await CheckoutAsync(m["N"], "n-nov", 19_900, facial);

        // ---- December ----
        await AtAsync(2031, 12, 1);
        await CheckoutAsync(m["J"], "j-dec", 0, botox);
        await AtAsync(2031, 12, 9);
        m["Lo"] = await JoinAsync("Leo", "Lane", _signature, 19_900);
        await AtAsync(2031, 12, 12);
        await CheckoutAsync(m["B"], "b-dec", 0, botox);
        await AtAsync(2031, 12, 20);
        var addOnKey = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/plans/{_signature}")).GetProperty("current").GetProperty("terms")
            .GetProperty("addOns")[0].GetProperty("key").GetString();
        await _admin.PostOkAsync($"/api/v1/members/{m["Lo"]}/add-ons", new { purchaseId = "leo-extra", addOnKey, method = "card_terminal" });
        await AtAsync(2031, 12, 30);
        await CheckoutAsync(m["D"], "d-dec", 0, botox);
        await AtAsync(2031, 12, 31, hour: 20);
        await _admin.PostOkAsync($"/api/v1/members/{m["J"]}/add-ons", new { purchaseId = "jack-extra", addOnKey, method = "card_terminal" });

        // ---- January and February 2032 ----
        await AtAsync(2032, 1, 10);
        await CheckoutAsync(m["K"], "k-jan", 0, botox);
        await AtAsync(2032, 1, 15);
        await CheckoutAsync(m["Lo"], "lo-jan", 0, botox);
        await AtAsync(2032, 2, 29, hour: 23);
        Assert.Equal((_elite, "cancelled"), await PlanAndStatusAsync(m["H"]));
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // MRR and active members
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Active members of each tier at each month's end, January 2031 to February 2032, from the stories:
    /// E: Alice (Jan–Mar), Dan (Feb on, but past due at the end of September), Finn (Mar on, paused at the end of June),
    /// Ben (from his downgrade on 10 Apr), Iris (May on; ended 14 Aug and back 25 Aug).
    /// S: Ben (Jan–Mar), Eve (Feb–May; suspended at the end of June), Alice (from 20 Apr), Hugo (Apr–May; L from 16 Jun),
    /// Jack (from 28 Jul; suspended at the end of October), Leo (from 9 Dec).
    /// L: Cara (Jan–Jun, ended 15 Jul), Gina (Mar–Aug, ended 20 Sep), Hugo (16 Jun–Nov, ended 6 Dec), Kim (from 3 Sep).
    /// </summary>
    private static readonly Dictionary<string, long[]> Active = new(StringComparer.Ordinal)
    {
        //       J  F  M  A  M  J  J  A  S  O  N  D  J  F
        ["E"] = [1, 2, 3, 3, 4, 3, 4, 4, 3, 4, 4, 4, 4, 4],
        ["S"] = [1, 2, 2, 3, 3, 1, 2, 2, 2, 1, 2, 3, 3, 3],
        ["L"] = [1, 1, 2, 2, 2, 3, 2, 2, 2, 2, 2, 1, 1, 1],
    };

    /// <summary>
    /// MRR: every active member at their plan's price (Iris's half-price first month is a one-off, not recurring):
    /// E 99.00, S 199.00, L 299.00 times the active members above.
    /// </summary>
    private static readonly Dictionary<string, long[]> Mrr = new(StringComparer.Ordinal)
    {
        ["E"] = [9_900, 19_800, 29_700, 29_700, 39_600, 29_700, 39_600, 39_600, 29_700, 39_600, 39_600, 39_600, 39_600, 39_600],
        ["S"] = [19_900, 39_800, 39_800, 59_700, 59_700, 19_900, 39_800, 39_800, 39_800, 19_900, 39_800, 59_700, 59_700, 59_700],
        ["L"] = [29_900, 29_900, 59_800, 59_800, 59_800, 89_700, 59_800, 59_800, 59_800, 59_800, 59_800, 29_900, 29_900, 29_900],
    };

    private async Task CheckMrrAsync(List<string> problems)
    {
        var report = await ReportAsync("mrr");
        Check(problems, "mrr", Rows(report, "months", r => $"{Text(r, "month")} {Tier(r, "planId")}", r => $"members={Long(r, "activeMembers")} mrr={Long(r, "mrr")}"),
            Expected((month, tier) => $"members={Active[tier][month]} mrr={Mrr[tier][month]}"));
    }

    /// <summary>
    /// The active-members report, per tier and month: active, past due, paused and suspended at the month's end (active
    /// as in <see cref="Active"/>), and new, reactivated, pauses started, suspensions and cancellations in the month.
    /// Only these differ from zero: E new in Jan (Alice), Feb (Dan), Mar (Finn), May (Iris); E paused at the end of June
    /// and a pause started in June (Finn); E reactivated and cancelled in August (Iris); E past due at the end of
    /// September (Dan). S new in Jan (Ben), Feb (Eve), Apr (Hugo), Jul (Jack), Dec (Leo); S suspended at the end of June
    /// with a suspension in June (Eve), cancelled in July (Eve); S suspended at the end of October with a suspension in
    /// October (Jack). L new in Jan (Cara), Mar (Gina), Sep (Kim); L cancelled in Jul (Cara), Sep (Gina), Dec (Hugo).
    /// Moving plan is neither new nor cancelled.
    /// </summary>
    private static readonly Dictionary<string, (int Month, string Column, long Value)[]> ActiveMemberEvents = new(StringComparer.Ordinal)
    {
        ["E"] =
        [
            (0, "new", 1), (1, "new", 1), (2, "new", 1), (4, "new", 1),
            (5, "paused", 1), (5, "pausesStarted", 1),
            (7, "reactivated", 1), (7, "cancelled", 1),
            (8, "pastDue", 1),
        ],
        ["S"] =
        [
            (0, "new", 1), (1, "new", 1), (3, "new", 1), (6, "new", 1), (11, "new", 1),
            (5, "suspended", 1), (5, "suspensions", 1), (6, "cancelled", 1),
            (9, "suspended", 1), (9, "suspensions", 1),
        ],
        ["L"] =
        [
            (0, "new", 1), (2, "new", 1), (8, "new", 1),
            (6, "cancelled", 1), (8, "cancelled", 1), (11, "cancelled", 1),
        ],
    };

    private static readonly string[] ActiveMemberColumns = ["active", "pastDue", "paused", "suspended", "new", "reactivated", "pausesStarted", "suspensions", "cancelled"];

    private async Task CheckActiveMembersAsync(List<string> problems)
    {
        var report = await ReportAsync("active-members");
        Check(problems, "active-members",
            Rows(report, "months", r => $"{Text(r, "month")} {Tier(r, "planId")}", r => string.Join(' ', ActiveMemberColumns.Select(c => $"{c}={Long(r, c)}"))),
            Expected((month, tier) => string.Join(' ', ActiveMemberColumns.Select(c => c == "active"
                ? $"active={Active[tier][month]}"
                : $"{c}={ActiveMemberEvents[tier].Where(e => e.Month == month && e.Column == c).Sum(e => e.Value)}"))));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Churn
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Memberships live (active, past due, paused or suspended) at the end of the month before, all tiers: nobody before
    /// January; then 3 (A B C), 5 (+D V), 7 (+F G), 8 (+H), 9 (+I); at the end of June still 9 (F paused and V suspended
    /// count); at the end of July 8 (V and C gone, J joined); 8 at every month's end after that (I's lapse and return fall
    /// in August; G leaves and K joins in September; D past due and J suspended still count; H leaves and Leo joins in
    /// December).
    /// </summary>
    private static readonly long[] MembersAtStart = [0, 3, 5, 7, 8, 9, 9, 8, 8, 8, 8, 8, 8, 8];

    /// <summary>Voluntary and involuntary cancellations: July Cara (price) and Eve (payment_failed); August Iris; September Gina; December Hugo.</summary>
    private static readonly (long Voluntary, long Involuntary)[] Churned =
        [(0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (1, 1), (1, 0), (1, 0), (0, 0), (0, 0), (1, 0), (0, 0), (0, 0)];

    /// <summary>July: 1/9 = 0.1111 each, 2/9 = 0.2222 in all; August, September and December: 1/8 = 0.125.</summary>
    private static readonly (decimal Voluntary, decimal Involuntary, decimal Churn)[] ChurnRates =
    [
        (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (0.1111m, 0.1111m, 0.2222m),
        (0.125m, 0, 0.125m), (0.125m, 0, 0.125m), (0, 0, 0), (0, 0, 0), (0.125m, 0, 0.125m), (0, 0, 0), (0, 0, 0),
    ];

    private static readonly string[] ChurnReasons =
    [
        "2031-07 price voluntary=1",
        "2031-07 payment_failed involuntary=1",
        "2031-08 not_using voluntary=1",
        "2031-09 relocation voluntary=1",
        "2031-12 results voluntary=1",
    ];

    private async Task CheckChurnAsync(List<string> problems)
    {
        var report = await ReportAsync("churn");
        Check(problems, "churn",
            Rows(report, "months", r => OptionalText(r, "month"), r =>
                $"start={Long(r, "membersAtStart")} voluntary={Long(r, "voluntary")} involuntary={Long(r, "involuntary")} " +
                $"rates={Dec(r, "voluntaryRate")}/{Dec(r, "involuntaryRate")}/{Dec(r, "churnRate")}"),
            Months.Select((month, i) => (month, $"start={MembersAtStart[i]} voluntary={Churned[i].Voluntary} involuntary={Churned[i].Involuntary} " +
                $"rates={Fraction(ChurnRates[i].Voluntary)}/{Fraction(ChurnRates[i].Involuntary)}/{Fraction(ChurnRates[i].Churn)}")).ToDictionary(x => x.month, x => x.Item2));
        var reasons = report.GetProperty("reasons").EnumerateArray()
            .Select(r => $"{Text(r, "month")} {Text(r, "reason")} {(r.GetProperty("involuntary").GetBoolean() ? "involuntary" : "voluntary")}={Long(r, "cancelled")}")
            .ToList();
        if (!reasons.SequenceEqual(ChurnReasons))
        {
            problems.Add($"churn reasons: expected [{string.Join("; ", ChurnReasons)}] but got [{string.Join("; ", reasons)}]");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Credits
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Per tier and kind, per month: allocated, redeemed, expired, open at the end (nothing is adjusted). A lot belongs
    /// to the tier it was granted under and lapses at 09:00 on the next billing date (or when the membership ends) unless
    /// used. Units count treatments; dollars are cents.
    /// <para>E units. Allocated: one per E period started (Alice Jan–Apr; Dan from Feb; Finn Mar–May and from 22 Jul; Ben
    /// from Apr; Iris May–Jul and from 25 Aug; October has Dan's late 1 Oct payment and his 28 Oct renewal: 5).
    /// Redeemed: the Botox visits of E members. Expired: each unused unit, the month it lapses: e.g. March = Alice's
    /// February unit (5 Mar) and Dan's February unit (28 Mar). Two lapse while nothing is recorded: Finn's May unit, frozen through the pause (1 h of it left), lapses at 10:00
    /// on 22 Jul, after his 09:00 resume charge (July, not August when his next renewal records it); Dan's August unit
    /// lapses on 28 Sep while he is past due (September, not 1 Oct when his late payment records it).</para>
    /// <para>S units and dollars. Eve's May $50 lapses on 8 Jun as her renewal is declined (June, not 11 Jul when her
    /// cancellation records it); Jack's September unit lapses on 28 Oct (October, not 3 Nov); Leo's add-on unit lapses on
    /// 18 Feb 2032 and Jack's at 20:00 on 29 Feb: both are expired at the end of February though no event records them
    /// before March. Alice's upgrade adds $25 in April; Leo's and Jack's add-ons a unit each in December.</para>
    /// <para>L: Hugo's upgrade adds $33.33 in June (used with his S $50 on 20 Jun); Cara's, Gina's and Hugo's last lots
    /// expire the day their membership ends (15 Jul, 20 Sep, 6 Dec).</para>
    /// </summary>
    private static readonly Dictionary<string, long[][]> Credits = new(StringComparer.Ordinal)
    {
        ["E units"] =
        [
            [1, 1, 0, 0], // Jan: A allocated and used
            [2, 0, 0, 2], // Feb: A, D
            [3, 2, 2, 1], // Mar: A, F, D; A and D used; A's Feb and D's Feb lapse; F's open
            [4, 1, 1, 3], // Apr: A, B, F, D; F used; F's Mar lapses; A's (E, lapses 5 May), B's, D's open
            [4, 1, 3, 3], // May: B, F, I, D; I used; A's Apr, B's Apr, D's Apr lapse; B, F, D open
            [3, 1, 2, 3], // Jun: B, I, D; B used; B's May and D's May lapse; F's May (frozen), I's and D's open
            [4, 1, 2, 4], // Jul: B, I, F (22nd), D; D used (Jun lot); I's Jun, F's May lapse; B, I, F, D open
            [4, 1, 3, 4], // Aug: B, F, D, I (25th); F used; B's Jul, I's Jul (ends 14 Aug), D's Jul lapse
            [3, 0, 4, 3], // Sep: B, F, I; B's Aug, F's Aug, I's Aug, D's Aug (28 Sep, past due) lapse
            [5, 1, 3, 4], // Oct: D (1 Oct), B, F, I, D (28 Oct); I used; B's Sep, F's Sep, D's late Sep lot lapse
            [4, 0, 4, 4], // Nov
            [4, 2, 4, 2], // Dec: B and D used their December units; F's and I's open
            [4, 0, 2, 4], // Jan 2032: B's and D's December lots were used; F's and I's lapse
            [4, 0, 4, 4], // Feb 2032
        ],
        ["S units"] =
        [
            [1, 0, 0, 1], // Jan: B
            [2, 1, 1, 1], // Feb: B, V; B used; B's Jan lapses
            [2, 0, 1, 2], // Mar: B, V; V's Feb lapses
            [2, 1, 2, 1], // Apr: V, H; H used; B's Mar and V's Mar lapse
            [3, 1, 1, 2], // May: A, V, H; V used; V's Apr lapses (H's Apr was used)
            [2, 1, 2, 1], // Jun: A, H; H used; A's May and H's May lapse
            [2, 0, 1, 2], // Jul: A, J; A's Jun lapses
            [2, 1, 2, 1], // Aug: A, J; A used; A's Jul and J's Jul lapse
            [2, 0, 1, 2], // Sep: A, J; J's Aug lapses
            [1, 0, 2, 1], // Oct: A; A's Sep lapses, J's Sep lapses on 28 Oct (J past due, then suspended)
            [3, 1, 2, 1], // Nov: A, J (3 Nov), J (28 Nov); A used; A's Oct and J's late Oct lot lapse
            [5, 1, 0, 5], // Dec: A, Lo, Lo's add-on, J, J's add-on; J used; A's Nov was used
            [3, 1, 3, 4], // Jan 2032: A, Lo, J; Lo used; A's Dec, Lo's Dec, J's Dec lapse; both add-ons still open
            [3, 0, 4, 3], // Feb 2032: A, Lo, J; A's Jan, J's Jan, Lo's add-on (18 Feb) and J's add-on (29 Feb, 20:00) lapse
        ],
        ["S dollars"] =
        [
            [5_000, 0, 0, 5_000],
            [10_000, 10_000, 5_000, 0], // B and V used theirs; B's Jan lapses
            [10_000, 0, 0, 10_000],
            [12_500, 0, 10_000, 12_500], // V, H and A's $25 upgrade credit; B's Mar and V's Mar lapse
            [15_000, 5_000, 12_500, 10_000], // A used; V's Apr, H's Apr, A's $25 lapse
            [10_000, 5_000, 10_000, 5_000], // A, H; H used his; H's May and V's May (8 Jun, renewal declined) lapse
            [10_000, 0, 5_000, 10_000],
            [10_000, 0, 10_000, 10_000],
            [10_000, 0, 10_000, 10_000],
            [5_000, 5_000, 5_000, 5_000], // J used his Sep $50; A's Sep lapses
            [15_000, 5_000, 10_000, 5_000],
            [15_000, 0, 5_000, 15_000],
            [15_000, 0, 15_000, 15_000],
            [15_000, 0, 15_000, 15_000],
        ],
        ["L units"] =
        [
            [2, 2, 0, 0], // C used both
            [2, 0, 0, 2],
            [4, 2, 2, 2], // C, G; G used 2; C's Feb lapses
            [4, 1, 2, 3], // C used 1; C's March pair lapses (G's was used)
            [4, 0, 3, 4], // C's Apr (1 left) and G's Apr (2) lapse
            [4, 0, 4, 4], // C's May, G's May lapse
            [4, 1, 4, 3], // G, H; G used 1; C's Jun (ends 15 Jul) and G's Jun lapse
            [4, 0, 3, 4], // G's Jul (1 left), H's Jul lapse
            [4, 4, 4, 0], // H, K; both used 2; G's Aug (ends 20 Sep), H's Aug lapse
            [4, 0, 0, 4],
            [4, 1, 4, 3], // K used 1; H's Oct, K's Oct lapse
            [2, 0, 3, 2], // K; H's Nov (ends 6 Dec) and K's Nov (1 left) lapse
            [2, 1, 2, 1],
            [2, 0, 1, 2],
        ],
        ["L dollars"] =
        [
            [10_000, 10_000, 0, 0],
            [10_000, 0, 0, 10_000],
            [20_000, 0, 10_000, 20_000],
            [20_000, 0, 20_000, 20_000],
            [20_000, 10_000, 20_000, 10_000], // G used hers
            [23_333, 3_333, 10_000, 20_000], // C, G, H's $33.33 upgrade credit, used 20 Jun
            [20_000, 0, 20_000, 20_000],
            [20_000, 0, 20_000, 20_000],
            [20_000, 0, 20_000, 20_000],
            [20_000, 10_000, 20_000, 10_000], // K used hers
            [20_000, 0, 10_000, 20_000],
            [10_000, 0, 20_000, 10_000],
            [10_000, 0, 10_000, 10_000],
            [10_000, 0, 10_000, 10_000],
        ],
    };

    private async Task CheckCreditUtilisationAsync(List<string> problems)
    {
        var report = await ReportAsync("credit-utilisation");
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, rows) in Credits)
        {
            for (var i = 0; i < Months.Length; i++)
            {
                var (allocated, redeemed, expired, open) = (rows[i][0], rows[i][1], rows[i][2], rows[i][3]);
                expected[$"{Months[i]} {key}"] =
                    $"allocated={allocated} redeemed={redeemed} expired={expired} adjusted=0 open={open} rates={Fraction(Rate(redeemed, allocated))}/{Fraction(Rate(expired, allocated))}";
            }
        }

        Check(problems, "credit-utilisation",
            Rows(report, "months", r => $"{Text(r, "month")} {Tier(r, "planId")} {Text(r, "kind")}", r =>
                $"allocated={Long(r, "allocated")} redeemed={Long(r, "redeemed")} expired={Long(r, "expired")} adjusted={Long(r, "adjusted")} " +
                $"open={Long(r, "open")} rates={Dec(r, "redemptionRate")}/{Dec(r, "expiryRate")}"),
            expected);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Revenue per client
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Per month and treatment type: member revenue, non-member revenue, paying members, paying non-members, per member,
    /// per non-member (rounded half away from zero). Membership is every charge that month (each member's renewal at
    /// their price, plus Alice's 50.00 and Hugo's 66.67 upgrades, Iris's 49.50 first month back, Dan's and Jack's late
    /// payments on 1 Oct and 3 Nov); treatments are what checkouts left to pay, by the service's category. Paying
    /// members are the members who paid anything that month (a declined renewal, a pause or a membership that ended is
    /// no payment); Cara's Botox in September is a non-member's.
    /// <para>January: A 99 + B 199 + C 299 = 597.00 from 3 members; facial: C 89.10.
    /// February: + D 99 and V 199: 895.00 from 5; facial B 149 + V 149.
    /// March: + F 99 + G 299: 1,293.00 from 7; filler G 585 (member) and Nora 650 (non-member).
    /// April: A 99 + 50 (upgrade), B 99 (downgraded), C 299, D 99, V 199, F 99, G 299, H 199 = 1,442.00 from 8.
    /// May: A 199, B 99, C 299, D 99, V 199, F 99, G 299, H 199, I 99 = 1,591.00 from 9; facial A 149 + G 89.10.
    /// June: A 199, B 99, C 299, D 99, G 299, H 199 + 66.67, I 99 = 1,359.67 from 7 (V declined, F paused); facial H 104.10.
    /// July: A 199, B 99, D 99, F 99 (22nd), G 299, H 299, I 99, J 199 = 1,392.00 from 8.
    /// August: as July with I at 49.50 = 1,342.50 from 8.
    /// September: A, B, F, H, I, J, K (D declined, G ended) = 1,293.00 from 7; filler K 585; neurotoxin C 300 (non-member).
    /// October: A, B, D twice (1 and 28 Oct), F, H, I, K = 1,292.00; J paid only his HydraFacial (149) and is the 8th
    /// paying member; facial J 149 + K 89.10.
    /// November: A, B, D, F, H, I, J twice (3 and 28 Nov), K = 1,591.00 from 8; facial A 149 and Nora 199.
    /// December to February: A, B, D, F, I, J, K, Lo = 1,292.00 from 8; in December Leo's and Jack's add-ons, 500.00
    /// (Jack's at 20:00 on 31 Dec, 01:00 on 1 Jan in UTC: December's, in New York).</para>
    /// </summary>
    private static readonly Dictionary<string, long[]> Revenue = new(StringComparer.Ordinal)
    {
        ["2031-01 facial"] = [8_910, 0, 3, 0, 2_970, 0],
        ["2031-01 membership"] = [59_700, 0, 3, 0, 19_900, 0],
        ["2031-02 facial"] = [29_800, 0, 5, 0, 5_960, 0],
        ["2031-02 membership"] = [89_500, 0, 5, 0, 17_900, 0],
        ["2031-03 filler"] = [58_500, 65_000, 7, 1, 8_357, 65_000], // 58,500 / 7 = 8,357.14
        ["2031-03 membership"] = [129_300, 0, 7, 1, 18_471, 0], // 129,300 / 7 = 18,471.43
        ["2031-04 membership"] = [144_200, 0, 8, 0, 18_025, 0],
        ["2031-05 facial"] = [23_810, 0, 9, 0, 2_646, 0], // 23,810 / 9 = 2,645.56
        ["2031-05 membership"] = [159_100, 0, 9, 0, 17_678, 0], // 159,100 / 9 = 17,677.78
        ["2031-06 facial"] = [10_410, 0, 7, 0, 1_487, 0], // 10,410 / 7 = 1,487.14
        ["2031-06 membership"] = [135_967, 0, 7, 0, 19_424, 0], // 135,967 / 7 = 19,423.86
        ["2031-07 membership"] = [139_200, 0, 8, 0, 17_400, 0],
        ["2031-08 membership"] = [134_250, 0, 8, 0, 16_781, 0], // 134,250 / 8 = 16,781.25
        ["2031-09 filler"] = [58_500, 0, 7, 1, 8_357, 0],
        ["2031-09 membership"] = [129_300, 0, 7, 1, 18_471, 0],
        ["2031-09 neurotoxin"] = [0, 30_000, 7, 1, 0, 30_000],
        ["2031-10 facial"] = [23_810, 0, 8, 0, 2_976, 0], // 23,810 / 8 = 2,976.25
        ["2031-10 membership"] = [129_200, 0, 8, 0, 16_150, 0],
        ["2031-11 facial"] = [14_900, 19_900, 8, 1, 1_863, 19_900], // 14,900 / 8 = 1,862.5, half away from zero
        ["2031-11 membership"] = [159_100, 0, 8, 1, 19_888, 0], // 159,100 / 8 = 19,887.5
        ["2031-12 add_on"] = [50_000, 0, 8, 0, 6_250, 0],
        ["2031-12 membership"] = [129_200, 0, 8, 0, 16_150, 0],
        ["2032-01 membership"] = [129_200, 0, 8, 0, 16_150, 0],
        ["2032-02 membership"] = [129_200, 0, 8, 0, 16_150, 0],
    };

    private async Task CheckRevenuePerClientAsync(List<string> problems)
    {
        var report = await ReportAsync("revenue-per-client");
        Check(problems, "revenue-per-client",
            Rows(report, "months", r => $"{Text(r, "month")} {Text(r, "treatmentType")}", r =>
                $"members={Long(r, "memberRevenue")} others={Long(r, "nonMemberRevenue")} payingMembers={Long(r, "payingMembers")} " +
                $"payingOthers={Long(r, "payingNonMembers")} perMember={Long(r, "perMember")} perOther={Long(r, "perNonMember")}"),
            Revenue.ToDictionary(x => x.Key, x =>
                $"members={x.Value[0]} others={x.Value[1]} payingMembers={x.Value[2]} payingOthers={x.Value[3]} perMember={x.Value[4]} perOther={x.Value[5]}",
                StringComparer.Ordinal));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tier migration
    // ---------------------------------------------------------------------------------------------------------------

    private async Task CheckTierMigrationAsync(List<string> problems)
    {
        // The whole range: Alice E → S and Hugo S → L up, Ben S → E down.
        await CheckMovesAsync(problems, From, To, ["E>S upgrade=1", "S>E downgrade=1", "S>L upgrade=1"], ["L", "E", "S"]);
        // April alone: Ben's downgrade takes effect on the 10th, Alice's upgrade on the 20th.
        await CheckMovesAsync(problems, "2031-04-01", "2031-04-30", ["E>S upgrade=1", "S>E downgrade=1"], ["E", "S"]);
        // June alone: Hugo's upgrade.
        await CheckMovesAsync(problems, "2031-06-01", "2031-06-30", ["S>L upgrade=1"], ["L", "S"]);
        // March: Ben asked to move down, but a downgrade moves nobody until it takes effect.
        await CheckMovesAsync(problems, "2031-03-01", "2031-03-31", [], []);
    }

    private async Task CheckMovesAsync(List<string> problems, string from, string to, string[] moves, string[] tiersByName)
    {
        var report = await GetReportAsync($"/api/v1/reports/tier-migration?from={from}&to={to}");
        var actual = report.GetProperty("moves").EnumerateArray()
            .Select(r => $"{Tier(r, "fromPlanId")}>{Tier(r, "toPlanId")} {Text(r, "direction")}={Long(r, "moves")}")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (!actual.SequenceEqual(moves))
        {
            problems.Add($"tier-migration {from}..{to}: expected [{string.Join("; ", moves)}] but got [{string.Join("; ", actual)}]");
        }

        // Tiers are listed by name: Scenario Elite, Scenario Essentials, Scenario Signature.
        var tiers = report.GetProperty("tiers").EnumerateArray().Select(t => Tier(t, "planId")).ToList();
        if (!tiers.SequenceEqual(tiersByName))
        {
            problems.Add($"tier-migration {from}..{to} tiers: expected [{string.Join(", ", tiersByName)}] but got [{string.Join(", ", tiers)}]");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Liability
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// At each month's end, per tier: open units (as in <see cref="Credits"/>), their value at the dearest neurotoxin
    /// service's price (Botox, 300.00 each), open dollar credit, and deferred membership revenue. Deferred revenue at the
    /// end of day D is, over every paid span [s, e) with s ≤ D &lt; e, amount × (e − 1 − D) / (e − s), summed per tier and
    /// rounded half away from zero. The spans are the paid periods (under the tier of the payment) and, for an upgrade,
    /// its charge over [change day, end of the period) under the new tier: the upgrade pays for those days.
    /// <para>Examples. 31 Jan, E: Alice's [5 Jan, 5 Feb) 9,900 × 4/31 = 1,277.42 → 1,277.
    /// 28 Feb, E: Alice 9,900 × 4/28 + Dan [28 Feb, 28 Mar) 9,900 × 27/28 = 1,414.29 + 9,546.43 = 10,960.71 → 10,961.
    /// 30 Apr, S: Eve [8 Apr, 8 May) 19,900 × 7/30 + Hugo [6 Apr, 6 May) 19,900 × 5/30 + Alice's upgrade 5,000 over
    /// [20 Apr, 5 May) × 4/15 = 4,643.33 + 3,316.67 + 1,333.33 = 9,293.33 → 9,293; E: Alice's [5 Apr, 5 May) 9,900 × 4/30 +
    /// Ben [10 Apr, 10 May) 9,900 × 9/30 + Finn [12 Apr, 12 May) 9,900 × 11/30 + Dan [28 Apr, 28 May) 9,900 × 27/30 =
    /// 1,320 + 2,970 + 3,630 + 8,910 = 16,830.
    /// 30 Jun, L: Cara [15 Jun, 15 Jul) 29,900 × 14/30 + Gina [20 Jun, 20 Jul) 29,900 × 19/30 + Hugo's upgrade 6,667 over
    /// [16 Jun, 6 Jul) × 5/20 = 13,953.33 + 18,936.67 + 1,666.75 = 34,556.75 → 34,557; S: Alice [5 Jun, 5 Jul) 19,900 ×
    /// 4/30 + Hugo's S period [6 Jun, 6 Jul) 19,900 × 5/30 = 2,653.33 + 3,316.67 = 5,970 (Hugo paid it as S).
    /// 30 Sep, E: Dan's September was not paid yet (past due); Ben 9,900 × 9/30 + Finn [22 Sep, 22 Oct) 9,900 × 21/30 +
    /// Iris [25 Sep, 25 Oct) 9,900 × 24/30 = 2,970 + 6,930 + 7,920 = 17,820.
    /// 31 Oct, S: Jack is suspended, his period unpaid: only Alice's [5 Oct, 5 Nov) 19,900 × 4/31 = 2,567.74 → 2,568.</para>
    /// </summary>
    private static readonly Dictionary<string, long[][]> Liability = new(StringComparer.Ordinal)
    {
        ["E"] =
        [
            [0, 0, 0, 1_277], // 39,600/31
            [2, 60_000, 0, 10_961], // 76,725/7
            [1, 30_000, 0, 13_413], // 415,800/31 = 13,412.90
            [3, 90_000, 0, 16_830],
            [3, 90_000, 0, 19_161], // 594,000/31 = 19,161.29
            [3, 90_000, 0, 16_170], // periods of B, I and D; F, paused, has none running (his frozen May unit is still open)
            [4, 120_000, 0, 22_355], // 693,000/31 = 22,354.84
            [4, 120_000, 0, 22_035], // 683,100/31 = 22,035.48
            [3, 90_000, 0, 17_820],
            [4, 120_000, 0, 25_868], // 801,900/31 = 25,867.74
            [4, 120_000, 0, 26_730],
            [2, 60_000, 0, 25_868],
            [4, 120_000, 0, 25_868],
            [4, 120_000, 0, 27_652], // 801,900/29 = 27,651.72
        ],
        ["S"] =
        [
            [1, 30_000, 5_000, 5_777], // 179,100/31 = 5,777.42
            [1, 30_000, 0, 11_371], // 79,600/7 = 11,371.43
            [2, 60_000, 10_000, 10_271], // 318,400/31 = 10,270.97
            [1, 30_000, 12_500, 9_293], // 27,880/3
            [2, 60_000, 10_000, 10_271],
            [1, 30_000, 5_000, 5_970],
            [2, 60_000, 10_000, 19_900],
            [1, 30_000, 10_000, 19_900],
            [2, 60_000, 10_000, 20_563], // 61,690/3 = 20,563.33
            [1, 30_000, 5_000, 2_568],
            [1, 30_000, 5_000, 20_563],
            [5, 150_000, 15_000, 25_035], // 776,100/31 = 25,035.48; the add-ons are credit, not membership revenue
            [4, 120_000, 15_000, 25_035],
            [3, 90_000, 15_000, 26_762], // 776,100/29 = 26,762.07
        ],
        ["L"] =
        [
            [0, 0, 0, 13_503], // 418,600/31 = 13,503.23
            [2, 60_000, 10_000, 14_950],
            [2, 60_000, 20_000, 31_829], // 986,700/31 = 31,829.03
            [3, 90_000, 20_000, 32_890],
            [4, 120_000, 10_000, 31_829],
            [4, 120_000, 20_000, 34_557],
            [3, 90_000, 20_000, 23_148], // 717,600/31 = 23,148.39
            [4, 120_000, 20_000, 23_148],
            [0, 0, 20_000, 6_977], // 20,930/3 = 6,976.67
            [4, 120_000, 10_000, 6_752], // 209,300/31 = 6,751.61
            [3, 90_000, 20_000, 6_977],
            [2, 60_000, 10_000, 1_929], // 59,800/31 = 1,929.03
            [1, 30_000, 10_000, 1_929],
            [2, 60_000, 10_000, 2_062], // 59,800/29 = 2,062.07
        ],
    };

    private async Task CheckLiabilityAsync(List<string> problems)
    {
        var report = await ReportAsync("liability");
        Check(problems, "liability",
            Rows(report, "months", r => $"{Text(r, "month")} {Tier(r, "planId")}", r =>
                $"units={Long(r, "openUnits")} value={Long(r, "openUnitsValue")} dollars={Long(r, "openDollarCredits")} deferred={Long(r, "deferredRevenue")}"),
            Expected((month, tier) =>
            {
                var row = Liability[tier][month];
                return $"units={row[0]} value={row[1]} dollars={row[2]} deferred={row[3]}";
            }));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // At risk
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// As of 29 Feb 2032 the live members are A, B, D, F, I, J, K and Leo. Visits in the last 90 days are those after
    /// 1 Dec 2031; the 90 before, 3 Sep to 1 Dec. Untouched lots lapsing 1–14 Mar: the February lots of those billed on
    /// the 3rd to the 14th (A on the 5th, B the 10th, K the 3rd, Leo the 9th), none of them touched in February.
    /// Alice's card expires in March 2032, within 60 days. Jack's two visits (5 Oct and 1 Dec, the last day of the
    /// earlier window) and none since are falling visits; so are Kim's three (15 Sep, 10 Oct, 12 Nov) against one (10 Jan).
    /// Jack's untouched add-on lapses at 20:00 on 29 Feb, New York time: on the last day, not within the 14 days after it
    /// (it is 1 March in UTC).
    /// </summary>
    private async Task CheckAtRiskAsync(Dictionary<string, string> m, List<string> problems)
    {
        var expected = new[]
        {
            AtRisk(m["A"], "Alice Archer", _signature, "credits_expiring card_expiring", 0, 1, units: 1, dollars: 5_000, "2032-03-05", "2032-03-31"),
            AtRisk(m["B"], "Ben Brooks", _essentials, "credits_expiring", 1, 0, units: 1, dollars: 0, "2032-03-10", "2034-12-31"),
            AtRisk(m["J"], "Jack Jones", _signature, "falling_visits", 0, 2, units: 0, dollars: 0, null, "2034-12-31"),
            AtRisk(m["K"], "Kim King", _elite, "falling_visits credits_expiring", 1, 3, units: 2, dollars: 10_000, "2032-03-03", "2034-12-31"),
            AtRisk(m["Lo"], "Leo Lane", _signature, "credits_expiring", 1, 0, units: 1, dollars: 5_000, "2032-03-09", "2034-12-31"),
        };
        var report = await ReportAsync("at-risk");
        var actual = new List<string>();
        foreach (var r in report.GetProperty("members").EnumerateArray())
        {
            var email = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{Text(r, "memberId")}")).GetProperty("email").GetString();
            Assert.Equal(email, Text(r, "email"));
            Assert.Equal(Clinic.LocationId, Text(r, "locationId"));
            actual.Add($"{Text(r, "memberId")} {Text(r, "name")} {Text(r, "planId")} {Text(r, "planName")} [{Text(r, "reasons")}] " +
                $"visits={r.GetProperty("visitsLast90Days").GetInt32()}/{r.GetProperty("visitsPrior90Days").GetInt32()} " +
                $"units={Long(r, "unusedExpiringUnits")} dollars={Long(r, "unusedExpiringDollarCredits")} " +
                $"expiring={OptionalText(r, "creditsExpireOn")} card={OptionalText(r, "cardExpires")}");
        }

        if (!actual.SequenceEqual(expected))
        {
            problems.Add($"at-risk: expected\n  {string.Join("\n  ", expected)}\nbut got\n  {string.Join("\n  ", actual)}");
        }
    }

    private string AtRisk(string id, string name, string planId, string reasons, int recent, int prior, long units, long dollars, string? expiring, string card) =>
        $"{id} {name} {planId} {PlanName(planId)} [{reasons}] visits={recent}/{prior} units={units} dollars={dollars} expiring={expiring ?? "-"} card={card}";

    private string PlanName(string planId) => _tierOfPlan[planId] switch
    {
        "E" => "Scenario Essentials",
        "S" => "Scenario Signature",
        _ => "Scenario Elite",
    };

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    private async Task<string> PlanAsync(object plan) => (await _admin.PostOkAsync("/api/v1/plans", plan)).GetProperty("id").GetString()!;

    /// <summary>Moves the clock to the local time given (noon by default), running everything due on the way.</summary>
    private Task AtAsync(int year, int month, int day, int hour = 12)
    {
        var local = new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Unspecified);
        return _admin.AdvanceClockToAsync(new DateTimeOffset(local, NewYork.GetUtcOffset(local)));
    }

    /// <summary>Registers a client, saves a good card and enrols them: charged the first month at once.</summary>
    private async Task<string> JoinAsync(string first, string last, string planId, long firstCharge, (int Month, int Year)? cardExpires = null)
    {
        var id = await Clinic.RegisterAsync(first, last);
        await SaveCardAsync(id, "pm_card_visa", cardExpires);
        var enrolled = await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment", new { planId, agreement = new { signedName = $"{first} {last}", accepted = true } });
        Assert.Equal("active", Text(enrolled, "status"));
        Assert.Equal(firstCharge, await LastSubscriptionPaymentAsync(id));
        return id;
    }

    /// <summary>
    /// Saves a card, then has the card network reissue it with a known expiry (December 2034 unless said otherwise). The
    /// emulator dates its cards by the real clock (three years on), which the simulated 2031 has already passed: left so,
    /// every card would count as expired in the at-risk report, and which depends on the year the test runs in.
    /// </summary>
    private async Task SaveCardAsync(string id, string paymentMethodId, (int Month, int Year)? expires = null)
    {
        var saved = await _admin.PostOkAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId });
        var card = saved.GetProperty("card");
        var (month, year) = expires ?? (12, 2034);
        await fixture.Silo.Grains.GetGrain<IMemberGrain>(id).UpdateCardFromProcessorAsync(new CardOnFile(
            card.GetProperty("paymentMethodId").GetString()!, card.GetProperty("brand").GetString(), card.GetProperty("last4").GetString(), month, year));
    }

    private async Task CheckoutAsync(string id, string checkoutId, long expectedDue, params string[] serviceIds)
    {
        var receipt = await _admin.PostOkAsync($"/api/v1/members/{id}/checkouts", new
        {
            checkoutId,
            basket = new { items = serviceIds.Select(s => new { serviceId = s }).ToArray() },
            settlement = "card_terminal",
        });
        Assert.True(expectedDue == receipt.GetProperty("quote").GetProperty("amountDue").GetProperty("amount").GetInt64(), $"{checkoutId}: {receipt}");
    }

    private async Task UpgradeAsync(string id, string planId, string changeId, long charge)
    {
        var change = await _admin.PostOkAsync($"/api/v1/members/{id}/plan-change", new { planId, changeId, confirm = true });
        Assert.Equal(("applied", "upgrade", charge), (Text(change, "status"), Text(change, "direction"), change.GetProperty("charge").GetProperty("amount").GetInt64()));
    }

    private async Task CancelAsync(string id, string reason, string effectiveOn)
    {
        var cancellation = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason, confirm = true });
        Assert.Equal((true, effectiveOn), (cancellation.GetProperty("termMet").GetBoolean(), Text(cancellation, "effectiveOn")));
    }

    private async Task<(string?, string?)> PlanAndStatusAsync(string id)
    {
        var membership = await _admin.MembershipAsync(id);
        return (Text(membership, "planId"), Text(membership, "status"));
    }

    private async Task<long> LastSubscriptionPaymentAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!
            .Last(p => p.GetProperty("category").GetString() == "subscription").GetProperty("amount").GetProperty("amount").GetInt64();

    private Task<JsonElement> ReportAsync(string name) => GetReportAsync($"/api/v1/reports/{name}?from={From}&to={To}");

    private async Task<JsonElement> GetReportAsync(string path)
    {
        var response = await _admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private string Tier(JsonElement row, string property) => _tierOfPlan.GetValueOrDefault(Text(row, property) ?? "", Text(row, property) ?? "?");

    /// <summary>The expected rows of a per-tier monthly report: every tier in every month (each has members from January).</summary>
    private static Dictionary<string, string> Expected(Func<int, string, string> figures)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Months.Length; i++)
        {
            foreach (var tier in new[] { "E", "S", "L" })
            {
                rows[$"{Months[i]} {tier}"] = figures(i, tier);
            }
        }

        return rows;
    }

    private static Dictionary<string, string> Rows(JsonElement report, string table, Func<JsonElement, string> key, Func<JsonElement, string> figures)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in report.GetProperty(table).EnumerateArray())
        {
            rows.Add(key(row), figures(row));
        }

        return rows;
    }

    /// <summary>Adds a line to <paramref name="problems"/> for every row missing, extra or with other figures.</summary>
    private static void Check(List<string> problems, string report, Dictionary<string, string> actual, Dictionary<string, string> expected)
    {
        foreach (var (key, figures) in expected.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(key, out var got))
            {
                problems.Add($"{report} {key}: missing; expected {figures}");
            }
            else if (got != figures)
            {
                problems.Add($"{report} {key}: expected {figures}\n{new string(' ', report.Length + key.Length + 3)}but got  {got}");
            }
        }

        foreach (var key in actual.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{report} {key}: unexpected row {actual[key]}");
        }
    }

    private static decimal Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string OptionalText(JsonElement element, string property) => Text(element, property) ?? "-";

    private static long Long(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.MinValue;

    private static string Dec(JsonElement element, string property) => Fraction(element.GetProperty(property).GetDecimal());

    private static string Fraction(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
