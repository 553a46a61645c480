# syntax=docker/dockerfile:1
# Images for the fleet: multi-stage build, JRE only at run time, non-root user.
#   docker build -t imagefleet-worker .                      (the default: the last stage, "worker")
#   docker build -t imagefleet-simulator --target simulator .
# The worker image holds only the worker's runtime classpath: no broker, no simulator (invariant 7).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module's POM first: the reactor needs them all, and they change less often than sources.
COPY pom.xml .
COPY contracts/pom.xml contracts/pom.xml
COPY sandbox/pom.xml sandbox/pom.xml
COPY worker/pom.xml worker/pom.xml
COPY bench/pom.xml bench/pom.xml
COPY cli/pom.xml cli/pom.xml
COPY contracts/src contracts/src
COPY sandbox/src sandbox/src
COPY worker/src worker/src
# One reactor build, so copy-dependencies resolves the sibling modules (contracts) from the reactor.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl worker,sandbox -am package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/worker /out/simulator \
 && cp worker/target/dependency/*.jar /out/worker/ \
 && cp worker/target/imagefleet-worker-*.jar /out/worker/ \
 && cp sandbox/target/dependency/*.jar /out/simulator/ \
 && cp sandbox/target/imagefleet-sandbox-*.jar /out/simulator/ \
 && rm -f /out/worker/*-sources.jar /out/worker/*-tests.jar

FROM eclipse-temurin:17-jre AS simulator
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin imagefleet
WORKDIR /app
COPY --from=build /out/simulator /app/lib
USER 10001
EXPOSE 8080
# --ignore-stdin: a container has no stdin to close; run until SIGTERM.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*", "io.imagefleet.sandbox.SandboxMain", "--simulator", "--ignore-stdin"]
CMD ["--simulator-host", "0.0.0.0", "--simulator-port", "8080"]

FROM eclipse-temurin:17-jre AS worker
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin imagefleet \
 && mkdir -p /data/images && chown -R 10001 /data
WORKDIR /app
COPY --from=build /out/worker /app/lib
USER 10001
# The ops endpoint listens on loopback unless told otherwise; in a container that would hide it from
# the orchestrator's probes and from Prometheus, which come to the container's own address.
ENV IMAGEFLEET_STORAGE_DIRECTORY=/data/images \
    IMAGEFLEET_OPS_PORT=9400 \
    IMAGEFLEET_OPS_BIND=0.0.0.0
VOLUME ["/data"]
# The ops endpoint: /metrics (Prometheus), /health/live, /health/ready, /status.
EXPOSE 9400
# Ready = broker reachable and spending not stopped. Plain bash, no curl needed in the JRE image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9400 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# SIGTERM drains: intake stops, in-flight jobs get intake.shutdown-grace, offsets are committed.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*", "io.imagefleet.worker.cli.WorkerCommand"]
