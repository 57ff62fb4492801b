import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { checkTrustedProxies } from '../abuse/client-address.js';
import type { ServiceProfile } from '../identity/service-profile.js';
import { hasProtocol } from '../protocol/url.js';

/**
 * The service's settings, read from environment variables.
 *
 *   const config = loadConfig(process.env);   // throws ConfigError naming the bad setting
 *   console.log(settingsHelp());              // what `--help` prints
 */

interface SettingSpec {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}

/** Every setting, in the order `--help` lists them; the first eight are the public contract. */
export const SETTINGS: readonly SettingSpec[] = [
  { name: 'PORT', default: '8080', meaning: 'HTTP: web app, REST API, HLS, relay WebSocket' },
  { name: 'RTMP_PORT', default: '1935', meaning: 'RTMP ingest' },
  { name: 'DATA_DIR', default: './data', meaning: 'SQLite file, service key, HLS output, recordings' },
  { name: 'PUBLIC_URL', default: 'http://localhost:$PORT', meaning: 'base for URLs put in events and API answers' },
  { name: 'RELAYS', default: '(empty)', meaning: 'comma-separated external relays that 30311 events are also published to' },
  { name: 'DATABASE_URL', default: '(empty: SQLite)', meaning: 'postgres://… switches to PostgreSQL' },
  { name: 'REDIS_URL', default: '(empty)', meaning: 'set: real-time fan-out across processes goes through Redis' },
  { name: 'FFMPEG_PATH', default: 'ffmpeg on PATH', meaning: 'the ffmpeg binary' },
  { name: 'HOST', default: '0.0.0.0', meaning: 'address the HTTP and RTMP servers listen on' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug or trace' },
  {
    name: 'RECONNECT_GRACE_SECONDS',
    default: '60',
    meaning: 'how long a live stream waits for its encoder to reconnect before it ends',
  },
  { name: 'METRICS_SAMPLE_SECONDS', default: '10', meaning: 'how often a metrics sample is stored per live stream' },
  {
    name: 'LIVE_EVENT_MIN_INTERVAL_SECONDS',
    default: '10',
    meaning: "how often at most a stream's kind 30311 is republished for a change (title, counts, goal); a status change goes out at once",
  },
  {
    name: 'RTMP_PUBLISH_TIMEOUT_SECONDS',
    default: '10',
    meaning: 'an RTMP connection whose publish is not accepted within this is closed',
  },
  {
    name: 'RELAY_PUBLISH_TIMEOUT_SECONDS',
    default: '10',
    meaning: 'how long an external relay (RELAYS) has to open its connection and to answer OK to an event before the try counts as failed',
  },
  { name: 'RATE_LIMIT_CHAT_PER_PUBKEY', default: '20', meaning: 'chat messages and reactions per minute from one pubkey' },
  { name: 'RATE_LIMIT_CHAT_PER_ADDRESS', default: '60', meaning: 'chat messages and reactions per minute from one IP address' },
  { name: 'RATE_LIMIT_EVENTS_PER_PUBKEY', default: '120', meaning: 'relay events of any kind per minute from one pubkey' },
  { name: 'RATE_LIMIT_EVENTS_PER_ADDRESS', default: '600', meaning: 'relay events of any kind per minute from one IP address' },
  { name: 'RATE_LIMIT_REPORTS_PER_TARGET', default: '10', meaning: 'reports per hour from one pubkey about one stream (or one user)' },
  { name: 'RELAY_STORAGE_PER_PUBKEY_MB', default: '32', meaning: 'megabytes of events (content and tags) the relay keeps for one pubkey' },
  { name: 'RATE_LIMIT_API_PER_ADDRESS', default: '600', meaning: 'REST API requests per minute from one IP address' },
  { name: 'RATE_LIMIT_WS_PER_ADDRESS', default: '50', meaning: 'open WebSocket connections (relay and feed) per IP address' },
  { name: 'RATE_LIMIT_RTMP_PER_ADDRESS', default: '4', meaning: 'open RTMP connections per IP address (encoders sharing one address need one each)' },
  { name: 'RATE_LIMIT_KEY_FAILURES', default: '10', meaning: 'wrong stream keys per 10 minutes from one address before it is locked out' },
  {
    name: 'TRUST_PROXY',
    default: '(empty: none)',
    meaning: 'comma-separated proxies (addresses, CIDRs, or loopback) whose X-Forwarded-For names the client',
  },
  {
    name: 'PUBLIC_URL_ALIASES',
    default: '(empty)',
    meaning: 'comma-separated other URLs this service is also reached at; NIP-98 signatures for them are accepted too',
  },
  {
    name: 'HTTP_REQUEST_TIMEOUT_SECONDS',
    default: '30',
    meaning: 'an HTTP request (headers and body) that has not fully arrived within this is answered 408 and closed',
  },
  {
    name: 'BUNKER_TIMEOUT_SECONDS',
    default: '10',
    meaning: "how long a streamer's NIP-46 bunker has to answer (connect at create, each signature); past it the stream is signer_unreachable",
  },
  {
    name: 'RATE_LIMIT_HTTP_PER_ADDRESS',
    default: '256',
    meaning: 'open HTTP connections (WebSockets included) per IP address; TRUST_PROXY addresses are not limited',
  },
  { name: 'SERVICE_NAME', default: 'Wavlake Live', meaning: "the name in the service key's Nostr profile (kind 0) and NIP-89 handler" },
  {
    name: 'SERVICE_ABOUT',
    default: 'Live streams on Nostr',
    meaning: "the about line of the service key's Nostr profile and handler",
  },
  {
    name: 'SERVICE_PICTURE',
    default: '(empty: none)',
    meaning: "an http(s) URL of the picture in the service key's Nostr profile and handler",
  },
  {
    name: 'EDGE_LOG_LISTEN',
    default: '(empty: off)',
    meaning: "host:port to receive the nginx edge's access log on (UDP syslog, scripts/edge.sh --viewer-log); viewers behind the edge are counted from it",
  },
  { name: 'WHEP_MAX_VIEWERS', default: '20', meaning: 'real-time (WebRTC/WHEP) viewers per stream; past it players fall back to LL-HLS; 0 turns real-time off' },
  {
    name: 'NODE_ID',
    default: '<hostname>-$PORT',
    meaning: "with REDIS_URL: this node's name in the cluster (which node holds which stream); stable across restarts",
  },
  {
    name: 'NODE_URL',
    default: 'http://127.0.0.1:$PORT',
    meaning: 'with REDIS_URL: where the other nodes reach this one over HTTP, to fetch the streams it holds',
  },
];

export class ConfigError extends Error {}

/** Digits only: `Number()` would also take " ", "0x50" and "1e3". */
const wholeNumber = (name: string, what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be ${what}`)
    .transform(Number);

/** A whole number of seconds from `min` to `max`, refused with one message naming the range. */
const secondsBetween = (name: string, min: number, max: number) => {
  const range = `${name} must be between ${min} and ${max}`;
  return wholeNumber(name, 'a whole number of seconds').pipe(z.number().min(min, range).max(max, range));
};

const port = (name: string) =>
  wholeNumber(name, 'a port number').pipe(
    z.number().min(0, `${name} must be between 0 and 65535`).max(65535, `${name} must be between 0 and 65535`),
  );

const count = (name: string) =>
  wholeNumber(name, 'a whole number').pipe(
    z.number().min(1, `${name} must be at least 1`).max(1_000_000, `${name} must be at most 1000000`),
  );

const optionalUrl = (name: string, protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || hasProtocol(value, protocols), {
      message: `${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    });

/** `a, b,,c ` → `['a', 'b', 'c']`; unset or empty → `[]`. */
const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  );

