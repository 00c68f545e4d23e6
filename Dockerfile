# syntax=docker/dockerfile:1
# Build:  docker build -t medspa .        Run: docker compose up
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# The web project restores its browser libraries with npm (package-lock.json) during the build.
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
# .editorconfig carries analyzer severities; without it TreatWarningsAsErrors
# fails the build. global.jso[n]: the wildcard makes that file optional.
COPY Directory.Build.props Directory.Packages.props .editorconfig global.jso[n] MedSpa.sln ./
COPY src/ src/
COPY db/ db/
# The cache mount keeps NuGet packages between builds (BuildKit).
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Silo/Silo.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Urls replaces the image's default ASPNETCORE_HTTP_PORTS; bind all interfaces
# so the published port works.
ENV Urls=http://0.0.0.0:8080
EXPOSE 8080
# The image's non-root user; the silo needs no write access to /app.
USER $APP_UID
ENTRYPOINT ["dotnet", "MedSpa.Silo.dll"]
