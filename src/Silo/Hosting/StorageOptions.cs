namespace MedSpa.Silo.Hosting;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageMode Mode { get; set; } = StorageMode.Postgres;
}

public enum StorageMode
{
    /// <summary>Clustering, grain state, reminders and the event log in PostgreSQL: the product.</summary>
    Postgres = 0,

    /// <summary>Everything in this process's memory: quick experiments only, gone on exit.</summary>
    Memory = 1,
}
