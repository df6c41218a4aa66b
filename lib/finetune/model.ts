import type OpenAI from 'openai';
import { classNames } from '../openai/class-names.js';

/**
 * What the server says of a base model before anything is uploaded for it: `known`, `unknown`
 * (with the server's words), or `unchecked` when the check itself failed (a server without the
 * models endpoint, 405 or 501, a network error): the job creation will say then.
 */
export type BaseModelCheck = { readonly status: 'known' } | { readonly status: 'unknown'; readonly reason: string } | { readonly status: 'unchecked' };

/**
 * Asks the server for `model` (`GET /models/{model}`). A 404 means unknown, unless the server's
 * model list (`GET /models`) holds it: a server may not serve one model by id, or may not take
 * an id with a `/` (`Qwen/Qwen2.5-7B`, sent as `Qwen%2FQwen2.5-7B`), and still fine-tune it.
 */
export async function checkBaseModel(client: OpenAI, model: string): Promise<BaseModelCheck> {
  try {
    await client.models.retrieve(model);
    return { status: 'known' };
  } catch (error) {
    if (!classNames(error).has('APIError') || (error as { status?: unknown }).status !== 404) return { status: 'unchecked' };
    const listed = await listsModel(client, model);
    if (listed === true) return { status: 'known' };
    return { status: 'unknown', reason: (error as Error).message };
  }
}

/** Whether the server's model list holds `model`, or undefined when it cannot be listed. */
async function listsModel(client: OpenAI, model: string): Promise<boolean | undefined> {
  try {
    for await (const listed of client.models.list()) if (listed.id === model) return true;
    return false;
  } catch {
    return undefined;
  }
}
