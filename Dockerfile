# syntax=docker/dockerfile:1
# Parley in one image: the API serves the built web app on the same origin (port 3000).
#   docker compose up --build        (see docker-compose.yml; JWT_SECRET is required)

# ---- base: Node 20 with pnpm 12.4.2 (package.json's packageManager) ---------------------------
# Installed with npm rather than `corepack enable`: the corepack bundled with some Node 20 builds
# cannot verify newer pnpm signatures; the version is the same either way.
FROM node:20-slim AS base
ENV CI=true
RUN npm i -g pnpm@12.4.2 && pnpm --version
WORKDIR /app

# ---- build: every dependency, then protocol + server + web -------------------------------------
FROM base AS build
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY packages/protocol/package.json packages/protocol/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile
COPY tsconfig.base.json ./
COPY packages/protocol packages/protocol
COPY apps/server apps/server
COPY apps/web apps/web
RUN pnpm build

# ---- prod-deps: only the server's runtime dependencies ------------------------------------------
FROM base AS prod-deps
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY packages/protocol/package.json packages/protocol/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile --prod --filter "@parley/server..."

# ---- runtime ------------------------------------------------------------------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/tmp/parley \
    WEB_DIST_DIR=/app/apps/web/dist \
    MONGODB_URI=mongodb://mongo:27017/parley
WORKDIR /app
COPY --from=prod-deps /app ./
# @parley/protocol resolves to its built dist/ at run time (no @parley/source condition here).
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/apps/server/dist apps/server/dist
COPY --from=build /app/apps/web/dist apps/web/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# JWT_SECRET must come from the environment: the server refuses to start in production without it.
CMD ["node", "apps/server/dist/main.js"]
