using System.Security.Cryptography;

namespace MedSpa.StripeEmulator;

/// <summary>Ids shaped like Stripe's: a type prefix and random base62.</summary>
public static class StripeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix) => $"{prefix}_1{RandomNumberGenerator.GetString(Alphabet, 23)}";

    public static string Secret(string objectId) => $"{objectId}_secret_{RandomNumberGenerator.GetString(Alphabet, 25)}";
}
