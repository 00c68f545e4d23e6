namespace MedSpa.Bench.Reports;

/// <summary>Made-up client names: 48 × 48 combinations, each client numbered so every email is unique.</summary>
internal static class Names
{
    private static readonly string[] First =
    [
        "Amelia", "Jordan", "Sofia", "Priya", "Chloe", "Olivia", "Mia", "Ava", "Isabella", "Emma", "Harper", "Evelyn",
        "Abigail", "Emily", "Ella", "Madison", "Scarlett", "Grace", "Lily", "Aria", "Zoe", "Nora", "Camila", "Hannah",
        "Layla", "Riley", "Victoria", "Natalie", "Leah", "Audrey", "Savannah", "Brooklyn", "Claire", "Lucy", "Anna", "Maya",
        "Noah", "Liam", "Ethan", "Lucas", "Mason", "Logan", "James", "Daniel", "Henry", "Owen", "Caleb", "Julian",
    ];

    private static readonly string[] Last =
    [
        "Hart", "Ellis", "Marquez", "Nair", "Bennett", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
        "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
        "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Baker",
    ];

    public static (string FirstName, string LastName, string Email) For(int client, Random random)
    {
        var first = First[random.Next(First.Length)];
        var last = Last[random.Next(Last.Length)];
        return (first, last, $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}.{client}@example.com");
    }
}
