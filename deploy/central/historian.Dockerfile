# The EdgeOps historian (MQTT -> InfluxDB). Build from the repository root:
#   docker build -f deploy/central/historian.Dockerfile -t edgeops-historian .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/EdgeOps.Historian -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app .
RUN useradd --system --home-dir /var/lib/edgeops-historian edgeops \
    && mkdir -p /var/lib/edgeops-historian && chown edgeops /var/lib/edgeops-historian
USER edgeops
VOLUME /var/lib/edgeops-historian
ENTRYPOINT ["dotnet", "edgeops-historian.dll"]
