namespace MedSpa.Domain.Billing;

/// <summary>
/// When a member is billed. The anchor day is the day of the month they enrolled, in their home location's time
/// zone; each billing date is that day, or the month's last day when the month is shorter (31 Jan → 28/29 Feb →
/// 31 Mar). A period is [billing date, next billing date). Charges run at 09:00 local time on the billing date.
/// </summary>
public static class BillingCalendar
{
    public static readonly TimeOnly ChargeTime = new(9, 0);

    public static DateOnly BillingDate(int anchorDay, int year, int month) =>
        new(year, month, Math.Min(anchorDay, DateTime.DaysInMonth(year, month)));

    /// <summary>The first billing date strictly after <paramref name="date"/>.</summary>
    public static DateOnly NextBillingDate(int anchorDay, DateOnly date)
    {
        var thisMonth = BillingDate(anchorDay, date.Year, date.Month);
        if (thisMonth > date)
        {
            return thisMonth;
        }

        var next = date.AddMonths(1);
        return BillingDate(anchorDay, next.Year, next.Month);
    }

    /// <summary>The billing date <paramref name="months"/> months after the one on or before <paramref name="start"/>.</summary>
    public static DateOnly AddPeriods(int anchorDay, DateOnly start, int months)
    {
        var target = start.AddMonths(months);
        return BillingDate(anchorDay, target.Year, target.Month);
    }

    /// <summary>The minimum term ends on the anchor date <paramref name="months"/> months after enrolment.</summary>
    public static DateOnly TermEnd(DateOnly enrolledOn, int minimumTermMonths) =>
        AddPeriods(enrolledOn.Day, enrolledOn, minimumTermMonths);

    /// <summary>The instant of the charge on a billing date: 09:00 there, whatever the daylight-saving rules.</summary>
    public static DateTimeOffset ChargeInstant(DateOnly billingDate, TimeZoneInfo zone) => LocalInstant(billingDate.ToDateTime(ChargeTime), zone);

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// A local wall-clock time as an instant. A time skipped by a spring-forward gap is taken as the first valid
    /// moment after it; a time repeated by a fall-back overlap is taken at its first occurrence.
    /// </summary>
    public static DateTimeOffset LocalInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
