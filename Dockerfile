# Atelier: one binary and its static site over one SQLite file.
#   docker build -t atelier .
#   docker run -p 3000:3000 -v atelier-data:/data --env-file .env atelier
# The database, backups, uploads and private files live in /data (a volume).

# --- build: the release server and the precompressed, hashed site -------------
FROM rust:1-bookworm AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The tools first (cached unless .ci/setup changes): wasm target, cargo-leptos,
# wasm-bindgen-cli, and binaryen's wasm-opt from end2end's npm packages.
COPY Cargo.toml Cargo.lock ./
COPY end2end/package.json end2end/package-lock.json end2end/
RUN rustup target add wasm32-unknown-unknown \
 && cargo install cargo-leptos --version 0.3.10 --locked --debug \
 && cargo install wasm-bindgen-cli --version "$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)" \
 && (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
COPY . .
ENV PATH="/src/end2end/node_modules/.bin:${PATH}"
RUN cargo leptos build --release --precompress

# --- run: a small image, an unprivileged user ------------------------------------
FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates curl >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /data --shell /usr/sbin/nologin atelier \
 && mkdir -p /data && chown atelier:atelier /data
WORKDIR /app
# The layout cargo-leptos builds (hash.txt next to the binary, the site beside it).
COPY --from=build /src/target/release/atelier /src/target/release/hash.txt /app/target/release/
COPY --from=build /src/target/site /app/target/site
COPY --from=build /src/Leptos.toml /app/Leptos.toml
ENV APP_ENV=production \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    DATABASE_PATH=/data/atelier.db \
    BACKUP_DIR=/data/backups \
    STORAGE_DIR=/data/storage \
    UPLOADS_DIR=/data/uploads \
    OUTBOX_DIR=/data/outbox
# Behind a reverse proxy, set TRUSTED_PROXIES to its address or network (for example the
# Docker network's 172.18.0.0/16): X-Forwarded-For is read only from those peers.
USER atelier
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3000/health || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/target/release/atelier"]
CMD ["serve"]
