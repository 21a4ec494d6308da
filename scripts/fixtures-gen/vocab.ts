/**
 * Hand-written phrasings for the default-catalog training set. `{it}` marks where the
 * object goes (a path, a quoted text, or a pronoun after the first mention), so a phrase
 * works both as the first clause and as a later one.
 */

export type Intent = 'S' | 'F' | 'K' | 'M' | 'T' | 'H';

/** Which worker each document intent adds. */
export const INTENT_WORKER: Record<Intent, string> = {
  S: 'summarise',
  F: 'extract-figures',
  K: 'extract-keywords',
  M: 'sentiment',
  T: 'text-stats',
  H: 'markdown-to-html',
};

export const INTENT_VERBS: Record<Intent, readonly string[]> = {
  S: [
    'summarise {it}', 'summarize {it}', 'write a short summary of {it}', 'give me the gist of {it}',
    'condense {it} into a summary', 'produce an executive summary of {it}', 'boil {it} down to the main points',
    'recap {it}', 'tl;dr {it}', 'sum up {it}', 'write a one-paragraph abstract of {it}', 'give a summary of {it}',
    'create a summary of {it}', 'summarise the main points of {it}',
  ],
  F: [
    'pull the figures out of {it}', 'extract the charts and figures from {it}', 'grab the tables and figures in {it}',
    'collect the key numbers and figures from {it}', 'find the diagrams in {it}', 'list the figures in {it}',
    'extract every figure and table from {it}', 'extract the figures from {it}', 'get the figures and tables from {it}',
  ],
  K: [
    'extract the keywords from {it}', 'list the key terms in {it}', 'pull out the main topics of {it}',
    'find the keywords in {it}', 'tag {it} with keywords', 'identify the key phrases in {it}',
    'get the top keywords of {it}', 'extract keywords from {it}', 'pull keywords out of {it}', 'get the keywords of {it}',
  ],
  M: [
    'analyse the sentiment of {it}', 'analyze the sentiment of {it}', 'work out the tone of {it}',
    'check whether {it} sounds positive or negative', 'gauge the mood of {it}', 'run sentiment analysis on {it}',
    'tell me if {it} reads as positive or negative', 'score the sentiment of {it}', 'detect the sentiment of {it}',
    'classify the sentiment of {it}',
  ],
  T: [
    'count the words in {it}', 'compute text statistics for {it}', 'get the word count and reading time of {it}',
    'measure the length and readability of {it}', 'give me word and sentence counts for {it}',
    'work out how long {it} is to read', 'calculate text stats for {it}', 'get text statistics for {it}',
    'compute readability scores for {it}',
  ],
  H: [
    'convert {it} to HTML', 'turn {it} into a web page', 'render {it} as HTML', 'make an HTML version of {it}',
    'publish {it} as an HTML page', 'transform the markdown in {it} into HTML', 'convert {it} into HTML', 'export {it} as HTML',
  ],
};

/** Possessive phrasings, used once the object has been named ("... and extract its keywords"). */
export const INTENT_VERBS_ITS: Record<Intent, readonly string[]> = {
  S: ['summarise its content', 'summarize its main points', 'write up its gist'],
  F: ['extract its figures', 'pull out its figures and tables', 'list its charts'],
  K: ['extract its keywords', 'list its key terms', 'tag its main topics'],
  M: ['analyse its sentiment', 'check its tone', 'score its mood'],
  T: ['count its words', 'compute its text statistics', 'measure its reading time'],
  H: ['convert its markdown to HTML', 'render its content as HTML'],
};

export const INTENT_NOUNS: Record<Intent, readonly string[]> = {
  S: ['a summary', 'an executive summary', 'a short recap', 'the gist', 'a brief overview', 'a synopsis', 'an abstract'],
  F: ['the figures', 'the key figures', 'the charts and tables', 'the diagrams', 'the main figures', 'its tables and figures'],
  K: ['the keywords', 'the key terms', 'the main topics', 'a keyword list', 'keyword tags', 'the key phrases'],
  M: ['the sentiment', 'the overall tone', 'a sentiment score', 'the mood', 'a positive/negative reading'],
  T: ['word counts', 'text statistics', 'the reading time', 'length statistics', 'readability stats', 'a word count'],
  H: ['an HTML version', 'an HTML page', 'a web page version'],
};

