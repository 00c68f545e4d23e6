using MedSpa.Domain.Import;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Import;

public sealed class ImportValuesTests
{
    [Theory]
    [InlineData("2025-03-14", 2025, 3, 14)]
    [InlineData("2025/3/4", 2025, 3, 4)]
    [InlineData("3/14/2025", 2025, 3, 14)]
    [InlineData("03/04/2025", 2025, 3, 4)]
    [InlineData("14 Mar 2025", 2025, 3, 14)]
    [InlineData("14 March 2025", 2025, 3, 14)]
    [InlineData("Mar 14, 2025", 2025, 3, 14)]
    [InlineData("March 14 2025", 2025, 3, 14)]
    [InlineData("  14   Mar 2025 ", 2025, 3, 14)]
    [InlineData("14-Mar-2025", 2025, 3, 14)]
    public void Accepted_date_forms_read_as_one_day(string text, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), ImportValues.Date(text, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("14/3/2025", "not a day")]
    [InlineData("3/14/25", "two ways")]
    [InlineData("14.03.2025", "two ways")]
    [InlineData("14-03-2025", "two ways")]
    [InlineData("2025-02-30", "not a day")]
    [InlineData("soon", "not a date")]
    public void Impossible_or_ambiguous_dates_are_refused_and_say_why(string text, string why)
    {
        Assert.Null(ImportValues.Date(text, out var problem));
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("149", 14_900L)]
    [InlineData("$149.00", 14_900L)]
    [InlineData("149.5", 14_950L)]
    [InlineData("$1,149.00", 114_900L)]
    [InlineData("USD 149", 14_900L)]
    [InlineData(" $ 0.99 ", 99L)]
    [InlineData("-149", null)]
    [InlineData("149.999", null)]
    [InlineData("1,49", null)]
    [InlineData("free", null)]
    public void Money_reads_as_minor_units(string text, long? cents) => Assert.Equal(cents, ImportValues.Money(text));

    [Theory]
    [InlineData("15", 15)]
    [InlineData("1st", 1)]
    [InlineData("31", 31)]
    [InlineData("0", null)]
    [InlineData("32", null)]
    [InlineData("mid-month", null)]
    public void A_billing_day_is_a_day_of_the_month(string text, int? day) => Assert.Equal(day, ImportValues.BillingDay(text));

    [Theory]
    [InlineData("", MembershipStatus.Active)]
    [InlineData("Active", MembershipStatus.Active)]
    [InlineData("PAUSED", MembershipStatus.Paused)]
    [InlineData("canceled", MembershipStatus.Cancelled)]
    [InlineData("Cancelled", MembershipStatus.Cancelled)]
    [InlineData("lapsed", null)]
    public void Statuses(string text, MembershipStatus? status) => Assert.Equal(status, ImportValues.Status(text));
}
