using System.Net;
using MedSpa.Access;
using MedSpa.Silo.Demo;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>The demo practice's staff sign in with the README's password, each with their role, in memory mode.</summary>
public sealed class AccessDemoTests
{
    [Theory]
    [InlineData("owner@demo.medspa", StaffRole.Admin, HttpStatusCode.OK, HttpStatusCode.OK)]
    [InlineData("desk@demo.medspa", StaffRole.FrontDesk, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData("provider@demo.medspa", StaffRole.Provider, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    public async Task The_demo_staff_sign_in_with_the_demo_password(string email, StaffRole role, HttpStatusCode failedPayments, HttpStatusCode staff)
    {
        await using var silo = await TestSilo.StartAsync(null, new Dictionary<string, string?> { [DemoPractice.Setting] = "true" });

        // The seed is a hosted service: it has finished when the silo has started.
        var client = await silo.SignedInClientAsync(new StaffLogin("", email, DemoPractice.StaffPassword, role));

        Assert.Equal(failedPayments, (await client.GetAsync("/api/v1/billing/failed-payments")).StatusCode);
        Assert.Equal(staff, (await client.GetAsync("/api/v1/staff")).StatusCode);
    }
}
