import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS, settingsHelp } from './config.js';

/** The settings the README documents (more may follow them in SETTINGS). */
const DOCUMENTED = [
  'PORT',
  'RTMP_PORT',
  'DATA_DIR',
  'PUBLIC_URL',
  'RELAYS',
  'DATABASE_URL',
  'REDIS_URL',
  'FFMPEG_PATH',
  'HOST',
  'LOG_LEVEL',
  'RECONNECT_GRACE_SECONDS',
  'METRICS_SAMPLE_SECONDS',
];

/** Runs loadConfig and answers the ConfigError it throws (fails the test when it does not throw one). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('answers the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8080,
      rtmpPort: 1935,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      publicUrl: 'http://localhost:8080',
      relays: [],
      databaseUrl: undefined,
      redisUrl: undefined,
      ffmpegPath: 'ffmpeg',
      logLevel: 'info',
      reconnectGraceMs: 60_000,
      metricsSampleMs: 10_000,
    });
  });

  it('treats an empty value as unset', () => {
    const empty = Object.fromEntries(SETTINGS.map(({ name }) => [name, '']));
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });

  it('ignores variables that are not settings', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', UNRELATED: 'x' })).toEqual(loadConfig({}));
  });

  describe('PORT', () => {
    it.each([
      ['0', 0],
      ['80', 80],
      ['3000', 3000],
      ['65535', 65535],
    ])('accepts %s', (value, expected) => {
      expect(loadConfig({ PORT: value }).port).toBe(expected);
    });

    it('derives the default PUBLIC_URL from PORT', () => {
      expect(loadConfig({ PORT: '3000' }).publicUrl).toBe('http://localhost:3000');
    });

    it.each(['-1', '65536', '99999', '80.5', 'http', 'eighty'])('refuses %s naming PORT', (value) => {
      const error = configError({ PORT: value });
      expect(error.message).toContain('PORT');
      expect(error.message).toContain(JSON.stringify(value));
    });
  });

  describe('RTMP_PORT', () => {
    it.each([
      ['0', 0],
      ['1936', 1936],
      ['65535', 65535],
    ])('accepts %s', (value, expected) => {
      expect(loadConfig({ RTMP_PORT: value }).rtmpPort).toBe(expected);
    });

    it.each(['-1', '65536', '1935.5', 'rtmp'])('refuses %s naming RTMP_PORT', (value) => {
      expect(configError({ RTMP_PORT: value }).message).toContain('RTMP_PORT');
    });

    it('does not touch PORT', () => {
      expect(loadConfig({ RTMP_PORT: '2000' }).port).toBe(8080);
    });
  });

  describe('DATA_DIR', () => {
    it('is resolved to an absolute path', () => {
      const dataDir = loadConfig({ DATA_DIR: 'some/relative/dir' }).dataDir;
      expect(path.isAbsolute(dataDir)).toBe(true);
      expect(dataDir).toBe(path.resolve(process.cwd(), 'some/relative/dir'));
    });

    it('keeps an absolute path', () => {
      expect(loadConfig({ DATA_DIR: '/var/lib/wavlake' }).dataDir).toBe('/var/lib/wavlake');
    });

    it('refuses a blank value naming DATA_DIR', () => {
      expect(configError({ DATA_DIR: '   ' }).message).toContain('DATA_DIR');
    });
  });

  describe('PUBLIC_URL', () => {
    it.each([
      ['https://live.example.com', 'https://live.example.com'],
      ['https://live.example.com/', 'https://live.example.com'],
      ['https://live.example.com///', 'https://live.example.com'],
      ['http://10.0.0.5:8080/', 'http://10.0.0.5:8080'],
      ['https://example.com/live/', 'https://example.com/live'],
    ])('%s becomes %s', (value, expected) => {
      expect(loadConfig({ PUBLIC_URL: value }).publicUrl).toBe(expected);
    });

    it('wins over the PORT-derived default', () => {
      expect(loadConfig({ PORT: '3000', PUBLIC_URL: 'https://live.example.com' }).publicUrl).toBe(
        'https://live.example.com',
      );
    });

    it.each(['live.example.com', 'ftp://live.example.com', 'ws://live.example.com', 'not a url'])(
      'refuses %s naming PUBLIC_URL',
      (value) => {
        expect(configError({ PUBLIC_URL: value }).message).toContain('PUBLIC_URL');
      },
    );
  });

  describe('RELAYS', () => {
    it('parses a comma-separated list, trimming spaces and skipping empty entries', () => {
      expect(loadConfig({ RELAYS: ' wss://relay.damus.io , ws://127.0.0.1:7777,,wss://nos.lol ' }).relays).toEqual([
        'wss://relay.damus.io',
        'ws://127.0.0.1:7777',
        'wss://nos.lol',
      ]);
    });

    it('accepts a single relay', () => {
      expect(loadConfig({ RELAYS: 'wss://relay.example.com' }).relays).toEqual(['wss://relay.example.com']);
    });

    it.each(['https://relay.example.com', 'wss://ok.example.com,http://bad.example.com', 'relay.example.com'])(
      'refuses %s naming RELAYS',
      (value) => {
        expect(configError({ RELAYS: value }).message).toContain('RELAYS');
      },
    );
  });

  describe('TRUST_PROXY', () => {
    it('trusts nobody by default and parses a list of addresses, ranges and names', () => {
      expect(loadConfig({}).trustedProxies).toEqual([]);
      expect(loadConfig({ TRUST_PROXY: ' loopback, 10.0.0.0/8 ,::1' }).trustedProxies).toEqual(['loopback', '10.0.0.0/8', '::1']);
    });

    it.each(['proxy.example.com', '10.0.0.0/99', 'true'])('refuses %s naming TRUST_PROXY', (value) => {
      expect(configError({ TRUST_PROXY: value }).message).toMatch(/^Invalid setting TRUST_PROXY=.*IP addresses/);
    });
  });

  describe('HTTP_REQUEST_TIMEOUT_SECONDS and RATE_LIMIT_HTTP_PER_ADDRESS', () => {
    it('default to 30 s and 256 connections, and read whole numbers', () => {
      expect(loadConfig({})).toMatchObject({ httpRequestTimeoutMs: 30_000, httpConnectionsPerAddress: 256 });
      expect(loadConfig({ HTTP_REQUEST_TIMEOUT_SECONDS: '5', RATE_LIMIT_HTTP_PER_ADDRESS: '20' })).toMatchObject({
        httpRequestTimeoutMs: 5000,
        httpConnectionsPerAddress: 20,
      });
    });

    it.each(['0', '3601', '2.5', 'soon'])('refuses HTTP_REQUEST_TIMEOUT_SECONDS=%s', (value) => {
      expect(configError({ HTTP_REQUEST_TIMEOUT_SECONDS: value }).message).toMatch(/^Invalid setting HTTP_REQUEST_TIMEOUT_SECONDS=/);
    });
  });

  describe('PUBLIC_URL_ALIASES', () => {
    it('is empty by default and parses a list of origins without trailing slashes', () => {
      expect(loadConfig({ PUBLIC_URL: 'https://live.example.org' }).publicUrlAliases).toEqual([]);
      expect(loadConfig({ PUBLIC_URL: 'https://live.example.org', PUBLIC_URL_ALIASES: ' https://live.example.org/, http://abc.onion ' }).publicUrlAliases).toEqual([
        'https://live.example.org',
        'http://abc.onion',
      ]);
    });

    it('adds the loopback names of localhost only while PUBLIC_URL is unset', () => {
      expect(loadConfig({ PORT: '9000' }).publicUrlAliases).toEqual(['http://127.0.0.1:9000', 'http://[::1]:9000']);
    });

    it.each(['live.example.org', 'ftp://live.example.org'])('refuses %s naming PUBLIC_URL_ALIASES', (value) => {
      expect(configError({ PUBLIC_URL_ALIASES: value }).message).toMatch(/^Invalid setting PUBLIC_URL_ALIASES=.*http:\/\/ or https:\/\//);
    });
  });

  describe('SERVICE_NAME, SERVICE_ABOUT and SERVICE_PICTURE', () => {
    it("name the service's own profile, with no picture unless one is given", () => {
      expect(loadConfig({}).serviceProfile).toEqual({ name: 'Wavlake Live', about: 'Live streams on Nostr', picture: undefined });
      expect(
        loadConfig({ SERVICE_NAME: ' Night Radio ', SERVICE_ABOUT: 'Late sets', SERVICE_PICTURE: 'https://images.example.com/n.png' }).serviceProfile,
      ).toEqual({ name: 'Night Radio', about: 'Late sets', picture: 'https://images.example.com/n.png' });
    });

    it.each([
      ['SERVICE_PICTURE', 'images.example.com/n.png', /http:\/\/ or https:\/\//],
      ['SERVICE_PICTURE', 'javascript:alert(1)', /http:\/\/ or https:\/\//],
      ['SERVICE_NAME', 'x'.repeat(101), /at most 100/],
      ['SERVICE_ABOUT', 'x'.repeat(1001), /at most 1000/],
    ])('refuses %s=%s', (name, value, reason) => {
      const message = configError({ [name]: value }).message;
      expect(message.startsWith(`Invalid setting ${name}=`)).toBe(true);
      expect(message).toMatch(reason);
    });
  });

  describe('WHEP_MAX_VIEWERS', () => {
    it('allows 20 real-time viewers per stream by default, and 0 turns real-time off', () => {
      expect(loadConfig({}).whepMaxViewers).toBe(20);
      expect(loadConfig({ WHEP_MAX_VIEWERS: '0' }).whepMaxViewers).toBe(0);
      expect(loadConfig({ WHEP_MAX_VIEWERS: ' 3 ' }).whepMaxViewers).toBe(3);
    });

    it.each(['-1', 'many', '2.5', '10001'])('refuses WHEP_MAX_VIEWERS=%s', (value) => {
      expect(configError({ WHEP_MAX_VIEWERS: value }).message.startsWith('Invalid setting WHEP_MAX_VIEWERS=')).toBe(true);
    });
  });

  describe('NODE_ID and NODE_URL', () => {
    it('name a node by host and port, reached on loopback, unless set', () => {
      const node = loadConfig({ PORT: '9001' }).node;
      expect(node.id).toMatch(/^[A-Za-z0-9._-]+-9001$/);
      expect(node.url).toBe('http://127.0.0.1:9001');
      expect(loadConfig({ NODE_ID: 'edge-a', NODE_URL: 'http://10.0.0.5:8080/' }).node).toEqual({ id: 'edge-a', url: 'http://10.0.0.5:8080' });
    });

    it.each([
      ['NODE_ID', 'has space'],
      ['NODE_ID', 'x'.repeat(65)],
      ['NODE_URL', 'ftp://10.0.0.5'],
    ])('refuses %s=%s', (name, value) => {
      expect(configError({ [name]: value }).message.startsWith(`Invalid setting ${name}=`)).toBe(true);
    });
  });

  describe('EDGE_LOG_LISTEN', () => {
    it('is off by default and parses host:port, IPv6 in brackets', () => {
      expect(loadConfig({}).edgeLogListen).toBeUndefined();
      expect(loadConfig({ EDGE_LOG_LISTEN: ' 127.0.0.1:5140 ' }).edgeLogListen).toEqual({ host: '127.0.0.1', port: 5140 });
      expect(loadConfig({ EDGE_LOG_LISTEN: '[::1]:5140' }).edgeLogListen).toEqual({ host: '::1', port: 5140 });
      expect(loadConfig({ EDGE_LOG_LISTEN: 'origin-a.internal:514' }).edgeLogListen).toEqual({ host: 'origin-a.internal', port: 514 });
    });

    it.each(['5140', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'a b:1', '::1:5140'])('refuses EDGE_LOG_LISTEN=%s', (value) => {
      expect(configError({ EDGE_LOG_LISTEN: value }).message).toBe(
        `Invalid setting EDGE_LOG_LISTEN=${JSON.stringify(value)}: EDGE_LOG_LISTEN must be host:port, e.g. 127.0.0.1:5140.`,
      );
    });
  });

  describe('DATABASE_URL', () => {
    it.each(['postgres://wavlake:wavlake@127.0.0.1:5432/wavlake', 'postgresql://db.internal/live'])(
      'accepts %s',
      (value) => {
        expect(loadConfig({ DATABASE_URL: value }).databaseUrl).toBe(value);
      },
    );

    it.each(['mysql://root@localhost/live', 'sqlite:///data/live.sqlite', 'http://db', 'postgres'])(
      'refuses %s naming DATABASE_URL',
      (value) => {
        expect(configError({ DATABASE_URL: value }).message).toContain('DATABASE_URL');
      },
    );
  });

  describe('REDIS_URL', () => {
    it.each(['redis://127.0.0.1:6379', 'rediss://cache.example.com:6380/0'])('accepts %s', (value) => {
      expect(loadConfig({ REDIS_URL: value }).redisUrl).toBe(value);
    });

    it.each(['http://127.0.0.1:6379', 'localhost:6379x', 'memcached://x'])('refuses %s naming REDIS_URL', (value) => {
      expect(configError({ REDIS_URL: value }).message).toContain('REDIS_URL');
    });
  });

  describe('FFMPEG_PATH', () => {
    it('takes the given binary', () => {
      expect(loadConfig({ FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg' }).ffmpegPath).toBe('/opt/ffmpeg/bin/ffmpeg');
    });

    it('refuses a blank value naming FFMPEG_PATH', () => {
      expect(configError({ FFMPEG_PATH: '  ' }).message).toContain('FFMPEG_PATH');
    });
  });

  describe('HOST', () => {
    it.each(['127.0.0.1', '::', 'localhost'])('takes %s', (value) => {
      expect(loadConfig({ HOST: value }).host).toBe(value);
    });

    it('refuses a blank value naming HOST', () => {
      expect(configError({ HOST: ' ' }).message).toContain('HOST');
    });
  });

  describe('LOG_LEVEL', () => {
    it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('accepts %s', (value) => {
      expect(loadConfig({ LOG_LEVEL: value }).logLevel).toBe(value);
    });

    it.each(['verbose', 'INFO', 'warning', '3'])('refuses %s naming LOG_LEVEL', (value) => {
      expect(configError({ LOG_LEVEL: value }).message).toContain('LOG_LEVEL');
    });
  });

  describe('RECONNECT_GRACE_SECONDS', () => {
    it.each([
      ['1', 1000],
      ['30', 30_000],
      ['3600', 3_600_000],
    ])('%s s becomes %i ms', (value, expected) => {
      expect(loadConfig({ RECONNECT_GRACE_SECONDS: value }).reconnectGraceMs).toBe(expected);
    });

    it.each(['0', '-5', '3601', '2.5', 'soon'])('refuses %s naming RECONNECT_GRACE_SECONDS', (value) => {
      expect(configError({ RECONNECT_GRACE_SECONDS: value }).message).toContain('RECONNECT_GRACE_SECONDS');
    });
  });

  describe('METRICS_SAMPLE_SECONDS', () => {
    it.each([
      ['1', 1000],
      ['15', 15_000],
      ['3600', 3_600_000],
    ])('%s s becomes %i ms', (value, expected) => {
      expect(loadConfig({ METRICS_SAMPLE_SECONDS: value }).metricsSampleMs).toBe(expected);
    });

    it.each(['0', '3601', '0.5', 'often'])('refuses %s naming METRICS_SAMPLE_SECONDS', (value) => {
      expect(configError({ METRICS_SAMPLE_SECONDS: value }).message).toContain('METRICS_SAMPLE_SECONDS');
    });
  });

  describe('RELAY_PUBLISH_TIMEOUT_SECONDS', () => {
    it.each([
      [undefined, 10_000],
      ['1', 1000],
      ['300', 300_000],
    ])('%s s becomes %i ms', (value, expected) => {
      expect(loadConfig({ RELAY_PUBLISH_TIMEOUT_SECONDS: value }).relayPublishTimeoutMs).toBe(expected);
    });

    it.each(['0', '301', '2.5', 'soon'])('refuses %s naming RELAY_PUBLISH_TIMEOUT_SECONDS', (value) => {
      expect(configError({ RELAY_PUBLISH_TIMEOUT_SECONDS: value }).message).toContain('RELAY_PUBLISH_TIMEOUT_SECONDS');
    });
  });

  describe('LIVE_EVENT_MIN_INTERVAL_SECONDS', () => {
    it.each([
      [undefined, 10_000],
      ['2', 2000],
      ['3600', 3_600_000],
    ])('%s s becomes %i ms', (value, expected) => {
      expect(loadConfig({ LIVE_EVENT_MIN_INTERVAL_SECONDS: value }).liveEventMinIntervalMs).toBe(expected);
    });

    it.each(['0', '1', '3601', '2.5', 'often'])('refuses %s naming LIVE_EVENT_MIN_INTERVAL_SECONDS', (value) => {
      expect(configError({ LIVE_EVENT_MIN_INTERVAL_SECONDS: value }).message).toContain('LIVE_EVENT_MIN_INTERVAL_SECONDS');
    });
  });

  describe('RTMP_PUBLISH_TIMEOUT_SECONDS and RATE_LIMIT_RTMP_PER_ADDRESS', () => {
    it('default to 10 s and 4 connections', () => {
      const config = loadConfig({});
      expect(config.rtmpPublishTimeoutMs).toBe(10_000);
      expect(config.rateLimits.rtmpConnectionsPerAddress).toBe(4);
    });

    it('take seconds and a count', () => {
      const config = loadConfig({ RTMP_PUBLISH_TIMEOUT_SECONDS: '2', RATE_LIMIT_RTMP_PER_ADDRESS: '20' });
      expect(config.rtmpPublishTimeoutMs).toBe(2000);
      expect(config.rateLimits.rtmpConnectionsPerAddress).toBe(20);
    });

    it.each(['0', '301', '1.5', 'never'])('refuses RTMP_PUBLISH_TIMEOUT_SECONDS=%s', (value) => {
      expect(configError({ RTMP_PUBLISH_TIMEOUT_SECONDS: value }).message).toContain('RTMP_PUBLISH_TIMEOUT_SECONDS');
    });
  });

  it('names the bad setting, not a good one beside it', () => {
    const message = configError({ PORT: '3000', HOST: '127.0.0.1', LOG_LEVEL: 'loud' }).message;
    expect(message).toMatch(/^Invalid setting LOG_LEVEL="loud": /);
    expect(message).not.toContain('PORT');
  });
});

describe('settingsHelp', () => {
  it('lists every setting with its default', () => {
    const help = settingsHelp();
    for (const setting of SETTINGS) {
      const line = help.split('\n').find((row) => row.trimStart().startsWith(`${setting.name} `));
      expect(line, setting.name).toBeDefined();
      expect(line).toContain(setting.default);
      expect(line).toContain(setting.meaning);
    }
  });

  it('lists the settings in the documented order', () => {
    const help = settingsHelp();
    const positions = SETTINGS.map(({ name }) => help.indexOf(`  ${name} `));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('starts with the documented settings, in the README order', () => {
    expect(SETTINGS.map(({ name }) => name).slice(0, DOCUMENTED.length)).toEqual(DOCUMENTED);
  });

  it('lists each setting once', () => {
    const names = SETTINGS.map(({ name }) => name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('number settings', () => {
  it.each([' ', '0x50', '1e3', '80.5', '-1'])('refuses PORT=%j instead of reading a surprising number', (value) => {
    expect(() => loadConfig({ PORT: value })).toThrow(/^Invalid setting PORT=/);
  });

  it.each(['RATE_LIMIT_CHAT_PER_PUBKEY', 'RATE_LIMIT_CHAT_PER_ADDRESS', 'RATE_LIMIT_API_PER_ADDRESS', 'RATE_LIMIT_WS_PER_ADDRESS', 'RATE_LIMIT_RTMP_PER_ADDRESS', 'RATE_LIMIT_KEY_FAILURES'])(
    'reads %s as a positive whole number and refuses zero',
    (name) => {
      expect(() => loadConfig({ [name]: '0' })).toThrow(new RegExp(`^Invalid setting ${name}=`));
      expect(() => loadConfig({ [name]: 'lots' })).toThrow(/must be a whole number/);
      expect(Object.values(loadConfig({ [name]: '7' }).rateLimits)).toContain(7);
    },
  );
});
