#!/usr/bin/env node
// Replays the Dockerfile's stages without Docker (this machine and CI have no engine), to show that
// the image would build and start: every instruction is read from the Dockerfile and carried out
// literally, for the subset this Dockerfile uses. Each stage is a fresh temporary directory standing
// for its filesystem root (/app is <root>/app); COPY takes files from the build context through the
// .dockerignore rules or from an earlier stage; RUN runs with bash in the stage's WORKDIR, with paths
// under the stage's top-level directories rewritten into its root; at the end the runtime stage's CMD
// starts with the stage's ENV (DATA_DIR inside the temporary root, a free PORT), and the replay waits
// for /health/ready, runs the HEALTHCHECK, fetches /openapi.json and /docs, checks that the first
// start unpacked the prepared embedded database instead of running initdb, and stops it with SIGTERM.
//
// What it cannot show: the base image is not pulled (RUN and CMD use this machine's node, npm and
// bash, whatever their versions), there are no layers or image, USER is not switched and ownership
// is not checked, HEALTHCHECK's interval and retries are not scheduled. Anything outside the subset
// (ADD, ENTRYPOINT, SHELL, VOLUME, wildcards in COPY, …) fails the replay rather than being guessed.
//
//   node .ci/docker-replay.mjs [--keep] [--build-arg NAME=VALUE]…
// Last line: "docker replay: ok" (exit 0) or "docker replay: FAILED at <step>: <reason>" (exit 1).
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync,
  readlinkSync, rmSync, statSync, symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const context = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const keep = argv.includes('--keep');
const buildArgs = {};
for (let i = 0; i < argv.length; i += 1) {
  if (argv[i] === '--build-arg') {
    const [k, ...v] = argv[(i += 1)].split('=');
    buildArgs[k] = v.join('=');
  }
}

const work = mkdtempSync(join(tmpdir(), 'kpo-docker-replay-'));
const t0Replay = Date.now();
const say = (line) => process.stdout.write(`docker replay: ${((Date.now() - t0Replay) / 1000).toFixed(1).padStart(5)} s  ${line}\n`);
let currentStep = 'setup';
class ReplayError extends Error {}
const fail = (reason) => {
  throw new ReplayError(reason);
};
const check = (condition, reason) => {
  if (!condition) fail(reason);
};
let server; // the CMD's child process, stopped on any failure

// --- the Dockerfile --------------------------------------------------------------------------------

/** Instructions with their line numbers: continuations joined, comments and directives dropped. */
function parseDockerfile(text) {
  const out = [];
  let buffer = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line)) return; // a comment, also inside a continuation (as Docker reads it)
    if (!buffer && !line.trim()) return;
    if (!buffer) startLine = index + 1;
    if (/\\\s*$/.test(line)) {
      buffer += `${line.replace(/\\\s*$/, '')} `;
      return;
    }
    buffer += line;
    const match = /^\s*(\S+)\s*(.*)$/s.exec(buffer);
    out.push({ line: startLine, keyword: match[1].toUpperCase(), args: match[2].trim() });
    buffer = '';
  });
  if (buffer.trim()) fail('the Dockerfile ends inside a line continuation');
  return out;
}

/** ${NAME}, ${NAME:-default} and $NAME, as Docker expands them in FROM, ENV, COPY, WORKDIR, … */
function expand(value, vars) {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a, def, b) => {
    const name = a ?? b;
    const v = vars[name];
    return v !== undefined && v !== '' ? v : (def ?? '');
  });
}

/** Words of an instruction: the JSON (exec) form or whitespace-separated with simple quotes. */
function words(args) {
  if (args.startsWith('[')) return { json: true, list: JSON.parse(args) };
  const list = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(args))) list.push(m[1] ?? m[2] ?? m[3]);
  return { json: false, list };
}