export const DECK_VERBS = [
  'turn {it} into a slide deck', 'make a presentation out of {it}', 'build slides from {it}', 'render a deck from {it}',
  'create a PowerPoint from {it}', 'produce a slide deck based on {it}', 'make a pitch deck from {it}',
  'prepare presentation slides about {it}', 'export a deck file from {it}',
];
export const DECK_NOUNS = ['a slide deck', 'a presentation', 'a deck of slides', 'slides', 'a PowerPoint deck', 'a pitch deck'];

export const OUTLINE_VERBS = [
  'outline slides for {it} without rendering them', 'draft a slide-by-slide structure for {it}',
  'sketch the slide structure for {it}, no need to render', 'plan the slides for {it} but do not build the deck file',
  'structure {it} into slides, outline only', 'lay out the slide outline for {it} (no rendering)',
];
export const OUTLINE_NOUNS = ['a slide outline', 'a slide structure (not rendered)', 'an outline of the slides, unrendered', 'a slide-by-slide plan without the deck file'];

export const REPORT_CLAUSES = [
  'put everything into a report', 'compile the results into one report', 'combine it all into a report',
  'write up a report with the findings', 'assemble a final report', 'wrap the results up in a report',
  'merge the findings into a single report', 'produce a combined report',
];
export const REPORT_NOUNS = ['a report', 'a single report', 'a combined report', 'one consolidated report', 'a short report'];

export const MAKE = ['make', 'create', 'produce', 'build', 'put together', 'prepare', 'generate'];
export const GET = ['get me', 'give me', 'find', 'show me', 'extract', 'pull out', 'I want'];

export const OPENERS = [
  '', '', '', 'please ', 'can you ', 'could you please ', 'I need you to ', 'hey, ', 'quick task: ', "I'd like you to ",
  'would you ', 'go ahead and ', 'help me ', 'kindly ', 'pls ', 'for the team meeting, ',
];
export const CLOSERS = ['', '', '', '', ' Thanks!', ' Thank you.', ' Keep it short.', ' No rush.', ' ASAP please.', ' Cheers.', ' Appreciate it.'];

export const PRONOUNS = ['it', 'the document', 'the file', 'the text', 'it'];

export const DIRS = [
  '', '', './', 'docs/', 'reports/2024/', '~/Downloads/', '/home/maria/work/', '/tmp/', 'inbox/', 'shared/team/',
  '../archive/', 'C:/Users/lee/Documents/', 'data/raw/', '/srv/files/', 'notes/',
];
export const DOC_STEMS = [
  'q3-review', 'annual_report_2023', 'thesis-draft', 'board-minutes', 'product-roadmap', 'research_paper',
  'interview-transcript', 'whitepaper-v2', 'onboarding-guide', 'case-study', 'grant-proposal', 'customer_feedback',
  'press-release', 'lecture-notes', 'market-analysis', 'postmortem', 'policy-update', 'quarterly_results',
  'project-plan', 'user-research', 'investor-letter', 'safety-audit', 'strategy2025', 'earnings-call',
  'paper_final', 'proposal', 'report', 'minutes-2024-05-02', 'review', 'survey-writeup',
];
export const DOC_EXTS = ['.md', '.md', '.md', '.md', '.txt', '.txt', '.html', '.pdf', '.htm', '.markdown'];
export const MD_STEMS = ['README', 'notes', 'CHANGELOG', 'blog-post', 'meeting-notes', 'intro', 'guide', 'draft', 'post'];
export const CSV_STEMS = [
  'sales', 'revenue_2023', 'survey-results', 'web-traffic', 'inventory', 'expenses-q2', 'signups', 'temperatures',
  'churn', 'orders', 'budget', 'grades', 'visits_by_day', 'ad-spend', 'latency-samples', 'headcount',
];

export const QUOTES = [
  'The launch went far better than we expected and customers love the new dashboard.',
  'Shipping was late again and support never answered my emails.',
  'Our quarterly revenue grew 12% while costs stayed flat, but churn rose slightly.',
  'I am thrilled with the service, the staff were friendly and quick.',
  'The meeting covered hiring, the office move and the new security policy.',
  'Battery life is poor, the screen scratches easily, and the price is too high.',
  'We propose a pilot in three cities to test demand for same-day delivery.',
  'Honestly the movie was fine: great soundtrack, slow second half.',
  'Remote work improved focus for most of the team but made onboarding harder.',
  'The river cleanup drew 300 volunteers and removed two tonnes of plastic.',
  'Customers report that the checkout page freezes on older phones.',
  'Thank you for a wonderful stay, we will definitely come back next summer.',
  'The committee approved the budget but postponed the vote on the new library.',
  'Deep learning models need large datasets, careful tuning and a lot of compute.',
  'My order arrived broken and the replacement took three weeks.',
  'Attendance at the workshop doubled compared with last year.',
  'The new policy reduces paperwork for small businesses and takes effect in March.',
  'I waited forty minutes for a cold coffee. Never again.',
];
export const MD_QUOTES = [
  '# Release notes\n- faster search\n- dark mode',
  '## Agenda\n1. intro\n2. budget\n3. questions',
  '**Important:** the office is closed on Friday.',
  '# Hello\nThis is *my* first post.',
  '- milk\n- eggs\n- bread',
];

