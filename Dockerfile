# Images for the fleet: multi-stage build, JRE only at run time, non-root user.
#   docker build -t imagefleet-worker .                      (the default, last stage)
#   docker build -t imagefleet-simulator --target simulator .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY contracts contracts
COPY sandbox sandbox
COPY worker worker
COPY cli cli
RUN mvn -B -q -DskipTests -pl worker,sandbox -am package \
 && mvn -B -q -pl worker dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/worker \
 && mvn -B -q -pl sandbox dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/simulator \
 && cp worker/target/imagefleet-worker-*.jar /out/worker/ \
 && cp sandbox/target/imagefleet-sandbox-*.jar /out/simulator/

FROM eclipse-temurin:17-jre AS simulator
RUN useradd --system --uid 10001 --home-dir /app imagefleet
WORKDIR /app
COPY --from=build /out/simulator /app/lib
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.imagefleet.sandbox.SandboxMain", "--simulator"]

FROM eclipse-temurin:17-jre AS worker
RUN useradd --system --uid 10001 --home-dir /app imagefleet && mkdir -p /data/images && chown 10001 /data/images
WORKDIR /app
COPY --from=build /out/worker /app/lib
USER 10001
ENV IMAGEFLEET_STORAGE_DIRECTORY=/data/images
VOLUME ["/data"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*", "io.imagefleet.worker.cli.WorkerCommand"]
