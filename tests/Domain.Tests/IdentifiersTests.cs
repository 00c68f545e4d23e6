namespace MedSpa.Domain.Tests;

public sealed class IdentifiersTests
{
    [Fact]
    public void Ids_are_prefixed_lower_case_base32_and_never_all_hex()
    {
        var id = Identifiers.New("mem", DateTimeOffset.UnixEpoch.AddYears(57));

        Assert.Matches("^mem_[0-9a-hjkmnp-tv-z]{26}$", id);
    }

    [Fact]
    public void Later_ids_sort_after_earlier_ones()
    {
        var start = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 50).Select(i => Identifiers.New("svc", start.AddMilliseconds(i * 10))).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
