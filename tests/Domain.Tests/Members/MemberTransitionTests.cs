using MedSpa.Domain.Members;
using MedSpa.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// Every lifecycle command in every state: the state it leads to, or the problem code it is refused with. A refusal
/// records nothing (the decision throws before returning any event).
/// </summary>
public sealed class MemberTransitionTests
{
    public enum State
    {
        Registered,
        PendingPayment,

        /// <summary>Pending, its first charge declined: chased until it is paid or lapses.</summary>
        PendingDeclined,
        Active,
        ActiveEnding,
        PastDue,
        Suspended,
        Paused,
        Cancelled,
    }

    public enum Command
    {
        QuoteCancellation,
        Cancel,
        BuyOut,
        WithdrawCancellation,
        Pause,
        Resume,
        OfferReactivation,
        ChangePlan,

        /// <summary>Redeem one of the plan's included treatments.</summary>
        RedeemIncluded,

        /// <summary>Book a treatment the plan includes (a check: it records nothing, or refuses).</summary>
        BookIncluded,

        /// <summary>What billing does when a first payment has not come in time: nothing unless the enrolment is chased and overdue.</summary>
        LapseUnpaidEnrolment,
    }

    private const string Same = "=";

    /// <summary>Rows: states; columns: commands in <see cref="Command"/> order. A status name is where it leads, else the refusal's code.</summary>
    private static readonly Dictionary<State, string[]> Table = new()
    {
        [State.Registered] = ["not_enrolled", "not_enrolled", "not_enrolled", "not_enrolled", "not_enrolled", "not_enrolled", "not_enrolled", "not_enrolled", "not_a_member", Same, Same],
        [State.PendingPayment] = ["membership_pending_payment", "membership_pending_payment", "membership_pending_payment", "no_pending_cancellation", "membership_pending_payment", "not_paused", "not_cancelled", "membership_pending_payment", "membership_pending_payment", Same, Same],
        // A first payment never made ends the enrolment (nothing was ever allocated, so nothing to take back).
        [State.PendingDeclined] = ["membership_pending_payment", "membership_pending_payment", "membership_pending_payment", "no_pending_cancellation", "membership_pending_payment", "not_paused", "not_cancelled", "membership_pending_payment", "membership_pending_payment", Same, "Cancelled"],
        // A buy-out only records its charge attempt: the status stays until the charge is paid.
        [State.Active] = [Same, "Active", "Active", "no_pending_cancellation", "Paused", "not_paused", "not_cancelled", "Active", "Active", Same, Same],
        [State.ActiveEnding] = [Same, "cancellation_pending", "cancellation_pending", "Active", "cancellation_pending", "not_paused", "not_cancelled", "cancellation_pending", "Active", Same, Same],
        // Past due keeps using the credits it holds; suspended, they are frozen and its included services cannot be booked.
        [State.PastDue] = [Same, "PastDue", "PastDue", "no_pending_cancellation", "membership_past_due", "not_paused", "not_cancelled", "membership_past_due", "PastDue", Same, Same],
        [State.Suspended] = ["membership_suspended", "membership_suspended", "membership_suspended", "no_pending_cancellation", "membership_suspended", "not_paused", "not_cancelled", "membership_suspended", "membership_suspended", "membership_suspended", Same],
        [State.Paused] = [Same, "Paused", "Paused", "no_pending_cancellation", "already_paused", "Active", "not_cancelled", "membership_paused", "membership_paused", Same, Same],
        [State.Cancelled] = ["already_cancelled", "already_cancelled", "already_cancelled", "already_cancelled", "already_cancelled", "not_paused", "Cancelled", "not_a_member", "not_a_member", Same, Same],
    };

    public static TheoryData<State, Command, string> Transitions()
    {
        var data = new TheoryData<State, Command, string>();
        foreach (var (state, row) in Table)
        {
            foreach (var command in Enum.GetValues<Command>())
            {
                data.Add(state, command, row[(int)command]);
            }
        }

        return data;
    }

