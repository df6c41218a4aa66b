import type OpenAI from 'openai';
import { ConfigurationError } from '../errors.js';
import { withServerErrors } from './error-bodies.js';

/**
 * The client to call the model with: the given one, or one made from the environment on first
 * use (`openai` is loaded only then, so `distil()` users need not install it), reading the
 * error bodies of servers that do not answer in OpenAI's shape.
 */
export function lazyClient(given: OpenAI | undefined): () => Promise<OpenAI> {
  let client: Promise<OpenAI> | undefined = given === undefined ? undefined : Promise.resolve(withServerErrors(given));
  return () =>
    (client ??= import('openai').then(
      (module) => {
        try {
          return withServerErrors(new module.default());
        } catch (cause) {
          client = undefined;
          throw new ConfigurationError(
            'client',
            `No OpenAI client could be made from the environment (${(cause as Error).message}). Set OPENAI_API_KEY (and OPENAI_BASE_URL for another server) or pass \`client\`.`,
            { cause },
          );
        }
      },
      (cause: unknown) => {
        client = undefined;
        throw new ConfigurationError('client', 'swap() needs the `openai` package (6.47 or later): npm install openai@^6.47.', { cause });
      },
    ));
}
