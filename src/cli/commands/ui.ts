import { createJsonlStore } from '../../history/jsonl-store.ts';
import { startUiServer } from '../../ui/server.ts';
import { CliError, defineCommand } from '../command.ts';

export default defineCommand({
  name: 'ui',
  summary: 'Serve the local viewer: live run list, statecharts with active states, timelines, replay scrubber.',
  usage: 'ui [--port N] [--host H] [--token T]',
  options: { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } },
  async run({ values, io }) {
    const port = values.port === undefined ? 4400 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be an integer 0..65535, got ${JSON.stringify(values.port)}`);
    const token = values.token ?? io.env.ORCHESTAI_UI_TOKEN;
    let ui;
    try {
      ui = await startUiServer({ store: createJsonlStore(io.env.ORCHESTAI_HOME), port, host: values.host, token, cwd: io.cwd });
    } catch (e: any) {
      if (e?.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use: pass --port <other> (or --port 0 for any free port)`);
      throw new CliError(String(e?.message ?? e));
    }
    io.out(`orchestai ui: ${ui.url}`);
    io.out('Ctrl-C to stop.');
    // Serve until interrupted; close cleanly so the port is freed.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await ui.close();
    return 0;
  },
});
