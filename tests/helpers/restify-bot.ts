import type { CloudAdapter, TurnContext } from 'botbuilder';
import restify from 'restify';

/**
 * A bot behind a real restify server on a free local port, as the samples set one up: `POST /api/messages`
 * through `adapter.process`. `run` is called per turn, so a test may swap the bot it calls between tests.
 */
export async function serveBot(
  adapter: CloudAdapter,
  run: (context: TurnContext) => Promise<void>,
): Promise<{ server: restify.Server; url: string }> {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (request: restify.Request, response: restify.Response) => {
    await adapter.process(request, response, run);
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
