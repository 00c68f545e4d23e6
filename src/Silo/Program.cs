using MedSpa.Silo.Database;
using MedSpa.Silo.Hosting;

// `migrate` brings the database schema up to date and exits; anything else runs the silo with the web app.
if (args is ["migrate", .. var rest])
{
    return await Schema.MigrateCommandAsync(rest);
}

await MedSpaHost.Build(args).RunAsync();
return 0;
