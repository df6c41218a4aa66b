import fc from 'fast-check';
import { apiClient, connectionDefaults } from '../../lib/cli/client';
import { describeError } from '../../lib/cli/errors';
import { ConfigurationError } from '../../lib/errors';

const saved = process.env['OPENAI_API_KEY'];
beforeAll(() => (process.env['OPENAI_API_KEY'] = 'test-key'));
afterAll(() => (saved === undefined ? delete process.env['OPENAI_API_KEY'] : (process.env['OPENAI_API_KEY'] = saved)));

describe('apiClient', () => {
  it('uses any http or https URL as the server, as given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }), async (url) => {
        expect((await apiClient({ baseUrl: url })).baseURL).toBe(url);
      }),
    );
  });

  it('refuses anything else with one line naming --base-url and quoting the value', async () => {
    const notHttp = fc.oneof(fc.string(), fc.webUrl({ validSchemes: ['ftp', 'file', 'ws'] }), fc.webUrl().map((url) => url.replace(/^https?:\/\//, ''))).filter((value) => value.trim() !== '' && !/^\s*https?:/i.test(value));
    await fc.assert(
      fc.asyncProperty(notHttp, async (value) => {
        const error = await apiClient({ baseUrl: value }).then(() => undefined, (caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as ConfigurationError).option).toBe('--base-url');
        const line = describeError(error);
        expect(line).toContain(JSON.stringify(value));
        expect(line).not.toContain('\n');
      }),
    );
  });

  it('treats an empty URL as none, as the openai client does', async () => {
    expect((await apiClient({ baseUrl: '' })).baseURL).toBe('https://api.openai.com/v1');
  });

  it('times requests out after a minute unless --timeout says otherwise', async () => {
    expect((await apiClient({})).timeout).toBe(connectionDefaults.timeout);
    expect((await apiClient({ timeout: 1234 })).timeout).toBe(1234);
  });
});
