import { createJsonlStore } from '../../history/jsonl-store.ts';
import { NoAdminTokenError, startServer } from '../../server/server.ts';
import { storeOption } from '../store-option.ts';
import { CliError, defineCommand } from '../command.ts';
import { untilStopSignal } from '../signals.ts';
import { port as portNumber, positiveInt } from '../options.ts';

export default defineCommand({
  options: {
    port: { help: 'the port to listen on, 0 for any free one', parse: portNumber, default: 4500 },
    host: { help: 'the address to listen on', value: 'host', defaultText: '127.0.0.1' },
    'max-runs': { help: 'at most this many API-started runs at once; more wait in a queue (JSONL store)', parse: positiveInt, default: 16 },
    store: { help: 'the store to serve: a postgres:// URL (runs started through the API are submitted for `orchestai hub` processes to drive) or a JSONL folder', value: 'url|dir', defaultText: '$ORCHESTAI_STORE, else the JSONL store at $ORCHESTAI_HOME' },
  },
  help: [
    'Every request needs a bearer token with a role (viewer, operator, admin); the server refuses to start without an admin token.',
    'Examples:',
    '  orchestai token create --role admin --name me   # prints the secret once',
    '  orchestai server --port 4500',
    '  orchestai server --store postgres://orchestai@db:5432/orchestai   # hubs run what the API starts',
    '  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:4500/api/runs',
    'The viewer is at http://127.0.0.1:4500/?token=<secret>; the API is described at /api/openapi.json.',
    'The tokens stay in $ORCHESTAI_HOME (else .orchestai/) whichever store is served.',
  ].join('\n'),
  async run({ values, io }) {
    const opened = await storeOption(values.store, io);
    let server;
    try {
      // The tokens stay in the JSONL home whichever store is served.
      const home = createJsonlStore(io.env.ORCHESTAI_HOME).root;
      server = await startServer({ store: opened.store, home, port: values.port, host: values.host, cwd: io.cwd, maxRuns: values['max-runs'] });
    } catch (e: any) {
      await opened.close();
      if (e instanceof NoAdminTokenError) throw new CliError(e.message);
      if (e?.code === 'EADDRINUSE') throw new CliError(`port ${values.port} is in use: pass --port <other> (or --port 0 for any free port)`);
      throw e;
    }
    io.out(`orchestai server: ${server.url} (API: ${server.url}api/openapi.json, metrics: ${server.url}metrics) on ${opened.location}`);
    io.out('Ctrl-C to stop.');
    await untilStopSignal(); // then close cleanly so the port is freed
    await server.close();
    await opened.close();
    return 0;
  },
});
