# syntax=docker/dockerfile:1
# One image for the API, the worker and `gatehouse migrate`: `api`, `worker` or `migrate` picks
# the process (scripts/container-entry.sh); docker-compose.yml runs all three from it.
# Node 26, the current LTS line: Active LTS since 2026-10-28 (Node 24 moved to Maintenance on
# 2026-10-20), maintained until April 2029. Debian 13 (trixie), the default of Node 26's images
# and Debian's stable release (bookworm, Debian 12, left regular security support in June 2026).
# test/ops/node-lts.test.ts runs the app on exactly this Node; package.json's engines keep Node
# 20.19+ working for development.
ARG NODE_IMAGE=node:26.12.1-trixie-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Install with no install scripts, then run exactly the approved ones (read from allowScripts):
# the same on every npm, whether or not it knows package.json's `allowScripts`.
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild $(node -p "Object.entries(require('./package.json').allowScripts).filter(([, ok]) => ok).map(([name]) => name).join(' ')")
COPY . .
# The designer is served by the API from designer/dist; the workflow bundle (dist/workflows) is
# what a worker loads instead of bundling at every start (README, "What the proof found"); then
# drop the build tools (vite, jest…). tsx stays: it is a runtime dependency (the processes run
# TypeScript through its loader).
RUN npm run designer:build \
  && npm run workflows:bundle \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Root-owned and read-only for the app; ./data is writable for an SQLite DATABASE_URL only.
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
ENTRYPOINT ["sh", "/app/scripts/container-entry.sh"]
CMD ["api"]
