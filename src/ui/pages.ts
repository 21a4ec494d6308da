import { escapeXml as esc } from '../viz/svg.ts';

/**
 * Server-rendered HTML: the page shell that loads the viewer script, and error pages that say
 * what went wrong without needing any script to run (so a failure is never a blank page).
 */

/**
 * The viewer page shell; `boot` is read by `app.js`.
 *
 * @example
 * shellPage({ storeRoot: '/tmp/s', runId: 'r1', planner: false });
 */
export function shellPage(boot: { storeRoot: string; runId?: string; planner: boolean }): string {
  const json = JSON.stringify(boot).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>orchestai${boot.runId ? ` · ${esc(boot.runId)}` : ''}</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header><a class="brand" href="/">orchestai</a><span class="store" title="store root">${esc(boot.storeRoot)}</span><nav><a href="/" id="nav-runs">Runs</a><a href="/plan" id="nav-plan" ${boot.planner ? '' : 'hidden'}>Plan</a></nav></header>
<noscript><p class="error">This viewer needs JavaScript to show live runs. The JSON API is at <a href="/api/runs">/api/runs</a>.</p></noscript>
<main id="app" data-state="loading"><p class="muted">Loading…</p></main>
<script>window.ORCHESTAI = ${json};</script>
<script type="module" src="/assets/app.js"></script>
</body>
</html>`;
}

/**
 * A complete error page (404 for an unknown run, 422 for an unreadable history, ...).
 *
 * @example
 * errorPage(404, 'No such run', 'There is no run "x" in /tmp/store.');
 */
export function errorPage(status: number, title: string, detail: string, extra: { file?: string; line?: number } = {}): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${status} · ${esc(title)} · orchestai</title><link rel="stylesheet" href="/assets/app.css"></head>
<body>
<header><a class="brand" href="/">orchestai</a></header>
<main class="error-page" data-status="${status}">
<h1>${status} — ${esc(title)}</h1>
<p class="detail">${esc(detail)}</p>
${extra.file ? `<p>File: <code class="file">${esc(extra.file)}</code>${extra.line !== undefined ? ` line <code class="line">${extra.line}</code>` : ''}</p>` : ''}
<p><a href="/">Back to the run list</a></p>
</main>
</body>
</html>`;
}
