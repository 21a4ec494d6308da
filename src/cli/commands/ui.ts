import { createJsonlStore } from '../../history/jsonl-store.ts';
import { startUiServer } from '../../ui/server.ts';
import { runControl } from '../../operations/control.ts';
import { CliError, defineCommand } from '../command.ts';
import { untilStopSignal } from '../signals.ts';
import { port as portNumber } from '../options.ts';

export default defineCommand({
  options: {
    port: { help: 'the port to listen on, 0 for any free one', parse: portNumber, default: 4400 },
    host: { help: 'the address to listen on; off loopback a --token is required', value: 'host', defaultText: '127.0.0.1' },
    token: { help: 'a secret of 8 characters or more that every request must carry', value: 'token', defaultText: '$ORCHESTAI_UI_TOKEN' },
  },
  async run({ values, io }) {
    const port = values.port;
    const token = values.token ?? io.env.ORCHESTAI_UI_TOKEN;
    let ui;
    try {
      const store = createJsonlStore(io.env.ORCHESTAI_HOME);
      // The page's Approve / Reject / Cancel buttons go through the same checks as `orchestai approve`.
      ui = await startUiServer({ store, port, host: values.host, token, cwd: io.cwd, control: runControl(store) });
    } catch (e: any) {
      if (e?.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use: pass --port <other> (or --port 0 for any free port)`);
      throw new CliError(String(e?.message ?? e));
    }
    io.out(`orchestai ui: ${ui.url}`);
    io.out('Ctrl-C to stop.');
    await untilStopSignal(); // then close cleanly so the port is freed
    await ui.close();
    return 0;
  },
});
