using System.Net;

namespace MedSpa.Web;

/// <summary>The plain shell around the few server-rendered pages.</summary>
internal static class Page
{
    public static string Render(string title, string body) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{WebUtility.HtmlEncode(title)}} · MedSpa</title>
          <link rel="stylesheet" href="/assets/site.css">
        </head>
        <body class="portal"><main>
        {{body}}
        </main></body>
        </html>
        """;
}