const relayList = commaList
  .refine((relays) => relays.every((relay) => hasProtocol(relay, ['ws:', 'wss:'])), {
    message: 'RELAYS must be a comma-separated list of ws:// or wss:// URLs',
  });

const publicUrlList = commaList
  .refine((urls) => urls.every((url) => hasProtocol(url, ['http:', 'https:'])), {
    message: 'PUBLIC_URL_ALIASES must be a comma-separated list of http:// or https:// URLs',
  });

const proxyList = commaList
  .superRefine((entries, context) => {
    try {
      checkTrustedProxies(entries);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `TRUST_PROXY must list IP addresses, CIDR ranges or loopback/linklocal/uniquelocal (${error instanceof Error ? error.message : String(error)})`,
      });
    }
  });

/** `host:port` (`[::1]:port` for IPv6) → its parts; unset or empty → undefined. */
const listenAddress = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) return undefined;
      const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
      const port = Number(match?.[3]);
      if (!match || port < 1 || port > 65535) {
        context.addIssue({ code: 'custom', message: `${name} must be host:port, e.g. 127.0.0.1:5140` });
        return z.NEVER;
      }
      return { host: match[1] ?? match[2] ?? '', port };
    });

const envSchema = z.object({
  PORT: port('PORT').default(8080),
  RTMP_PORT: port('RTMP_PORT').default(1935),
  DATA_DIR: z.string().trim().min(1, 'DATA_DIR must not be empty').default('./data'),
  PUBLIC_URL: optionalUrl('PUBLIC_URL', ['http:', 'https:']),
  PUBLIC_URL_ALIASES: publicUrlList,
  HTTP_REQUEST_TIMEOUT_SECONDS: secondsBetween('HTTP_REQUEST_TIMEOUT_SECONDS', 1, 3600)
    .default(30),
  RATE_LIMIT_HTTP_PER_ADDRESS: count('RATE_LIMIT_HTTP_PER_ADDRESS').default(256),
  BUNKER_TIMEOUT_SECONDS: secondsBetween('BUNKER_TIMEOUT_SECONDS', 1, 120)
    .default(10),
  RELAYS: relayList,
  DATABASE_URL: optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
  REDIS_URL: optionalUrl('REDIS_URL', ['redis:', 'rediss:']),
  FFMPEG_PATH: z.string().trim().min(1, 'FFMPEG_PATH must not be empty').default('ffmpeg'),
  HOST: z.string().trim().min(1, 'HOST must not be empty').default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
  RECONNECT_GRACE_SECONDS: z.coerce
    .number({ error: 'RECONNECT_GRACE_SECONDS must be a number of seconds' })
    .int('RECONNECT_GRACE_SECONDS must be a whole number of seconds')
    .min(1, 'RECONNECT_GRACE_SECONDS must be between 1 and 3600')
    .max(3600, 'RECONNECT_GRACE_SECONDS must be between 1 and 3600')
    .default(60),
  METRICS_SAMPLE_SECONDS: z.coerce
    .number({ error: 'METRICS_SAMPLE_SECONDS must be a number of seconds' })
    .int('METRICS_SAMPLE_SECONDS must be a whole number of seconds')
    .min(1, 'METRICS_SAMPLE_SECONDS must be between 1 and 3600')
    .max(3600, 'METRICS_SAMPLE_SECONDS must be between 1 and 3600')
    .default(10),
  // At least 2: a new now-playing track, the change meant to go out soonest, waits up to 2 s; no other change may go sooner.
  LIVE_EVENT_MIN_INTERVAL_SECONDS: secondsBetween('LIVE_EVENT_MIN_INTERVAL_SECONDS', 2, 3600)
    .default(10),
  RTMP_PUBLISH_TIMEOUT_SECONDS: z.coerce
    .number({ error: 'RTMP_PUBLISH_TIMEOUT_SECONDS must be a number of seconds' })
    .int('RTMP_PUBLISH_TIMEOUT_SECONDS must be a whole number of seconds')
    .min(1, 'RTMP_PUBLISH_TIMEOUT_SECONDS must be between 1 and 300')
    .max(300, 'RTMP_PUBLISH_TIMEOUT_SECONDS must be between 1 and 300')
    .default(10),
  RELAY_PUBLISH_TIMEOUT_SECONDS: secondsBetween('RELAY_PUBLISH_TIMEOUT_SECONDS', 1, 300)
    .default(10),
  RATE_LIMIT_CHAT_PER_PUBKEY: count('RATE_LIMIT_CHAT_PER_PUBKEY').default(20),
  RATE_LIMIT_CHAT_PER_ADDRESS: count('RATE_LIMIT_CHAT_PER_ADDRESS').default(60),
  RATE_LIMIT_EVENTS_PER_PUBKEY: count('RATE_LIMIT_EVENTS_PER_PUBKEY').default(120),
  RATE_LIMIT_EVENTS_PER_ADDRESS: count('RATE_LIMIT_EVENTS_PER_ADDRESS').default(600),
  RATE_LIMIT_REPORTS_PER_TARGET: count('RATE_LIMIT_REPORTS_PER_TARGET').default(10),
  RELAY_STORAGE_PER_PUBKEY_MB: count('RELAY_STORAGE_PER_PUBKEY_MB').default(32),
  RATE_LIMIT_API_PER_ADDRESS: count('RATE_LIMIT_API_PER_ADDRESS').default(600),
  RATE_LIMIT_WS_PER_ADDRESS: count('RATE_LIMIT_WS_PER_ADDRESS').default(50),
  RATE_LIMIT_RTMP_PER_ADDRESS: count('RATE_LIMIT_RTMP_PER_ADDRESS').default(4),
  RATE_LIMIT_KEY_FAILURES: count('RATE_LIMIT_KEY_FAILURES').default(10),
  TRUST_PROXY: proxyList,
  SERVICE_NAME: z.string().trim().min(1, 'SERVICE_NAME must not be empty').max(100, 'SERVICE_NAME must be at most 100 characters').default('Wavlake Live'),
  SERVICE_ABOUT: z.string().trim().max(1000, 'SERVICE_ABOUT must be at most 1000 characters').default('Live streams on Nostr'),
  SERVICE_PICTURE: optionalUrl('SERVICE_PICTURE', ['http:', 'https:']),
  EDGE_LOG_LISTEN: listenAddress('EDGE_LOG_LISTEN'),
  WHEP_MAX_VIEWERS: wholeNumber('WHEP_MAX_VIEWERS', 'a whole number')
    .pipe(z.number().max(10_000, 'WHEP_MAX_VIEWERS must be at most 10000'))
    .default(20),
  NODE_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'NODE_ID must be 1 to 64 letters, digits, dots, dashes or underscores')
    .optional(),
  NODE_URL: optionalUrl('NODE_URL', ['http:', 'https:']),
});

