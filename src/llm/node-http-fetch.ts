import nodeFetch, { type RequestInit as NodeFetchInit } from 'node-fetch';
import type { ClientOptions } from 'openai';

type Fetch = NonNullable<ClientOptions['fetch']>;

/**
 * The `fetch` the model clients use by default: node-fetch over Node's own http and https modules, whose global
 * agents keep connections alive in Node 20, instead of the built-in fetch.
 *
 * Why: a turn makes two or more model calls, and the built-in fetch (undici with web streams) was the largest
 * single cost of a turn, 14% of the bot's CPU under `npm run bench`; with this one the same benchmark serves
 * 16% more turns a second. The SDK needs nothing node-fetch lacks for chat completions: a string body, headers,
 * an `AbortSignal` (its timeouts and our turn deadline), and a response body it can read as an async iterable,
 * which a Node stream is. Anything else (a streamed or multipart upload) goes to the built-in fetch unchanged.
 */
export const nodeHttpFetch: Fetch = async (input, init) => {
  const body = init?.body;
  const simpleBody = body === undefined || body === null || typeof body === 'string';
  if (!simpleBody || typeof input !== 'string') return fetch(input, init);
  const options: NodeFetchInit = {
    method: init?.method ?? 'GET',
    headers: [...new Headers(init?.headers)],
    ...(typeof body === 'string' ? { body } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
    redirect: init?.redirect ?? 'follow',
  };
  const response = await nodeFetch(input, options);
  // Structurally what the SDK reads of a Response (status, headers, text/json, an async-iterable body); the
  // cast is only across the two libraries' type names.
  return response as unknown as Response;
};
