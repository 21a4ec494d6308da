import { createJsonlStore } from '../../history/jsonl-store.ts';
import { ROLES, TokenStore, type Role } from '../../server/tokens.ts';
import { CliError, defineCommand } from '../command.ts';

export default defineCommand({
  args: [
    { name: 'action', help: 'create (prints the secret once), list, or revoke <id>' },
    { name: 'id', help: 'revoke: the token id (see `orchestai token list`)', required: false },
  ],
  options: {
    role: { help: 'create: what the token may do: viewer (read), operator (+ start, approve, cancel, plan), admin (+ tokens, prune)', choices: [...ROLES] },
    name: { help: 'create: a name to recognise the token by (shown in lists and recorded as who approved)', value: 'name' },
  },
  help: [
    'Tokens for `orchestai server`, kept in <store>/tokens.json (mode 0600) as SHA-256 hashes; a secret cannot be shown again.',
    'Examples:',
    '  orchestai token create --role admin --name me',
    '  orchestai token create --role operator --name ci',
    '  orchestai token list',
    '  orchestai token revoke 3fa9c1d2e4b5',
  ].join('\n'),
  async run({ positionals, values, io }) {
    const [action, id] = positionals;
    const tokens = new TokenStore(createJsonlStore(io.env.ORCHESTAI_HOME).root);
    if (action === 'create') {
      if (!values.role) throw new CliError(`token create needs --role ${ROLES.join('|')}`);
      const t = tokens.create(values.role as Role, values.name);
      if (values.json) io.out(JSON.stringify(t));
      else {
        io.out(t.secret);
        io.err(`token ${t.id} (${t.role}${t.name ? `, ${t.name}` : ''}) created; the secret above is shown only this once`);
      }
      return 0;
    }
    if (action === 'list') {
      const list = tokens.list();
      if (values.json) io.out(JSON.stringify({ tokens: list }));
      else if (list.length === 0) io.out(`no tokens in ${tokens.file}; create one with \`orchestai token create --role admin\``);
      else for (const t of list) io.out(`${t.id}  ${t.role.padEnd(8)}  ${t.created}  ${t.name ?? ''}`.trimEnd());
      return 0;
    }
    if (action === 'revoke') {
      if (!id) throw new CliError('token revoke needs a token id (see `orchestai token list`)');
      if (!tokens.revoke(id)) throw new CliError(`no token ${JSON.stringify(id)} in ${tokens.file}`);
      if (values.json) io.out(JSON.stringify({ revoked: id }));
      else io.out(`token ${id} revoked`);
      return 0;
    }
    throw new CliError(`unknown token action ${JSON.stringify(action)}: create, list or revoke`);
  },
});
