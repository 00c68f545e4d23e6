// The Stripe emulator arrives with automated billing; until then it serves nothing.
var app = WebApplication.CreateBuilder(args).Build();
await app.RunAsync();
