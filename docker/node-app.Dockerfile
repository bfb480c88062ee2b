# Builds one Node app of the workspace (ingester or gateway-simulator) and runs its bundle.
#   docker build -f docker/node-app.Dockerfile --build-arg APP=ingester -t seamless-ops/ingester .
FROM node:20.20-bookworm-slim AS build
ARG APP
WORKDIR /src
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx build "$APP" --output-style=static

FROM node:20.20-bookworm-slim
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/apps/${APP} ./dist/apps/${APP}
USER node
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/$APP/main.js"]
