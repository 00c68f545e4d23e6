using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>A silo on its own database with the test clinic (location, menu, Premium plan) already set up.</summary>
public sealed class ClinicFixture : SiloFixture
{
    public Clinic Clinic { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clinic = await Clinic.OpenAsync(Silo);
    }
}
