# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies, ship only production dependencies and dist/.
# In production set DATABASE_URL (the embedded Postgres is for local use), STRIPE_SECRET_KEY,
# STRIPE_WEBHOOK_SECRET, SMTP_URL, MAIL_FROM, OWNER_EMAIL, API_TOKEN and PUBLIC_URL.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY bench ./bench
COPY config ./config
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim AS runtime
# HOST=0.0.0.0: inside the container every interface (the port mapping decides who can reach it).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 PAYRISK_HOME=/app/data
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/config ./config
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/cli.js", "start"]
