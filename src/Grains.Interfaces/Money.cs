namespace MedSpa;

/// <summary>An amount in minor units (cents) of an ISO 4217 currency, lower-case as Stripe writes it.</summary>
[GenerateSerializer, Immutable]
public sealed record Money([property: Id(0)] long Amount, [property: Id(1)] string Currency);