    [Fact]
    public void The_table_covers_every_state_and_command()
    {
        Assert.Equal(Enum.GetValues<State>(), Table.Keys.Order());
        Assert.All(Table.Values, row => Assert.Equal(Enum.GetValues<Command>().Length, row.Length));
        Assert.Equal(
            Enum.GetValues<MembershipStatus>().Where(s => s != MembershipStatus.None).Order(),
            Table.Keys.Where(s => s is not (State.Registered or State.ActiveEnding or State.PendingDeclined)).Select(s => Build(s).Status).Order());
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Each_command_in_each_state_leads_where_the_table_says_or_is_refused_with_its_code(State state, Command command, string expected)
    {
        var member = Build(state);
        var now = Now(state);

        if (Enum.TryParse<MembershipStatus>(expected, out var status))
        {
            var events = Run(member, command, now);
            Assert.NotEmpty(events);
            Assert.Equal(status, Fold(member, events).Status);
        }
        else if (expected == Same)
        {
            Assert.Empty(Run(member, command, now));
        }
        else
        {
            IReadOnlyList<MemberEvent>? events = null;
            var e = Assert.Throws<CommandRejectedException>(() => events = Run(member, command, now));
            Assert.Equal(expected, e.Code);
            Assert.Null(events);
        }
    }

    /// <summary>A quote records nothing: <see cref="Same"/> in the table; a refused quote throws like the command.</summary>
    private static IReadOnlyList<MemberEvent> Run(Member member, Command command, DateTimeOffset now) => command switch
    {
        Command.QuoteCancellation => Quote(member, now),
        Command.Cancel => member.ConfirmCancellation(new CancellationRequest("not_using", Confirm: true), now),
        Command.BuyOut => member.ConfirmCancellation(new CancellationRequest("not_using", Confirm: true, Option: CancellationOption.BuyOut), now),
        Command.WithdrawCancellation => member.WithdrawCancellation(now),
        Command.Pause => member.Pause(new PauseRequest(Days: 14), now),
        Command.Resume => member.Resume(now),
        Command.OfferReactivation => member.OfferReactivation(PlanOf(WithOffer), now),
        Command.RedeemIncluded => member.Redeem(new RedemptionRequest("red_1", "units:svc_tox", 1, "svc_tox"), now),
        Command.BookIncluded => Book(member),
        Command.LapseUnpaidEnrolment => member.LapseUnpaidEnrolment(now, Policy),
        _ => member.ConfirmPlanChange("mem_1", "chg_1", Essentials, now),
    };

    private static IReadOnlyList<MemberEvent> Book(Member member)
    {
        member.RequireBookable(PlanExamples.Catalogue.Services.Single(s => s.Id == "svc_tox"));
        return [];
    }

    /// <summary>A cheaper plan: the change is a downgrade scheduled for the next billing date, so no card is charged.</summary>
    private static readonly PlanVersion Essentials = MedSpa.Domain.Plans.PlanHistory.Create(
        null, "plan_essentials", PlanExamples.Premium with { Name = "Essentials", MonthlyPrice = PlanExamples.Usd(9_900) }, PlanExamples.Catalogue, EnrolledAt).Current;

    private static IReadOnlyList<MemberEvent> Quote(Member member, DateTimeOffset now)
    {
        member.QuoteCancellation(null, now);
        return [];
    }

    /// <summary>Every member is on a plan that allows a buy-out, so the buy-out column shows the states, not the plan.</summary>
    private static readonly PlanTerms Terms = MedSpa.Domain.Tests.Plans.PlanExamples.Premium with { Cancellation = CancellationPolicy.BuyOut };

    private static Member Build(State state) => state switch
    {
        State.Registered => Registered(),
        State.PendingPayment => PendingPayment(Terms),
        State.PendingDeclined => PendingDeclined(Terms),
        State.Active => Active(Terms),
        State.ActiveEnding => Fold(Active(Terms), Active(Terms).ConfirmCancellation(new CancellationRequest("price", Confirm: true), Local(2027, 4, 1))),
        State.PastDue => PastDue(Terms),
        State.Suspended => Suspended(Terms),
        State.Paused => Paused(Local(2027, 4, 1), Terms),
        _ => Cancelled(out _, Terms),
    };

    private static DateTimeOffset Now(State state) => state switch
    {
        State.PastDue => Renewal.AddHours(2),
        State.Suspended => Renewal.AddHours(80),
        State.Cancelled => Local(2027, 5, 20),
        _ => Local(2027, 4, 5),
    };
}
