// REDIS_URL as Linli reads it: one server, or Sentinels and a master name; and the hash-tagged
// key prefix. Pure functions, plus loadConfig's refusal naming the variable.
import { describe, expect, test } from 'vitest';
import { hashTaggedPrefix, parseRedisUrl, redactRedisUrl } from '../../src/lib/redis.ts';
import { loadConfig } from '../../src/config.ts';

/** The ioredis options of a Sentinel URL (fails the test on a plain one). */
function sentinelOptions(url: string) {
  const target = parseRedisUrl(url);
  if (target.kind !== 'sentinel') throw new Error(`${url}: not read as a Sentinel URL`);
  return target.options;
}

describe('parseRedisUrl', () => {
  test('redis:// and rediss:// go to ioredis as they are', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'server', url: 'redis://127.0.0.1:6379' });
    expect(parseRedisUrl('rediss://:p%40ss@cache.example.com:6380/2')).toEqual({ kind: 'server', url: 'rediss://:p%40ss@cache.example.com:6380/2' });
  });

  test('redis+sentinel://: the Sentinels in order, default port 26379, the master name and its credentials', () => {
    expect(parseRedisUrl('redis+sentinel://10.0.0.1:26379,10.0.0.2,[::1]:26380/mymaster')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      options: {
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26379 },
          { host: '::1', port: 26380 },
        ],
        name: 'mymaster',
      },
    });
    expect(sentinelOptions('redis+sentinel://linli:s%3Acret@s1:26379,s2:26379/linli-main/3?sentinelPassword=sp&sentinelUsername=watch')).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'linli-main',
      username: 'linli',
      password: 's:cret',
      sentinelUsername: 'watch',
      sentinelPassword: 'sp',
      db: 3,
    });
    // The spelling: the master's password as a parameter.
    expect(sentinelOptions('redis+sentinel://h1:26379,h2:26379/mymaster?password=pw&db=1')).toMatchObject({ password: 'pw', db: 1 });
    expect(sentinelOptions('redis+sentinel://:pw@h1/mymaster/')).toEqual({ sentinels: [{ host: 'h1', port: 26379 }], name: 'mymaster', password: 'pw' });
  });

  test.each([
    ['http://127.0.0.1:6379', /must start with redis:\/\/, rediss:\/\/ or redis\+sentinel:\/\//],
    ['127.0.0.1:6379', /must start with/],
    ['redis://exa mple:6379', /not a valid redis:\/\/ URL/],
    ['redis+sentinel://h1:26379,h2:26379', /needs its Sentinels and the master name/],
    ['redis+sentinel://h1:26379,,h2/mymaster', /"" is not a Sentinel address/],
    ['redis+sentinel://h1:99999/mymaster', /the port must be 1–65535/],
    ['redis+sentinel://h1:26379/my master', /master name "my master"/],
    ['redis+sentinel://h1/mymaster/16', /database number 0–15/],
    ['redis+sentinel://h1/mymaster/2?db=3', /database is given twice/],
    ['redis+sentinel://h1/mymaster?pasword=x', /unknown parameter pasword/],
    ['redis+sentinel://h1/mymaster?db=x', /parameter db/],
    ['redis+sentinel://secret@h1/mymaster', /write the password as :password@/],
    ['redis+sentinel://:a@h1/mymaster?password=b', /password is given twice/],
    ['redis+sentinel://h1/mymaster?password=a&password=b', /"password" is given twice/],
  ])('refuses %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  test('redactRedisUrl hides every password, keeps the rest', () => {
    expect(redactRedisUrl('redis://:topsecret@h:6379/0')).toBe('redis://:***@h:6379/0');
    expect(redactRedisUrl('redis+sentinel://linli:topsecret@s1,s2/m?sentinelPassword=other&db=1')).toBe(
      'redis+sentinel://linli:***@s1,s2/m?sentinelPassword=***&db=1',
    );
    expect(redactRedisUrl('redis+sentinel://s1/m?password=topsecret')).toBe('redis+sentinel://s1/m?password=***');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});

describe('the key prefix', () => {
  test('is wrapped in a hash tag unless it carries one', () => {
    expect(hashTaggedPrefix('linli')).toBe('{linli}');
    expect(hashTaggedPrefix('{linli}')).toBe('{linli}');
    expect(hashTaggedPrefix('prod:{linli}')).toBe('prod:{linli}');
    // `{}` hashes the whole key in Redis Cluster: not a tag.
    expect(hashTaggedPrefix('a{}b')).toBe('{a{}b}');
  });
});

describe('loadConfig', () => {
  test('a bad REDIS_URL stops start-up with the variable and the reason, never the password', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis+sentinel://:hunter2@h1/mymaster?pasword=x' })).toThrow(
      /REDIS_URL: unknown parameter pasword/,
    );
    expect(() => loadConfig({ REDIS_URL: 'redis+sentinel://:hunter2@h1/mymaster?pasword=x' })).not.toThrow(/hunter2/);
  });

  test('LINLI_QUEUE_PREFIX becomes the hash-tagged prefix every key carries', () => {
    expect(loadConfig({}).queuePrefix).toBe('{linli}');
    expect(loadConfig({ LINLI_QUEUE_PREFIX: 'linli-staging' }).queuePrefix).toBe('{linli-staging}');
    expect(() => loadConfig({ LINLI_QUEUE_PREFIX: 'two words' })).toThrow(/LINLI_QUEUE_PREFIX/);
  });

  test('LINLI_TRUST_PROXY: none by default; addresses, hop counts and true are read', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ LINLI_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('127.0.0.1,10.0.0.0/8');
    expect(loadConfig({ LINLI_TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
    expect(loadConfig({ LINLI_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ LINLI_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => loadConfig({ LINLI_TRUST_PROXY: 'nginx.local' })).toThrow(/LINLI_TRUST_PROXY: "nginx.local" is not an address/);
  });
});