export interface Config {
  readonly port: number;
  readonly rtmpPort: number;
  readonly host: string;
  readonly dataDir: string;
  /** Origin without a trailing slash, e.g. `https://live.example.com`. */
  readonly publicUrl: string;
  /** Other origins the service is reached at (`PUBLIC_URL_ALIASES`), in the same form. */
  readonly publicUrlAliases: readonly string[];
  /** How long a client has to send a whole HTTP request (`HTTP_REQUEST_TIMEOUT_SECONDS`). */
  readonly httpRequestTimeoutMs: number;
  /** Open HTTP connections per address (`RATE_LIMIT_HTTP_PER_ADDRESS`); trusted proxies are not counted. */
  readonly httpConnectionsPerAddress: number;
  /** How long a streamer's bunker has to answer one request (`BUNKER_TIMEOUT_SECONDS`). */
  readonly bunkerTimeoutMs: number;
  readonly relays: readonly string[];
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly ffmpegPath: string;
  readonly logLevel: string;
  readonly reconnectGraceMs: number;
  readonly metricsSampleMs: number;
  /** How often at most a stream's 30311 is republished for a change other than its status (`LIVE_EVENT_MIN_INTERVAL_SECONDS`). */
  readonly liveEventMinIntervalMs: number;
  readonly rtmpPublishTimeoutMs: number;
  /** How long an external relay has to connect, and to answer OK to one event (`RELAY_PUBLISH_TIMEOUT_SECONDS`). */
  readonly relayPublishTimeoutMs: number;
  /** Proxies whose `X-Forwarded-For` is believed; empty believes nobody. */
  readonly trustedProxies: readonly string[];
  readonly rateLimits: {
    /** Relay: chat messages and reactions per minute. */
    readonly chatPerPubkey: number;
    readonly chatPerAddress: number;
    /** Relay: events of any kind per minute. */
    readonly eventsPerPubkey: number;
    readonly eventsPerAddress: number;
    /** Relay: reports per hour from one pubkey about one stream (or user). */
    readonly reportsPerTarget: number;
    /** Bytes of content and tags the relay keeps per pubkey. */
    readonly storagePerPubkey: number;
    readonly apiPerAddress: number;
    readonly webSocketsPerAddress: number;
    readonly rtmpConnectionsPerAddress: number;
    readonly keyFailures: number;
  };
  /** What the service key's own kind 0 and NIP-89 handler say (`SERVICE_NAME`, `SERVICE_ABOUT`, `SERVICE_PICTURE`). */
  readonly serviceProfile: ServiceProfile;
  /** Real-time (WHEP) viewers per stream (`WHEP_MAX_VIEWERS`); 0 is real-time off. */
  readonly whepMaxViewers: number;
  /** This process in a cluster (`NODE_ID`, `NODE_URL`): its name, and the base URL other nodes fetch its streams from. */
  readonly node: { readonly id: string; readonly url: string };
  /** Where the nginx edge's access log arrives (`EDGE_LOG_LISTEN`); set, viewers behind the edge are counted from it. */
  readonly edgeLogListen: { readonly host: string; readonly port: number } | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const known = Object.fromEntries(
    SETTINGS.map(({ name }) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'configuration');
    throw new ConfigError(`Invalid setting ${name}=${JSON.stringify(env[name] ?? '')}: ${issue?.message ?? 'invalid value'}.`);
  }
  const settings = parsed.data;
  return {
    port: settings.PORT,
    rtmpPort: settings.RTMP_PORT,
    host: settings.HOST,
    dataDir: path.resolve(settings.DATA_DIR),
    publicUrl: withoutTrailingSlash(settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`),
    // Unset PUBLIC_URL means a machine-local service: its other loopback names are the same origin.
    publicUrlAliases: [
      ...settings.PUBLIC_URL_ALIASES.map(withoutTrailingSlash),
      ...(settings.PUBLIC_URL ? [] : [`http://127.0.0.1:${settings.PORT}`, `http://[::1]:${settings.PORT}`]),
    ],
    httpRequestTimeoutMs: settings.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    httpConnectionsPerAddress: settings.RATE_LIMIT_HTTP_PER_ADDRESS,
    bunkerTimeoutMs: settings.BUNKER_TIMEOUT_SECONDS * 1000,
    relays: settings.RELAYS,
    databaseUrl: settings.DATABASE_URL,
    redisUrl: settings.REDIS_URL,
    ffmpegPath: settings.FFMPEG_PATH,
    logLevel: settings.LOG_LEVEL,
    reconnectGraceMs: settings.RECONNECT_GRACE_SECONDS * 1000,
    metricsSampleMs: settings.METRICS_SAMPLE_SECONDS * 1000,
    liveEventMinIntervalMs: settings.LIVE_EVENT_MIN_INTERVAL_SECONDS * 1000,
    rtmpPublishTimeoutMs: settings.RTMP_PUBLISH_TIMEOUT_SECONDS * 1000,
    relayPublishTimeoutMs: settings.RELAY_PUBLISH_TIMEOUT_SECONDS * 1000,
    trustedProxies: settings.TRUST_PROXY,
    rateLimits: {
      chatPerPubkey: settings.RATE_LIMIT_CHAT_PER_PUBKEY,
      chatPerAddress: settings.RATE_LIMIT_CHAT_PER_ADDRESS,
      eventsPerPubkey: settings.RATE_LIMIT_EVENTS_PER_PUBKEY,
      eventsPerAddress: settings.RATE_LIMIT_EVENTS_PER_ADDRESS,
      reportsPerTarget: settings.RATE_LIMIT_REPORTS_PER_TARGET,
      storagePerPubkey: settings.RELAY_STORAGE_PER_PUBKEY_MB * 1024 * 1024,
      apiPerAddress: settings.RATE_LIMIT_API_PER_ADDRESS,
      webSocketsPerAddress: settings.RATE_LIMIT_WS_PER_ADDRESS,
      rtmpConnectionsPerAddress: settings.RATE_LIMIT_RTMP_PER_ADDRESS,
      keyFailures: settings.RATE_LIMIT_KEY_FAILURES,
    },
    serviceProfile: { name: settings.SERVICE_NAME, about: settings.SERVICE_ABOUT, picture: settings.SERVICE_PICTURE },
    whepMaxViewers: settings.WHEP_MAX_VIEWERS,
    node: {
      // Host and port: two processes on one machine differ, and a restarted one is itself again.
      id: settings.NODE_ID ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 58)}-${settings.PORT}`,
      url: withoutTrailingSlash(settings.NODE_URL ?? `http://127.0.0.1:${settings.PORT}`),
    },
    edgeLogListen: settings.EDGE_LOG_LISTEN,
  };
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

export function settingsHelp(): string {
  const width = Math.max(...SETTINGS.map(({ name }) => name.length));
  const defaultWidth = Math.max(...SETTINGS.map((setting) => setting.default.length));
  const rows = SETTINGS.map(
    (setting) => `  ${setting.name.padEnd(width)}  ${setting.default.padEnd(defaultWidth)}  ${setting.meaning}`,
  );
  return [
    'Usage: wavlake-live [--help]',
    '',
    'Runs the Wavlake Live service: REST API, web app, HLS origin, Nostr relay and RTMP ingest.',
    'Settings come from environment variables:',
    '',
    `  ${'VARIABLE'.padEnd(width)}  ${'DEFAULT'.padEnd(defaultWidth)}  MEANING`,
    ...rows,
  ].join('\n');
}
