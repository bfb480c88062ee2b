# The operators' dashboard as static files behind nginx, which also forwards /api to the ingester (same origin,
# so the session cookie stays SameSite=Strict).
#   docker build -f docker/dashboard.Dockerfile -t seamless-ops/dashboard .
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx build dashboard --output-style=static

FROM nginx:1.27.3-alpine
COPY docker/dashboard.nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/dist/apps/dashboard /usr/share/nginx/html
