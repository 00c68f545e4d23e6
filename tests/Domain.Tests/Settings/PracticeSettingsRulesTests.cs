using MedSpa.Domain.Billing;
using MedSpa.Domain.Settings;
using MedSpa.Settings;

namespace MedSpa.Domain.Tests.Settings;

public sealed class PracticeSettingsRulesTests
{
    private static readonly DunningPolicy Configured = DunningPolicy.Create([TimeSpan.FromHours(12)], TimeSpan.FromDays(20));

    [Fact]
    public void Without_a_schedule_of_its_own_the_practice_follows_the_configured_one()
    {
        var schedule = PracticeSettingsRules.RetrySchedule(new PracticeSettings(), Configured);

        Assert.Equal([TimeSpan.FromHours(12)], schedule.RetryOffsets);
        Assert.Equal(TimeSpan.FromDays(20), schedule.SuspendedFor);
    }

    [Fact]
    public void A_schedule_the_practice_set_replaces_the_configured_one_and_becomes_the_dunning_policy()
    {
        var set = new PracticeSettings(new RetrySchedule([TimeSpan.FromHours(6), TimeSpan.FromDays(2)], TimeSpan.FromDays(10)));

        var policy = PracticeSettingsRules.Policy(PracticeSettingsRules.RetrySchedule(PracticeSettingsRules.Validate(set), Configured));

        var first = DateTimeOffset.Parse("2027-03-01T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new DunningStep.Retry(2, first.AddHours(6)), policy.AfterFailure(first, 1, DeclineKind.Soft));
        Assert.Equal(first.AddDays(10), policy.CancellationAfterSuspension(first).At);
    }

    [Theory]
    [InlineData(new[] { 48.0, 24.0 }, 30, "invalid_retry_schedule")]
    [InlineData(new[] { -1.0 }, 30, "invalid_retry_schedule")]
    [InlineData(new[] { 24.0 }, 0, "invalid_suspension_period")]
    public void A_schedule_the_rules_could_not_follow_is_refused(double[] hours, int suspendedDays, string code)
    {
        var settings = new PracticeSettings(new RetrySchedule([.. hours.Select(TimeSpan.FromHours)], TimeSpan.FromDays(suspendedDays)));

        Assert.Equal(code, Assert.Throws<CommandRejectedException>(() => PracticeSettingsRules.Validate(settings)).Code);
    }
}
