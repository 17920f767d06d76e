# chatd: the C++ daemon and its web UI in one image.
#   docker build --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse --short=12 HEAD) -t chatd:0.1.0 .
# The build stages run the same commands as the test command (scripts/build.sh release;
# cd web && npm ci && npm run build); scripts/test/deploy.sh runs them natively and checks that the
# runtime packages below cover every library the binary links.

# Base images are pinned to point releases; Debian 12.11 is what CI builds and tests on.
ARG DEBIAN_IMAGE=debian:12.11
ARG DEBIAN_SLIM_IMAGE=debian:12.11-slim
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM ${DEBIAN_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
# The package list lives in scripts/lib.sh; installing it in its own layer keeps it cached.
COPY scripts/lib.sh scripts/lib.sh
RUN source scripts/lib.sh \
    && need_packages "${CHATD_BUILD_PACKAGES[@]}" \
    && rm -rf /var/lib/apt/lists/*
COPY . .
# The build context has no .git: the revision for chatd_build_info comes in as an argument.
ARG REVISION=unknown
RUN CHATD_REVISION="${REVISION}" scripts/build.sh release \
    && install -D -m 0755 build/release/src/chatd /out/chatd \
    && strip --strip-debug /out/chatd

FROM ${DEBIAN_SLIM_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=""
LABEL org.opencontainers.image.title="chatd" \
      org.opencontainers.image.description="Self-hosted real-time chat for a blog" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="https://github.com/your-org/chatd"
# Only the shared libraries chatd links (their own dependencies come with them) and CA roots.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       ca-certificates \
       libfmt9 \
       libpq5 \
       libpqxx-6.4 \
       libspdlog1.10 \
       libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 chatd \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin chatd
COPY --from=build /out/chatd /usr/local/bin/chatd
COPY --from=web /src/web/dist /usr/share/chatd/web
ENV CHATD_WEB_ROOT=/usr/share/chatd/web \
    CHATD_LISTEN_ADDRESS=0.0.0.0 \
    CHATD_PORT=8080 \
    CHATD_METRICS_PORT=9090
# A fixed numeric UID so that Kubernetes' runAsNonRoot can verify it; nothing is written to the
# root filesystem, so it runs with --read-only / readOnlyRootFilesystem.
USER 10001:10001
EXPOSE 8080 9090
STOPSIGNAL SIGTERM
# bash's /dev/tcp instead of curl: one package less in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${CHATD_METRICS_PORT} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/local/bin/chatd"]
