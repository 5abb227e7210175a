# syntax=docker/dockerfile:1
# Built on the current Node LTS (26); the code itself also runs on Node 20.19+. The base image is
# pinned to an exact release and Debian version, stated once for both stages; a rebuild months later
# gets the same Node. To pin the very bytes too, add the digest the registry gives for this tag
# (`docker buildx imagetools inspect node:26.10.0-bookworm-slim`, or the RepoDigests of a pulled
# image): NODE_IMAGE=node:26.10.0-bookworm-slim@sha256:<digest>. Raise it on purpose, with a rebuild
# and `node .ci/docker-replay.mjs`.
ARG NODE_IMAGE=node:26.10.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
# src/ and migrations/ before `npm ci`: its postinstall (src/cli/pglite-template.mjs) prepares the
# initialised, migrated, empty embedded database in node_modules/.cache/kpo, which the runtime stage
# copies with node_modules, so a first start on an empty volume unpacks it instead of running initdb.
COPY src ./src
COPY migrations ./migrations
# npm 11 runs this project's own postinstall (it asks approval only for dependencies' scripts), but the
# script runs once more explicitly, doing nothing when the file is there, so a build with
# ignore-scripts or a stricter script policy still has the template; `ls` fails the build without it.
RUN npm ci --omit=dev --no-audit --no-fund \
 && node src/cli/pglite-template.mjs \
 && ls node_modules/.cache/kpo/pglite-*.tar.gz
# The bundle (`npm run build`): esbuild is a production dependency, so this stage has it. Its JS API
# needs no install script.
RUN node src/cli/build.mjs

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist ./dist
# package.json marks the project root the service finds migrations/ from; src/ and tsconfig.json
# stay for the command-line tools (`npm run keys`, `npm run seed:demo` run under tsx).
COPY package.json tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
COPY openapi ./openapi
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The bundle under plain node, as `npm start` runs it (≈110-125 MB idle instead of ≈190 MB under tsx);
# source maps make stack traces name the .ts files. Exec form: SIGTERM reaches node for a graceful stop.
CMD ["node", "--enable-source-maps", "--max-old-space-size=384", "dist/server.mjs"]
