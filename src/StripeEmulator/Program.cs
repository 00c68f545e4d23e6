using MedSpa.StripeEmulator;

// Standalone: dotnet run --project src/StripeEmulator -- --urls http://127.0.0.1:12111
var app = StripeEmulatorHost.Build(args);
await app.RunAsync();
