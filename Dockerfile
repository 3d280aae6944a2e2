# syntax=docker/dockerfile:1
# Banter in a container: bin/banter is the entrypoint, so every command works as
#   docker run banter:local server | node ... | admin ... | replica status ... | journal ...
# Build: docker build -t banter:local .
# Not built or run on the development machine (no container runtime there); see README.

# ---- build: every module, tests skipped (run them with mvn -B verify before building) ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /opt/banter
COPY . .
# The dependencies go to /opt/m2 (not /root/.m2) so the runtime's non-root user can read them.
RUN mvn -B -ntp -q -Dmaven.repo.local=/opt/m2 -DskipTests install
# bin/banter runs replica's jar with the classpath Maven wrote (absolute paths into /opt/banter
# and /opt/m2) and checks that the benchmarks jar is there: copy exactly those, at the same paths.
RUN mkdir -p /opt/runtime \
    && tr ':' '\n' < replica/target/classpath.txt | xargs -I{} cp --parents {} /opt/runtime \
    && mkdir -p /opt/runtime/opt/banter \
    && cp --parents pom.xml bin/banter bin/help/*.txt replica/target/classpath.txt \
        replica/target/banter-replica-0.1.0-SNAPSHOT.jar perf/target/banter-benchmarks.jar /opt/runtime/opt/banter/

# ---- run: a full JDK, since Chronicle Map compiles classes at run time (jdk.compiler) ----
FROM eclipse-temurin:17-jdk
RUN useradd --system --user-group --home-dir /var/lib/banter --shell /usr/sbin/nologin banter \
    && mkdir -p /var/lib/banter/data \
    && chown -R banter:banter /var/lib/banter
COPY --from=build /opt/runtime/ /
USER banter
# The defaults of every command (data, data/server.secret) resolve here.
WORKDIR /var/lib/banter
VOLUME ["/var/lib/banter/data"]
# The gateway's TCP port, and member 0's UDP ports (ingress, consensus, log, catch-up, archive);
# member i uses 20000 + 100 i + 1..5.
EXPOSE 7070/tcp 20001-20005/udp
ENTRYPOINT ["/opt/banter/bin/banter"]
# Inside a container the gateway must listen on every interface to be reachable.
CMD ["server", "--gateway-host", "0.0.0.0"]
