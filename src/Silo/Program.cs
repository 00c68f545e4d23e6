using MedSpa.Silo.Database;
using MedSpa.Silo.Hosting;
using MedSpa.Silo.Import;

// `migrate` brings the database schema up to date and exits; `reports rebuild` throws the reporting projection away
// for the silos to fold again from the log; `import <file.csv> [--confirm]` moves members in through a running silo's API;
// anything else runs the silo with the web app.
switch (args)
{
    case ["migrate", .. var rest]:
        return await Schema.MigrateCommandAsync(rest);
    case ["reports", "rebuild", .. var rest]:
        return await Schema.RebuildReportsCommandAsync(rest);
    case ["import", .. var rest]:
        return await ImportCommand.RunAsync(rest, Console.Out, Console.Error);
}

await MedSpaHost.Build(args).RunAsync();
return 0;
