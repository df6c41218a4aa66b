import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../helpers/cli';

// A --base-url that points at a web page (a server's UI, a proxy's login page) answers 200 with HTML.
const page = '<!doctype html><html><body>Welcome to the dashboard</body></html>';
let server: Server;
let baseUrl: string;
const requests: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a --base-url that answers with a web page instead of the API', () => {
  it.each([
    [['jobs', 'cancel', 'ftjob-1'], 'POST /v1/fine_tuning/jobs/ftjob-1/cancel'],
    [['jobs', 'create-from-id', 'file-1', '--no-wait-for-files'], 'POST /v1/fine_tuning/jobs'],
    [['jobs', 'list'], 'GET /v1/fine_tuning/jobs?limit=20'],
    [['jobs', 'watch', 'ftjob-1', '--poll-interval', '10'], 'GET /v1/fine_tuning/jobs/ftjob-1'],
    [['files', 'list'], 'GET /v1/files?limit=20&order=desc'],
    [['files', 'status', 'file-1'], 'GET /v1/files/file-1'],
  ])('%j fails in one line naming the reply and --base-url, instead of printing an empty list or "undefined"', async (args, request) => {
    requests.length = 0;
    const { code, stdout, stderr } = await runCli([...args, '--base-url', baseUrl, '--max-retries', '0'], { env: { OPENAI_API_KEY: 'test-key' } });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `fn-distil: The server answered ${baseUrl.replace('/v1', '')}${request.split(' ')[1]!.split('?')[0]} with text/html; charset=utf-8, not the API's JSON (it began ${JSON.stringify(page.slice(0, 60))}). ` +
        "Check --base-url / OPENAI_BASE_URL: it must be the API's base URL, such as https://api.openai.com/v1 or http://localhost:8000/v1.\n",
    );
    expect(requests).toEqual([request]);
  });
});
