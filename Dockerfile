# One image for every process of the stack; the command picks it (scripts/process.mjs):
#   docker build -t rcsc .
#   docker run --env-file .env -p 4000:4000 rcsc gateway
#   docker run --env-file .env rcsc people        (organizations, grassroots, people, training, reporting)
#   docker run --env-file .env rcsc seed --scale default
# See docs/deployment.md and compose.yaml.

# --- build: the whole workspace, compiled (codegen, TypeScript, the composed supergraph) ---
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --output-logs=errors-only \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled output and production dependencies only, as an unprivileged user ---
FROM node:20.19-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 4000 4001 4002 4003 4004 4005
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "scripts/process.mjs"]
CMD ["gateway"]