/** ENV a=b c="d e" (and the old ENV a b). */
function parseEnv(args, vars) {
  const pairs = {};
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [name, ...rest] = args.split(/\s+/);
    pairs[name] = expand(rest.join(' '), vars);
    return pairs;
  }
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  let m;
  while ((m = re.exec(args))) {
    let v = m[2];
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (v.startsWith("'")) v = v.slice(1, -1);
    pairs[m[1]] = expand(v, { ...vars, ...pairs });
  }
  return pairs;
}

/** Options before the command: HEALTHCHECK --interval=10s … CMD …, COPY --from=x … */
function takeFlags(list) {
  const flags = {};
  while (list.length && list[0].startsWith('--')) {
    const [k, ...v] = list.shift().slice(2).split('=');
    flags[k] = v.join('=');
  }
  return flags;
}

const seconds = (duration, fallback) => {
  if (!duration) return fallback;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(duration);
  check(m, `cannot read the duration ${duration}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
};

// --- .dockerignore (Docker's rules: patterns anchored at the context root, Go filepath.Match
// syntax plus **, a pattern matching a directory excludes what is under it, ! re-includes, the last
// matching line wins) --------------------------------------------------------------------------------

function loadIgnore() {
  const file = join(context, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize(l.slice(negate ? 1 : 0).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
      let re = '';
      for (let i = 0; i < pattern.length; i += 1) {
        const c = pattern[i];
        if (c === '*' && pattern[i + 1] === '*') {
          i += 1;
          if (pattern[i + 1] === '/') {
            i += 1;
            re += '(?:.*/)?';
          } else re += '.*';
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else if (c === '[') {
          const end = pattern.indexOf(']', i);
          re += pattern.slice(i, end + 1).replace('[!', '[^');
          i = end;
        } else if (c === '\\') re += `\\${pattern[(i += 1)]}`;
        else re += c.replace(/[.+^${}()|]/g, '\\$&');
      }
      return { negate, pattern: l, re: new RegExp(`^${re}$`) };
    });
}
const ignoreRules = loadIgnore();

/** Whether a context-relative path (posix) is left out of the build context. */
function ignored(rel) {
  const parts = rel.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let out = false;
  for (const rule of ignoreRules) if (prefixes.some((p) => rule.re.test(p))) out = !rule.negate;
  return out;
}
/** A directory that is ignored may still hold a re-included path (a ! rule under it). */
const mayReinclude = (relDir) => ignoreRules.some((r) => r.negate && r.pattern.slice(1).replace(/^\/+/, '').startsWith(`${relDir}/`));

/** Walks the context below rel, calling visit(rel, stat) for each file or link the build would send. */
function walkContext(rel, visit) {
  const abs = join(context, rel);
  const st = lstatSync(abs);
  if (!st.isDirectory()) {
    if (!ignored(rel)) visit(rel, st);
    return;
  }
  if (rel && ignored(rel) && !mayReinclude(rel)) return;
  if (rel && !ignored(rel)) visit(rel, st);
  for (const entry of readdirSync(abs).sort()) walkContext(rel ? `${rel}/${entry}` : entry, visit);
}

// --- the stages ------------------------------------------------------------------------------------

const stages = [];
let stage;
const globalArgs = {};
const copiedFromContext = [];

/** An absolute path of the image in a stage's root directory. */
const inRoot = (s, p) => join(s.root, posix.resolve(s.workdir, p));

/** Rewrites absolute paths under the stage's own top-level directories (/app/…) into its root. */
function rewritePaths(s, text) {
  let out = text;
  const tops = existsSync(s.root) ? readdirSync(s.root) : [];
  for (const top of tops) {
    const re = new RegExp(`(^|[\\s='":(,])/${top.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[/\\s'":;),&|])`, 'g');
    out = out.replace(re, `$1${s.root}/${top}`);
  }
  return out;
}

/** The environment a RUN, the CMD or the HEALTHCHECK sees: this machine's PATH and HOME, the stage's ENV. */
function stageEnv(s, extra = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? s.root };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_EXTRA_CA_CERTS']) {
    if (process.env[k]) env[k] = process.env[k];
  }
  for (const [k, v] of Object.entries({ ...s.env, ...extra })) env[k] = rewritePaths(s, v);
  return env;
}