export const BRIEFS = [
  'a landing page for a bakery called Crumbs', 'a portfolio website for a wedding photographer',
  'a personal blog about hiking in the Alps', 'a signup page for a yoga studio', 'a one-page site for a jazz trio',
  'an event page for a hackathon in Lisbon', 'a pricing page for a SaaS invoicing tool', 'a recipe site with a search box',
  'a small online menu for a taco truck', 'a documentation site for an open-source CLI', 'a homepage for a dentist in Leeds',
  'a countdown page for a product launch', 'a resume site for a data scientist', 'a volunteer signup form for a food bank',
  'a fan page for a local football club', 'a landing page for a mobile budgeting app', 'a booking page for a barber shop',
  'a simple todo app', 'a microsite for a museum exhibition on maps', 'a newsletter subscription page',
  'an FAQ page for a coworking space', 'a site for a family-run vineyard', 'a status page for our API',
  'a conference schedule page', 'a pet adoption gallery for an animal shelter', 'a tiny weather dashboard',
  'a wiki-style page for our board game rules', 'a contact page for a plumbing company',
];
export const SITE_DIRS = ['./site', 'out/', 'public/', '~/sites/new/', 'dist/', '/var/www/html/', 'build/web/'];

export const SPEC_VERBS = [
  'write a product spec for {brief}', 'draft the requirements for {brief}', 'have the product manager spec out {brief}',
  'turn this idea into a spec: {brief}', 'write user stories and acceptance criteria for {brief}',
  'just plan the features of {brief}, no code yet', 'produce a requirements document for {brief}',
];
export const CODE_VERBS = [
  'build {brief}', 'code {brief}', 'make me {brief}', 'create {brief}', 'develop {brief}', 'put together {brief}',
  'spec and code {brief}', 'write the HTML and CSS for {brief}', 'implement {brief}', 'whip up {brief}',
];
export const REVIEW_CLAUSES = [
  'have it code-reviewed', 'get a reviewer to check it', 'add a code review', 'review the code',
  'make sure someone reviews the result', 'run it past a reviewer',
];
export const WRITE_CLAUSES = [
  'write the files to disk', 'save the site to {dir}', 'write everything into {dir}', 'save the output files',
  'write the pages out to {dir}', 'store the generated files in {dir}',
];

export const TABLE_VERBS = [
  'compute summary statistics for {csv}', 'give me the column stats of {csv}', 'describe the data in {csv}',
  'calculate mean, median and totals for {csv}', 'profile the columns in {csv}', 'tabulate the numbers in {csv}',
  'crunch the numbers in {csv}', 'get descriptive stats for {csv}',
];
export const CHART_VERBS = [
  'chart {csv}', 'plot the data in {csv}', 'make a bar chart from {csv}', 'draw a graph of {csv}', 'visualise {csv}',
  'visualize the figures in {csv}', 'render a chart of the numbers in {csv}', 'graph the columns of {csv}',
  'make a line chart of {csv}',
];

/** Words for made-up folder and file names, so the model meets paths it has never seen and learns to ignore them. */
export const PATH_WORDS = [
  'alpha', 'beta', 'misc', 'work', 'project', 'client', 'acme', 'team', 'q1', 'q4', 'old', 'new', 'final', 'v3', 'tmp',
  'shared', 'export', 'input', 'results', 'notes', 'drafts', 'scratch', 'backup', 'nov', 'berlin', 'ops', 'sales', 'hr',
];

/** Where outputs go, for instructions that name a folder (the `outDir` slot). */
export const OUTDIR_CLAUSES = [', and save it to {dir}', '; put the output in {dir}', ' (output folder: {dir})', ', saving the result under {dir}', ' and store it in {dir}'];
