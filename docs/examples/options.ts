// Every option of distil() in one place: `npx tsx docs/examples/options.ts [dir]`.
// The lines go to support.jsonl and triage.jsonl in `dir` (kept), else in a temporary directory (removed).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { distil, type CaptureError } from 'fn-distil';

const Reply = Type.Object(
  { category: Type.Union([Type.Literal('billing'), Type.Literal('bug'), Type.Literal('other')]), reply: Type.String() },
  { $id: 'SupportReply', description: 'How to answer a support email' },
);

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'fn-distil-options-'));
const filename = join(dir, 'support.jsonl');
const problems: CaptureError[] = [];

async function answerEmail(email: string, customer: { id: string; plan: string }) {
  // In real life: several LLM calls, validation and post-processing.
  const category = email.includes('invoice') ? 'billing' : email.includes('crash') ? 'bug' : 'other';
  return { category, reply: `Hello, thanks for writing about ${category} (plan ${customer.plan}).` } as const;
}

const answer = distil(answerEmail, Reply, {
  name: 'answer_email', // the name the model sees: Return answer_email(...)
  description: 'Classifies a support email and drafts a reply.', // added to the system prompt
  includeSource: false, // true puts the whole source in the system prompt
  format: 'tools', // 'messages' | 'tools' | 'json' | 'raw'
  toolName: 'SupportReply', // default: the schema's $id, else its title
  toolDescription: 'The category and reply for one email', // default: the schema's description
  sampleRate: 1, // record every call (0.1 would record about one in ten)
  redact: (example) => {
    // Scrub customer ids before they reach the dataset; return undefined to drop an example.
    const text = JSON.stringify(example).replace(/cus_[A-Za-z0-9]+/g, 'cus_REDACTED');
    return JSON.parse(text) as typeof example;
  },
  transports: [new winston.transports.File({ filename })], // default: <name>.jsonl in the working directory
  onError: (error) => problems.push(error), // default: one process warning
  maxBufferedBytes: 8 * 1024 * 1024, // memory for examples waiting on a slow disk; beyond it, a temp file
});

console.log(await answer('My invoice is wrong', { id: 'cus_42abc', plan: 'pro' }));
console.log(await answer('The app crashes on start', { id: 'cus_77xyz', plan: 'free' }));
await answer.close();
// Still answered, but too late to be written: reported to onError, never thrown.
await answer('One more thing', { id: 'cus_1', plan: 'pro' });

// `logger` instead of `transports`: write through a winston logger you already have.
const logger = winston.createLogger({ transports: [new winston.transports.File({ filename: join(dir, 'triage.jsonl') })] });
const triage = distil(answerEmail, Reply, { name: 'triage_email', format: 'json', logger });
await triage('Where is my invoice?', { id: 'cus_9', plan: 'team' });
await triage.close(); // the examples are written; the logger stays open
logger.end(); // the logger is yours to end
await new Promise((resolve) => logger.on('finish', resolve));

const lines = readFileSync(filename, 'utf8').trim().split('\n');
console.log(`${lines.length} examples, customer ids redacted: ${!lines.some((line) => /cus_(?!REDACTED)/.test(line))}`);
console.log(`capture problems: ${problems.map((problem) => problem.stage).join(', ') || 'none'}`);
console.log(`through the logger: ${readFileSync(join(dir, 'triage.jsonl'), 'utf8').trim().split('\n').length} example`);
if (process.argv[2] === undefined) rmSync(dir, { recursive: true });
