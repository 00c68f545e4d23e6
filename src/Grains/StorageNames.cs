namespace MedSpa.Grains;

/// <summary>Named grain storage providers the silo registers.</summary>
public static class StorageNames
{
    /// <summary>Practice-wide configuration: plans, settings, the catalogue, the clock.</summary>
    public const string Practice = "practice";
}
