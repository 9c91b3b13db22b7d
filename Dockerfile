# reporting-ops with every program its steps run (src/main/java/.../shell/Program.java): the PostgreSQL client
# programs, duplicity with its Swift backend, GnuPG and util-linux's setpriv. DockerfileTest fails when a program
# the service runs is not installed by the final stage (the image), or is removed again (apt-get purge, dpkg -r).
#
#   mvn -DskipTests package            # builds target/reporting-ops.jar
#   docker build -t reporting-ops .    # or: docker-compose build
#
# Debian bookworm, like the machines the service runs on: its own packages give Java 17 and the PostgreSQL 15
# client programs (pg_dump must be of the databases' major version or newer), so the image needs no other
# repository. eclipse-temurin:17-jre is Ubuntu 24.04, whose only client is 16 (15 would need PGDG).
# Another major: build from a Debian release that has it (bookworm has only 15).
FROM debian:bookworm-slim

ARG PG_MAJOR=15

# --no-install-recommends keeps the image small, so what duplicity only suggests is named: python3-swiftclient
# for swift:// targets, python3-keystoneclient for Swift auth versions 2 and 3. gnupg gives gpg, gpg-agent and
# gpgconf. openssh-client is not run by the service (it speaks SSH through JSch): it is there for the operator's
# ssh-keygen and ssh-keyscan (the service's key and known_hosts files). The slim image has no man folders, and
# openjdk's postinst fails without man1 (update-alternatives links its man pages there).
RUN mkdir -p /usr/share/man/man1 \
	&& apt-get update \
	&& apt-get install -y --no-install-recommends \
		ca-certificates \
		duplicity \
		gnupg \
		openjdk-17-jre-headless \
		openssh-client \
		postgresql-client-${PG_MAJOR} \
		python3-keystoneclient \
		python3-swiftclient \
		tzdata \
		util-linux \
	&& rm -rf /var/lib/apt/lists/*

# The service runs as its own user; its data (OPS_DATA_DIR) is a volume that this user owns.
RUN groupadd --system reporting-ops \
	&& useradd --system --gid reporting-ops --home-dir /var/lib/reporting-ops --shell /usr/sbin/nologin reporting-ops \
	&& install -d -o reporting-ops -g reporting-ops -m 0750 /var/lib/reporting-ops \
	&& install -d -m 0755 /app

COPY target/reporting-ops.jar /app/reporting-ops.jar

USER reporting-ops
WORKDIR /app
ENV OPS_DATA_DIR=/var/lib/reporting-ops
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/reporting-ops.jar"]
