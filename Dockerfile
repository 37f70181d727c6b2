# The Paxos-compatible emulator as a container, for test suites in any
# language:
#
#   docker build -t paxos-emulator .
#   docker run --rm -p 4010:4010 paxos-emulator
#   docker run --rm -p 4010:4010 -v "$PWD/fixtures:/seed:ro" paxos-emulator \
#     --seed-manifest /seed/institution-brokerage.yaml --ready-json
#
# Every `paxos-onboard emulator` flag works after the image name. It listens
# on 0.0.0.0 inside the container; `POST /_emulator/reset` from the host
# arrives from the bridge, not loopback, so it needs a bearer token the
# emulator issued.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The build needs the sources, so `prepare` (which builds) waits until they are here.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
COPY fixtures ./fixtures
# Seeding writes its journal under the working folder: the unprivileged user owns it.
RUN chown node:node /app
USER node
EXPOSE 4010
ENTRYPOINT ["node", "dist/cli/bin.js", "emulator", "--host", "0.0.0.0"]