const userExists = (user) => spawnSync('id', ['-u', user], { stdio: 'ignore' }).status === 0;

function copy(s, args) {
  const list = words(args).list.map((w) => expand(w, { ...s.args, ...s.env }));
  const flags = takeFlags(list);
  check(list.length >= 2, 'COPY needs a source and a destination');
  const dest = list.pop();
  const toDir = dest.endsWith('/') || list.length > 1;
  const destAbs = inRoot(s, dest);
  for (const src of list) {
    check(!/[*?[]/.test(src), `wildcards in COPY sources are outside this replay's subset (${src})`);
    if (flags.from !== undefined) {
      const from = stages.find((x) => x.name === flags.from || String(x.index) === flags.from);
      check(from, `COPY --from=${flags.from}: no such stage before this one`);
      const srcAbs = join(from.root, posix.resolve('/', src));
      check(existsSync(srcAbs), `COPY --from=${flags.from} ${src}: not in that stage`);
      const target = statSync(srcAbs).isDirectory() || !(toDir || (existsSync(destAbs) && statSync(destAbs).isDirectory()))
        ? destAbs
        : join(destAbs, posix.basename(src));
      mkdirSync(dirname(target), { recursive: true });
      // cp -al: the same tree with links, modes and times, its files hard-linked (an earlier stage is
      // never changed again, and node_modules is tens of thousands of files); cp -a, then fs.cpSync,
      // where links cannot be made.
      if (statSync(srcAbs).isDirectory()) mkdirSync(target, { recursive: true });
      const source = statSync(srcAbs).isDirectory() ? `${srcAbs}/.` : srcAbs;
      const cp = (flags) => spawnSync('cp', [flags, source, target], { stdio: 'ignore' }).status === 0;
      if (!cp('-al') && !cp('-a')) cpSync(srcAbs, target, { recursive: true, verbatimSymlinks: true });
      continue;
    }
    const rel = posix.normalize(src).replace(/^(\.\/)+|^\/+/, '').replace(/\/+$/, '');
    check(!rel.startsWith('..'), `COPY ${src}: outside the build context`);
    const srcAbs = join(context, rel === '.' ? '' : rel);
    check(existsSync(srcAbs) && (rel === '.' || !ignored(rel)), `COPY ${src}: not in the build context${existsSync(srcAbs) ? ' (.dockerignore excludes it)' : ''}`);
    if (lstatSync(srcAbs).isDirectory()) {
      // A directory's contents go into the destination, the directory itself does not.
      walkContext(rel === '.' ? '' : rel, (fileRel, st) => {
        const inner = rel === '.' ? fileRel : relative(rel, fileRel);
        if (!inner) return;
        const target = join(destAbs, inner);
        copyEntry(join(context, fileRel), target, st);
        if (!st.isDirectory()) copiedFromContext.push(fileRel);
      });
    } else {
      const target = toDir || (existsSync(destAbs) && statSync(destAbs).isDirectory()) ? join(destAbs, posix.basename(rel)) : destAbs;
      copyEntry(srcAbs, target, lstatSync(srcAbs));
      copiedFromContext.push(rel);
    }
  }
  return flags.from !== undefined ? `from stage ${flags.from}` : 'from the build context';
}

function copyEntry(srcAbs, target, st) {
  mkdirSync(dirname(target), { recursive: true });
  if (st.isDirectory()) mkdirSync(target, { recursive: true });
  else if (st.isSymbolicLink()) symlinkSync(readlinkSync(srcAbs), target);
  else copyFileSync(srcAbs, target);
}

function run(s, args) {
  const { json, list } = words(args);
  let command = json ? list.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ') : args;
  // chown to a user this machine does not have (node: the base image's user) cannot run here.
  const notes = [];
  if (!json) {
    command = command
      .split(/\s*&&\s*/)
      .filter((part) => {
        const m = /^chown\s+(?:-\S+\s+)*([^\s:]+)(?::\S+)?\s/.exec(part);
        if (m && !userExists(m[1])) {
          notes.push(`skipped "${part}": this machine has no user ${m[1]}`);
          return false;
        }
        return true;
      })
      .join(' && ');
  }
  for (const note of notes) say(`    ${note}`);
  if (!command.trim()) return 'nothing left to run';
  const cwd = inRoot(s, '.');
  mkdirSync(cwd, { recursive: true });
  const rewritten = rewritePaths(s, command);
  const result = spawnSync('bash', ['-c', rewritten], { cwd, env: stageEnv(s), stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  const output = `${result.stdout}${result.stderr}`.trimEnd();
  if (output) for (const line of output.split('\n').slice(-15)) say(`    | ${line}`);
  check(result.status === 0, `RUN exited ${result.status ?? result.signal}`);
  return 'exit 0';
}

// --- pinned images ---------------------------------------------------------------------------------

/**
 * An exact release or a digest: a tag with major.minor.patch (node:26.10.0-bookworm-slim,
 * redis:7.4.1-bookworm), or major.minor for PostgreSQL, whose releases have two numbers since 10
 * (postgres:15.10-bookworm). latest, 26, 26-slim or 7 float.
 */
function pinned(ref) {
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return true;
  const m = /^(?:.*\/)?([^/:@]+):([^/:@]+)$/.exec(ref);
  if (!m) return false;
  return (m[1] === 'postgres' ? /^\d+\.\d+(?:[-.]|$)/ : /^v?\d+\.\d+\.\d+(?:[-.]|$)/).test(m[2]);
}

// --- the server ------------------------------------------------------------------------------------

async function freePort() {
  return new Promise((ok, ko) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', ko);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The system identifier pg_control begins with (uint64): initdb makes a new one every time. */
function systemIdentifierInTarball(file) {
  const tar = gunzipSync(readFileSync(file));
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString('latin1').replace(/\0.*$/s, '');
    const name = [str(345, 500), str(0, 100)].filter(Boolean).join('/');
    const size = parseInt(str(124, 136).trim() || '0', 8);
    if (/(^|\/)global\/pg_control$/.test(name)) return tar.subarray(offset + 512, offset + 520).toString('hex');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

// --- the replay ------------------------------------------------------------------------------------

async function main() {
  say(`build context ${context}, stages under ${work}`);
  currentStep = '.dockerignore';
  for (const name of ['node_modules', 'data', '.git', '.env', 'dist']) check(ignored(name), `.dockerignore does not exclude ${name}`);
  let files = 0;
  let bytes = 0;
  walkContext('', (_, st) => {
    if (!st.isDirectory()) {
      files += 1;
      bytes += st.size;
    }
  });
  say(`.dockerignore: ${ignoreRules.length} rules; the context is ${files} files, ${(bytes / 1e6).toFixed(1)} MB (node_modules, data, .git, .env, dist excluded)`);

  const dockerfile = readFileSync(join(context, 'Dockerfile'), 'utf8');
  const instructions = parseDockerfile(dockerfile);
  const total = instructions.length;
  let index = 0;
  for (const ins of instructions) {
    index += 1;
    currentStep = `Dockerfile:${ins.line} ${ins.keyword} ${ins.args.replace(/\s+/g, ' ').slice(0, 80)}`;
    const where = stage ? `[${stage.name} ${index}/${total}]` : `[${index}/${total}]`;
    let detail = '';
    switch (ins.keyword) {
      case 'ARG': {
        const [name, ...def] = ins.args.split('=');
        const value = buildArgs[name] ?? (def.length ? def.join('=') : undefined);
        if (stage) stage.args[name] = value ?? globalArgs[name];
        else globalArgs[name] = value;
        detail = `${name}=${value ?? '(unset)'}`;
        break;
      }
      case 'FROM': {
        const list = words(ins.args).list;
        takeFlags(list);
        const image = expand(list[0], globalArgs);
        const name = list[1]?.toUpperCase() === 'AS' ? list[2] : String(stages.length);
        check(pinned(image), `base image ${image} is not pinned to an exact release or digest`);
        const root = join(work, `${stages.length}-${name}`);
        mkdirSync(root);
        stage = { index: stages.length, name, image, root, workdir: '/', env: {}, args: {}, user: 'root', exposed: [], healthcheck: undefined, cmd: undefined };
        stages.push(stage);
        detail = `${image} (not pulled: an empty root ${root}; commands use this machine's node ${process.version})`;
        break;
      }
      case 'WORKDIR':
        check(stage, 'WORKDIR before FROM');
        stage.workdir = posix.resolve(stage.workdir, expand(ins.args, { ...stage.args, ...stage.env }));
        mkdirSync(inRoot(stage, '.'), { recursive: true });
        detail = `→ ${inRoot(stage, '.')}`;
        break;
      case 'ENV':
        check(stage, 'ENV before FROM');
        Object.assign(stage.env, parseEnv(ins.args, { ...stage.args, ...stage.env }));
        detail = Object.entries(stage.env).map(([k, v]) => `${k}=${v}`).join(' ');
        break;
      case 'COPY': {
        check(stage, 'COPY before FROM');
        const before = copiedFromContext.length;
        detail = copy(stage, ins.args);
        if (copiedFromContext.length > before) detail += ` (${copiedFromContext.length - before} files)`;
        break;
      }
      case 'RUN':
        check(stage, 'RUN before FROM');
        say(`${where} RUN ${ins.args.replace(/\s+/g, ' ')}`);
        {
          const started = Date.now();
          detail = `${run(stage, ins.args)} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
        }
        say(`${where}   ${detail}`);
        continue;
      case 'USER':
        check(stage, 'USER before FROM');
        stage.user = expand(ins.args, { ...stage.args, ...stage.env });
        detail = `noted, not switched: the replay runs as uid ${process.getuid?.()}${userExists(stage.user) ? '' : ` (no user ${stage.user} here)`}`;
        break;
      case 'EXPOSE':
        check(stage, 'EXPOSE before FROM');
        stage.exposed.push(...ins.args.split(/\s+/));
        detail = 'noted; the replay listens on a free port through PORT';
        break;
      case 'HEALTHCHECK': {
        check(stage, 'HEALTHCHECK before FROM');
        const m = /^((?:--\S+\s+)*)CMD\s+(.*)$/is.exec(ins.args);
        check(m, 'HEALTHCHECK without CMD is outside the subset');
        const flags = takeFlags(m[1].trim() ? m[1].trim().split(/\s+/) : []);
        stage.healthcheck = { flags, command: m[2].trim() };
        detail = 'noted; run once the server is ready';
        break;
      }
      case 'CMD':
        check(stage, 'CMD before FROM');
        stage.cmd = words(ins.args);
        detail = 'noted; run at the end';
        break;
      case 'LABEL':
        detail = 'noted';
        break;
      default:
        fail(`${ins.keyword} is outside this replay's subset`);
    }
    say(`${where} ${ins.keyword} ${ins.args.replace(/\s+/g, ' ').slice(0, 100)}${detail ? ` — ${detail}` : ''}`);
  }

  currentStep = 'compose images';
  const compose = join(context, 'docker-compose.yml');
  if (existsSync(compose)) {
    const images = [...readFileSync(compose, 'utf8').matchAll(/^\s*image:\s*["']?([^\s"'#]+)/gm)].map((m) => m[1]);
    for (const image of images) check(pinned(image), `docker-compose.yml: ${image} is not pinned to an exact release or digest`);
    say(`docker-compose.yml images pinned: ${images.join(', ') || '(none)'}`);
  }

  currentStep = 'build context: nothing excluded was copied';
  const leaked = copiedFromContext.filter((p) => ignored(p));
  check(leaked.length === 0, `copied although .dockerignore excludes them: ${leaked.slice(0, 5).join(', ')}`);
  say(`${copiedFromContext.length} files came from the build context, none of them excluded by .dockerignore`);

  const runtime = stage;
  check(runtime?.cmd, 'the last stage has no CMD');
  const app = inRoot(runtime, '.');

  currentStep = 'prepared embedded database in the runtime stage';
  const cacheDir = join(app, 'node_modules', '.cache', 'kpo');
  const tarballs = existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => /^pglite-.*\.tar\.gz$/.test(f)) : [];
  check(tarballs.length > 0, `no node_modules/.cache/kpo/pglite-*.tar.gz in the runtime stage: npm ci's postinstall (src/cli/pglite-template.mjs) did not prepare the embedded database`);
  const templateId = systemIdentifierInTarball(join(cacheDir, tarballs[0]));
  check(templateId, `${tarballs[0]} holds no global/pg_control`);
  say(`runtime stage has node_modules/.cache/kpo/${tarballs[0]} (${(statSync(join(cacheDir, tarballs[0])).size / 1e6).toFixed(1)} MB, system identifier ${templateId})`);

  currentStep = 'CMD: start';
  const port = await freePort();
  const env = stageEnv(runtime, { PORT: String(port) });
  const dataDir = env.DATA_DIR;
  check(dataDir && dataDir.startsWith(runtime.root), `DATA_DIR ${runtime.env.DATA_DIR} does not lie in the image's filesystem`);
  check(!existsSync(dataDir) || readdirSync(dataDir).length === 0, `${runtime.env.DATA_DIR} is not empty in the image`);
  const [file, ...cmdArgs] = runtime.cmd.json ? runtime.cmd.list : ['bash', '-c', rewritePaths(runtime, runtime.cmd.list.join(' '))];
  say(`CMD ${JSON.stringify(runtime.cmd.list)} in ${app}, PORT=${port}, DATA_DIR=${dataDir}`);
  const started = Date.now();
  server = spawn(file, cmdArgs.map((a) => rewritePaths(runtime, a)), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  let exit;
  const exited = new Promise((ok) => server.on('exit', (code, signal) => ok((exit = { code, signal }))));
  const tail = () => log.trimEnd().split('\n').slice(-10).map((l) => `    | ${l}`).join('\n');

  currentStep = 'GET /health/ready';
  const base = `http://127.0.0.1:${port}`;
  const hc = runtime.healthcheck;
  const startPeriod = seconds(hc?.flags['start-period'], 0);
  const giveUp = startPeriod + seconds(hc?.flags.interval, 30) * Number(hc?.flags.retries ?? 3);
  for (;;) {
    if (exit) fail(`the server exited (${exit.code ?? exit.signal}) before it was ready\n${tail()}`);
    const ok = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) break;
    check((Date.now() - started) / 1000 < giveUp, `not ready after ${giveUp} s (the HEALTHCHECK's start period, interval × retries: Docker would call it unhealthy)\n${tail()}`);
    await sleep(200);
  }
  const readyS = (Date.now() - started) / 1000;
  say(`ready after ${readyS.toFixed(1)} s${hc ? ` (HEALTHCHECK start period ${startPeriod} s)` : ''}`);

  currentStep = 'first start used the prepared database';
  await sleep(100); // the log is written asynchronously
  const lines = log.split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
  const ready = lines.find((l) => l.msg === 'database ready, migrations applied');
  check(ready, `no "database ready" line in the start log\n${tail()}`);
  check(ready.dataDirFrom === 'template', `the first start did not unpack the prepared database (dataDirFrom: ${ready.dataDirFrom})`);
  const dataId = existsSync(join(dataDir, 'global', 'pg_control')) ? readFileSync(join(dataDir, 'global', 'pg_control')).subarray(0, 8).toString('hex') : undefined;
  check(dataId === templateId, `DATA_DIR's system identifier ${dataId} is not the template's ${templateId}: initdb made it`);
  say(`start log: database ready in ${ready.ms} ms, dataDirFrom "template"; DATA_DIR has the template's system identifier (no initdb)`);

  if (hc) {
    currentStep = 'HEALTHCHECK';
    const timeout = seconds(hc.flags.timeout, 30);
    const hcWords = words(hc.command);
    const [hFile, ...hArgs] = hcWords.json ? hcWords.list : ['bash', '-c', rewritePaths(runtime, hc.command)];
    // Docker calls a container unhealthy only after `retries` failures in a row, so one attempt that
    // times out on a busy machine is not yet a failure here either.
    const retries = Math.max(1, Number(hc.flags.retries ?? 3));
    const failures = [];
    for (let attempt = 1; attempt <= retries; attempt += 1) {
      const t0 = Date.now();
      const result = spawnSync(hFile, hArgs, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeout * 1000 });
      if (result.status === 0) {
        say(`HEALTHCHECK CMD exit 0 in ${((Date.now() - t0) / 1000).toFixed(1)} s (timeout ${timeout} s${failures.length ? `; before it: ${failures.join(', ')}` : ''})`);
        break;
      }
      failures.push(result.status !== null ? `exit ${result.status} ${String(result.stderr).trim()}` : `${result.signal} after the ${timeout} s timeout`);
      check(attempt < retries, `HEALTHCHECK failed ${retries} times in a row (--retries): ${failures.join('; ')}`);
      await sleep(1000);
    }
  }

  currentStep = 'GET /openapi.json';
  const spec = await fetch(`${base}/openapi.json`);
  check(spec.status === 200, `/openapi.json answered ${spec.status}`);
  const doc = await spec.json();
  check(typeof doc.openapi === 'string' && Object.keys(doc.paths ?? {}).length > 0, '/openapi.json is not an OpenAPI document');
  say(`GET /openapi.json 200 (OpenAPI ${doc.openapi}, ${Object.keys(doc.paths).length} paths)`);

  currentStep = 'GET /docs';
  const docs = await fetch(`${base}/docs`);
  const html = await docs.text();
  check(docs.status === 200 && /<html/i.test(html), `/docs answered ${docs.status}`);
  say(`GET /docs 200 (${docs.headers.get('content-type')})`);

  currentStep = 'SIGTERM';
  const t0 = Date.now();
  server.kill('SIGTERM');
  const done = await Promise.race([exited, sleep(15_000).then(() => undefined)]);
  check(done, `still running 15 s after SIGTERM\n${tail()}`);
  check(done.code === 0, `exited ${done.code ?? done.signal} after SIGTERM\n${tail()}`);
  check(/shut down cleanly/.test(log), `no "shut down cleanly" in the log\n${tail()}`);
  say(`SIGTERM: exit 0 in ${((Date.now() - t0) / 1000).toFixed(1)} s, "shut down cleanly"`);
  server = undefined;
}

/** rm -rf (far quicker than fs.rmSync on two copies of node_modules), fs.rmSync where it fails. */
function cleanUp() {
  if (keep) return say(`kept ${work}`);
  if (spawnSync('rm', ['-rf', work], { stdio: 'ignore' }).status !== 0) rmSync(work, { recursive: true, force: true });
}

try {
  await main();
  cleanUp();
  process.stdout.write('docker replay: ok\n');
  process.exit(0);
} catch (error) {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  const reason = error instanceof ReplayError ? error.message : (error?.stack ?? String(error));
  cleanUp();
  process.stdout.write(`docker replay: FAILED at ${currentStep}: ${reason}\n`);
  process.exit(1);
}
