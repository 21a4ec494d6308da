import { browserControl } from '../../ui/browser-control.ts';
import { startUiServer } from '../../ui/server.ts';
import { storeView } from '../../ui/store-view.ts';
import { storeOption } from '../store-option.ts';
import { CliError, defineCommand } from '../command.ts';
import { untilStopSignal } from '../signals.ts';
import { port as portNumber } from '../options.ts';

export default defineCommand({
  options: {
    port: { help: 'the port to listen on, 0 for any free one', parse: portNumber, default: 4400 },
    host: { help: 'the address to listen on; off loopback a --token is required', value: 'host', defaultText: '127.0.0.1' },
    token: { help: 'a secret of 8 characters or more that every request must carry', value: 'token', defaultText: '$ORCHESTAI_UI_TOKEN' },
    store: { help: 'the store to show: a postgres:// URL or a JSONL folder', value: 'url|dir', defaultText: '$ORCHESTAI_STORE, else the JSONL store at $ORCHESTAI_HOME' },
  },
  async run({ values, io }) {
    const port = values.port;
    const token = values.token ?? io.env.ORCHESTAI_UI_TOKEN;
    const opened = await storeOption(values.store, io);
    let ui;
    try {
      const { store } = opened;
      // The page's Approve / Reject / Cancel buttons go through the same checks as `orchestai approve`.
      ui = await startUiServer({ store, port, host: values.host, token, cwd: io.cwd, control: browserControl(storeView(store).browser) });
    } catch (e: any) {
      await opened.close();
      if (e?.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use: pass --port <other> (or --port 0 for any free port)`);
      throw new CliError(String(e?.message ?? e));
    }
    io.out(`orchestai ui: ${ui.url}`);
    io.out('Ctrl-C to stop.');
    await untilStopSignal(); // then close cleanly so the port is freed
    await ui.close();
    await opened.close();
    return 0;
  },
});
