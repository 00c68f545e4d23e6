using MedSpa.Domain.Practice;
using MedSpa.Practice;

namespace MedSpa.Domain.Tests;

public sealed class CatalogueTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Catalogue WithDowntown()
    {
        var catalogue = Catalogue.Empty;
        return catalogue.Add(catalogue.NewLocation(new NewLocation("Downtown", "America/New_York"), Now));
    }

    [Fact]
    public void A_location_keeps_its_IANA_time_zone_and_gets_a_prefixed_id()
    {
        var location = Catalogue.Empty.NewLocation(new NewLocation("  Bayside ", "America/Los_Angeles", " 1 Ferry Building "), Now);

        Assert.StartsWith("loc_", location.Id, StringComparison.Ordinal);
        Assert.Equal("Bayside", location.Name);
        Assert.Equal("America/Los_Angeles", location.TimeZone);
        Assert.Equal("1 Ferry Building", location.Address);
    }

    [Theory]
    [InlineData("Eastern Standard Time")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData(null)]
    public void A_location_needs_an_IANA_time_zone(string? zone)
    {
        var refusal = Assert.Throws<CommandRejectedException>(() => Catalogue.Empty.NewLocation(new NewLocation("Downtown", zone!), Now));

        Assert.Equal("invalid_time_zone", refusal.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_location_needs_a_name(string? name) =>
        Assert.Equal("invalid_name", Assert.Throws<CommandRejectedException>(() =>
            Catalogue.Empty.NewLocation(new NewLocation(name!, "America/New_York"), Now)).Code);

    [Fact]
    public void Two_locations_cannot_share_a_name()
    {
        var refusal = Assert.Throws<CommandRejectedException>(() => WithDowntown().NewLocation(new NewLocation("DOWNTOWN", "Europe/London"), Now));

        Assert.Equal(("location_exists", RejectionKind.Conflict), (refusal.Code, refusal.Kind));
    }

    [Fact]
    public void A_service_is_priced_in_minor_units_within_a_category()
    {
        var service = Catalogue.Empty.NewService(new NewService("HydraFacial", " Facial ", new Money(19_900, "usd"), 60), Now);

        Assert.StartsWith("svc_", service.Id, StringComparison.Ordinal);
        Assert.Equal("facial", service.Category);
        Assert.Equal(new Money(19_900, "usd"), service.Price);
    }

    [Theory]
    [InlineData("Peel", "facial", -1, "usd", 30, "invalid_amount")]
    [InlineData("Peel", "facial", Prices.MaxAmount + 1, "usd", 30, "invalid_amount")]
    [InlineData("Peel", "facial", 100, "USD", 30, "invalid_currency")]
    [InlineData("Peel", "facial", 100, "dollars", 30, "invalid_currency")]
    [InlineData("Peel", "fa cial", 100, "usd", 30, "invalid_category")]
    [InlineData("Peel", "", 100, "usd", 30, "invalid_category")]
    [InlineData("Peel", "facial", 100, "usd", 0, "invalid_duration")]
    [InlineData("Peel", "facial", 100, "usd", 601, "invalid_duration")]
    [InlineData("", "facial", 100, "usd", 30, "invalid_name")]
    public void A_service_that_breaks_a_rule_is_refused(string name, string category, long amount, string currency, int minutes, string code) =>
        Assert.Equal(code, Assert.Throws<CommandRejectedException>(() =>
            Catalogue.Empty.NewService(new NewService(name, category, new Money(amount, currency), minutes), Now)).Code);

    [Fact]
    public void A_service_without_a_price_is_refused() =>
        Assert.Equal("invalid_currency", Assert.Throws<CommandRejectedException>(() =>
            Catalogue.Empty.NewService(new NewService("Peel", "facial", null!, 30), Now)).Code);
}
