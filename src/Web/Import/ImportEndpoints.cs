using System.Text;
using MedSpa.Import;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Import;

/// <summary>
/// <c>/api/v1/import</c>: moving a practice's members in from a spreadsheet. The dry run checks the file and writes no
/// member; confirming its id creates the good rows, once, however often it is repeated.
/// </summary>
public static class ImportEndpoints
{
    /// <summary>
    /// The largest member file taken: a practice's sheet runs to about 250 bytes a member, so this is some 60,000 members,
    /// well past any single practice, while every other request stays under the API's 1 MB.
    /// </summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapImport(this RouteGroupBuilder api)
    {
        var import = api.MapGroup("/import").WithTags("Import").RequireAuthorization(StaffAccess.Admin);

        import.MapGet("/template", async (IGrainFactory grains) =>
                Results.File(Encoding.UTF8.GetBytes(await Desk(grains).GetTemplateAsync()), "text/csv; charset=utf-8", "medspa-members-template.csv"))
            .WithSummary("The CSV template: every column the import reads, a column per balance of the practice's plans, and an example row.");

        import.MapPost("/dry-run", async (HttpRequest request, IGrainFactory grains) =>
            {
                var (csv, fileName) = await ReadCsvAsync(request);
                return await Desk(grains).DryRunAsync(csv, fileName);
            })
            .WithMetadata(new RequestSizeLimitAttribute(MaxFileBytes))
            .WithSummary("Checks a member CSV (text/csv body, or a multipart form's file) row by row and writes nothing; confirm the answer's importId to import.");

        import.MapGet("/{id}", (string id, IGrainFactory grains) => Import(grains, id).GetReportAsync())
            .WithSummary("The import's last report: the dry run, or what confirming created.");

        import.MapPost("/{id}/confirm", (string id, IGrainFactory grains) => Import(grains, id).ConfirmAsync())
            .WithSummary("Creates the members the dry run said it would; confirming again creates nothing more.");

        return api;
    }

    /// <summary>The uploaded file as text: a CSV body, or the first file of a multipart form. Anything else is refused.</summary>
    public static async Task<(string Csv, string? FileName)> ReadCsvAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            var file = form.Files.Count > 0 ? form.Files[0] : throw Refused("Attach the CSV file to the form.");
            return (await ReadAsync(file.OpenReadStream()), Path.GetFileName(file.FileName));
        }

        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("text/csv" or "text/plain" or "application/csv" or "application/vnd.ms-excel"))
        {
            throw Refused("Send the file as text/csv (or as a multipart form upload). Save a spreadsheet as CSV first.");
        }

        return (await ReadAsync(request.Body), null);
    }

    private static async Task<string> ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            return await reader.ReadToEndAsync();
        }
        catch (DecoderFallbackException)
        {
            throw Refused("The file is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\".");
        }
    }

    private static CommandRejectedException Refused(string message) => new(RejectionKind.Invalid, "invalid_csv", message);

    private static IImportDeskGrain Desk(IGrainFactory grains) => grains.GetGrain<IImportDeskGrain>(IImportDeskGrain.Key);

    /// <summary>An import named by an id the dry run gave; anything else is no import at all.</summary>
    public static IImportGrain Import(IGrainFactory grains, string id) =>
        id.Length == 36 && id.StartsWith("imp_", StringComparison.Ordinal) && id[4..].All(char.IsAsciiHexDigitLower)
            ? grains.GetGrain<IImportGrain>(id)
            : throw new CommandRejectedException(RejectionKind.NotFound, "import_not_found", "There is no import with this id.");
}
