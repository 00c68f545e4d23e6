using MedSpa.Silo.Database;
using MedSpa.Silo.Hosting;

// `migrate` brings the database schema up to date and exits; `reports rebuild` throws the reporting projection away
// for the silos to fold again from the log; anything else runs the silo with the web app.
switch (args)
{
    case ["migrate", .. var rest]:
        return await Schema.MigrateCommandAsync(rest);
    case ["reports", "rebuild", .. var rest]:
        return await Schema.RebuildReportsCommandAsync(rest);
}

await MedSpaHost.Build(args).RunAsync();
return 0;
