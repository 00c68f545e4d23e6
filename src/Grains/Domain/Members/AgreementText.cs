using System.Security.Cryptography;
using System.Text;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

/// <summary>Everything the membership agreement states, as of the day it is signed.</summary>
public sealed record AgreementTerms(
    string MemberName,
    string PlanId,
    int PlanVersion,
    PlanTerms Plan,
    IReadOnlyDictionary<string, Service> Services,
    Location HomeLocation,
    DateOnly EnrolledOn,
    int AnchorDay,
    DateOnly TermEnd);

/// <summary>
/// The membership agreement rendered from the plan's terms: price, included services, minimum term, cancellation
/// and pause rules. The text is what is signed and hashed, so the same terms always render the same text.
/// </summary>
public static class AgreementText
{
    public static string Render(AgreementTerms terms) => throw new NotImplementedException();

    /// <summary>Lower-case hex SHA-256 of the text's UTF-8 bytes.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
