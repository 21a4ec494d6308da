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
    'shorten {it} to a paragraph', 'digest {it} for me', 'give me the highlights of {it}',
    'tell me briefly what {it} is about', 'cut {it} down to the essentials',
    'give me the key takeaways of {it}', 'write a brief of {it}', 'summarize {it} in plain words', 'skim {it} and sum it up',
    'sumarise {it}', 'summrize {it}', 'condense {it}',
    'turn {it} into a short summary', 'reduce {it} to a few lines', 'explain {it} to me in brief',
    'tldr for {it} please', 'give me the short version of {it}', 'give me a condensed version of {it}', 'give me an overview of {it}',
    'write a synopsis of {it}', 'give me the cliff notes of {it}', 'sum {it} up in a nutshell', 'give me a rundown of {it}',
    'break {it} down for me in a few sentences', 'write a blurb about {it}', 'summarise {it} in a paragraph or two',
  ],
  F: [
    'pull the figures out of {it}', 'extract the charts and figures from {it}', 'grab the tables and figures in {it}',
    'collect the key numbers and figures from {it}', 'find the diagrams in {it}', 'list the figures in {it}',
    'extract every figure and table from {it}', 'extract the figures from {it}', 'get the figures and tables from {it}',
    'list the figure captions in {it}', 'show me which charts and tables {it} contains', 'pull the diagrams and their captions from {it}',
    'find every chart in {it}', 'catalogue the tables in {it}', 'list the images and figures of {it}', 'get the figure labels from {it}',
    'extract the figures and their captions from {it}',
    'enumerate the tables and figures of {it}', 'list the illustrations in {it}', 'tell me which diagrams {it} has',
    'find the exhibits in {it}',
  ],
  K: [
    'extract the keywords from {it}', 'list the key terms in {it}', 'pull out the main topics of {it}',
    'find the keywords in {it}', 'tag {it} with keywords', 'identify the key phrases in {it}',
    'get the top keywords of {it}', 'extract keywords from {it}', 'pull keywords out of {it}', 'get the keywords of {it}',
    'pull the keyphrases from {it}', 'find the main themes of {it}', 'list the important terms in {it}', 'give me keyword tags for {it}',
    'list the buzzwords in {it}', 'extract the key concepts of {it}', 'get the keywrods of {it}',
    'identify the topics that {it} covers', 'list the main keywords of {it}',
    'kw for {it}', 'list the key words of {it}', 'give me the main terms of {it}', 'suggest tags for {it}',
    'find the standout terms in {it}', 'give me hashtags for {it}', 'find the search terms for {it}',
  ],
  M: [
    'analyse the sentiment of {it}', 'analyze the sentiment of {it}', 'work out the tone of {it}',
    'check whether {it} sounds positive or negative', 'gauge the mood of {it}', 'run sentiment analysis on {it}',
    'tell me if {it} reads as positive or negative', 'score the sentiment of {it}', 'detect the sentiment of {it}',
    'classify the sentiment of {it}',
    'find out whether {it} is positive or negative', 'judge whether {it} is happy or angry', 'check the mood of {it}',
    'see if {it} sounds pleased or annoyed', 'rate how positive or negative {it} is', 'figure out how the writer of {it} feels',
    'detect the emotion in {it}', 'read the tone of {it}', 'check if {it} is cheerful or gloomy', 'do opinion mining on {it}',
    'measure how satisfied or frustrated {it} sounds', 'analyse the attitude in {it}',
    'assess the feelings expressed in {it}', 'tell me whether {it} is a complaint or praise',
    'do a quick vibe check of {it}', 'tell me how {it} comes across', 'check if {it} sounds too negative', 'tell me if {it} is upbeat or sad',
    'see how upbeat {it} is', 'tell me if {it} feels gloomy or warm', 'gauge how angry the people in {it} are',
  ],
  T: [
    'count the words in {it}', 'compute text statistics for {it}', 'get the word count and reading time of {it}',
    'measure the length and readability of {it}', 'give me word and sentence counts for {it}',
    'work out how long {it} is to read', 'calculate text stats for {it}', 'get text statistics for {it}',
    'compute readability scores for {it}',
    'estimate the reading time of {it}', 'score the readability of {it}', 'get the Flesch reading ease of {it}',
    'work out the grade level of {it}', 'count the sentences and words of {it}',
    'measure how long {it} is', 'tell me the length of {it} in words', 'compute the word count of {it}',
    'get a readability score and word count for {it}', 'check the reading level of {it}', 'count words in {it}',
    'give me the stats on the length of {it}',
    'work out the reading age of {it}', 'find out how many words long {it} is', 'see whether kids could read {it}', 'get the Flesch-Kincaid grade of {it}', 'check how long {it} takes to read',
  ],
  H: [
    'convert {it} to HTML', 'turn {it} into a web page', 'render {it} as HTML', 'make an HTML version of {it}',
    'publish {it} as an HTML page', 'transform the markdown in {it} into HTML', 'convert {it} into HTML', 'export {it} as HTML',
    'make {it} into a webpage', 'turn {it} into HTML', 'render {it} to an html file', 'generate a web page from {it}',
    'convert the markdown of {it} to a web page', 'format {it} as HTML', 'htmlify {it}',
    'convert {it} to html',
    'publish {it} online as a page', 'make {it} web-ready', 'do an html export of {it}', 'get {it} into HTML',
    'put {it} on the website as HTML', 'convert {it} for the CMS',
  ],
};

/** Possessive phrasings, used once the object has been named ("... and extract its keywords"). */
export const INTENT_VERBS_ITS: Record<Intent, readonly string[]> = {
  S: ['summarise its content', 'summarize its main points', 'write up its gist', 'sum up what it says', 'recap its main points'],
  F: ['extract its figures', 'pull out its figures and tables', 'list its charts', 'find its tables'],
  K: ['extract its keywords', 'list its key terms', 'tag its main topics', 'pull its key phrases', 'list its themes'],
  M: ['analyse its sentiment', 'check its tone', 'score its mood', 'judge its mood', 'tell me how positive it is', 'gauge its emotional tone'],
  T: ['count its words', 'compute its text statistics', 'measure its reading time', 'score its readability', 'get its word count', 'estimate its reading time'],
  H: ['convert its markdown to HTML', 'render its content as HTML', 'make it a web page', 'export it to HTML'],
};

export const INTENT_NOUNS: Record<Intent, readonly string[]> = {
  S: ['a summary', 'an executive summary', 'a short recap', 'the gist', 'a brief overview', 'a synopsis', 'an abstract', 'a tl;dr', 'the highlights', 'the key takeaways', 'a digest', 'a quick summary', 'a summery', 'a tldr', 'the short version', 'a condensed version', 'an overview', 'the cliff notes', 'a rundown', 'a blurb', 'a precis'],
  F: ['the figures', 'the key figures', 'the charts and tables', 'the diagrams', 'the main figures', 'its tables and figures', 'the figure captions', 'a list of its charts', 'the tables', 'the images and captions', 'the illustrations', 'every table and figure', 'the exhibits'],
  K: ['the keywords', 'the key terms', 'the main topics', 'a keyword list', 'keyword tags', 'the key phrases', 'the keyphrases', 'the main themes', 'the important terms', 'topic tags', 'kw', 'the key words', 'the main terms', 'hashtags', 'the standout terms', 'search terms'],
  M: ['the sentiment', 'the overall tone', 'a sentiment score', 'the mood', 'a positive/negative reading', 'the emotional tone', 'the overall feeling', 'a mood check', 'the tone', 'the vibe', 'a sentiment rating', 'the attitude', 'how upbeat it is', 'the emotional temperature', 'whether it sounds gloomy'],
  T: ['word counts', 'text statistics', 'the reading time', 'length statistics', 'readability stats', 'a word count', 'the readability score', 'the grade level', 'the Flesch score', 'a sentence count', 'the length in words', 'the reading age', 'the reading level', 'how long it takes to read', 'a readability check', 'its length in words'],
  H: ['an HTML version', 'an HTML page', 'a web page version', 'a webpage', 'HTML output', 'an html export', 'a web version', 'a web-ready version'],
};

export const DECK_VERBS = [
  'turn {it} into a slide deck', 'make a presentation out of {it}', 'build slides from {it}', 'render a deck from {it}',
  'create a PowerPoint from {it}', 'produce a slide deck based on {it}', 'make a pitch deck from {it}',
  'prepare presentation slides about {it}', 'export a deck file from {it}', 'make slides out of {it}',
  'I need a deck built from {it}', 'convert {it} into a presentation', 'do a deck on {it}',
  'make a slideshow from {it}', 'whip up a quick deck on {it}', 'put together a short presentation on {it}',
  'prepare a talk deck from {it}', 'turn {it} into Keynote-style slides',
];
export const DECK_NOUNS = ['a slide deck', 'a presentation', 'a deck of slides', 'slides', 'a PowerPoint deck', 'a pitch deck', 'a deck', 'some slides', 'a short talk deck', 'a slideshow', 'a few slides', 'a presentation deck', 'a short presentation'];

export const OUTLINE_VERBS = [
  'outline slides for {it} without rendering them', 'draft a slide-by-slide structure for {it}',
  'sketch the slide structure for {it}, no need to render', 'plan the slides for {it} but do not build the deck file',
  'structure {it} into slides, outline only', 'lay out the slide outline for {it} (no rendering)',
  'the slide plan for {it} only, skip the rendering', 'work out which slides {it} needs, but leave the deck file to me',
  'only sketch an outline of slides for {it}; the design is mine', 'give me the slide outline for {it}, no file needed',
];
export const OUTLINE_NOUNS = ['a slide outline', 'a slide structure (not rendered)', 'an outline of the slides, unrendered', 'a slide-by-slide plan without the deck file'];

export const REPORT_CLAUSES = [
  'put everything into a report', 'compile the results into one report', 'combine it all into a report',
  'write up a report with the findings', 'assemble a final report', 'wrap the results up in a report',
  'merge the findings into a single report', 'produce a combined report', 'write it all up as a report',
  'put the results together in one report', 'bundle everything into a report', 'make a report out of the results',
  'collect it all in a single report document',
  'write it up', 'give me a write-up of the results', 'put it all in a report file', 'everything in a single report file',
];
export const REPORT_NOUNS = ['a report', 'a single report', 'a combined report', 'one consolidated report', 'a short report', 'a write-up', 'a one-page report', 'a report file'];

export const MAKE = ['make', 'create', 'produce', 'build', 'put together', 'prepare', 'generate'];
export const GET = ['get me', 'give me', 'find', 'show me', 'extract', 'pull out', 'I want'];

export const OPENERS = [
  '', '', '', 'please ', 'can you ', 'could you please ', 'I need you to ', 'hey, ', 'quick task: ', "I'd like you to ",
  'would you ', 'go ahead and ', 'help me ', 'kindly ', 'pls ', 'for the team meeting, ', 'i need to ', 'just ',
  'real quick: ', 'when you get a chance, ', 'would you mind if you ', 'u there? ', 'ok, ', 'so, ',
];
export const CLOSERS = [
  '', '', '', '', ' Thanks!', ' Thank you.', ' Keep it short.', ' No rush.', ' ASAP please.', ' Cheers.', ' Appreciate it.', ' thx',
  ' ty!', ' Thanks in advance.', ' That would help a lot.', ' Nothing else needed.', ' That is all.',
];

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
export const DOC_EXTS = ['.md', '.md', '.md', '.md', '.txt', '.txt', '.html', '.html', '.pdf', '.htm', '.markdown'];
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
  'Please read the attached guidelines before the workshop on 3 June.',
  'The chart on page four shows a 20% drop in visits after the redesign.',
  'Our team counted 1,200 words in the draft and cut it down to 800.',
  'The keynote was long, the slides were hard to read, and the coffee ran out by ten.',
  'Figure 2 compares the two models; table 3 lists the sample sizes.',
  'Sales in the north region rose by a third, driven by two new stores.',
  'From Monday the canteen opens at 8:00 and closes at 15:30.',
  'Honestly one of the best books I have read this year, though the ending drags.',
  'Students who read for twenty minutes a day scored higher on every test.',
];
export const MD_QUOTES = [
  '# Release notes\n- faster search\n- dark mode',
  '## Agenda\n1. intro\n2. budget\n3. questions',
  '**Important:** the office is closed on Friday.',
  '# Hello\nThis is *my* first post.',
  '- milk\n- eggs\n- bread',
  '1. Open the app\n2. Tap *Settings*\n3. Choose **Sync**',
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
  'a site for a kayak rental on the lake', 'a page for a community choir', 'a store page for handmade candles',
  'a homepage for a tutoring service', 'a launch page for a language-learning app', 'a gallery site for a painter',
  'a site for a car repair garage', 'an info page for a summer camp', 'a menu page for a ramen bar',
  'a website for an accountancy practice', 'a site for a physiotherapy clinic', 'a homepage for an independent bookshop',
  'a site for a cycling club', 'a landing page for a craft brewery', 'a website for a nursery school',
  'a wiki-style page for our board game rules', 'a contact page for a plumbing company',
];
export const SITE_DIRS = ['./site', 'out/', 'public/', '~/sites/new/', 'dist/', '/var/www/html/', 'build/web/'];

export const SPEC_VERBS = [
  'write a product spec for {brief}', 'draft the requirements for {brief}', 'have the product manager spec out {brief}',
  'turn this idea into a spec: {brief}', 'write user stories and acceptance criteria for {brief}',
  'just plan the features of {brief}, no code yet', 'produce a requirements document for {brief}',
  'spec only: {brief}',
];
export const CODE_VERBS = [
  'build {brief}', 'code {brief}', 'make me {brief}', 'create {brief}', 'develop {brief}', 'put together {brief}',
  'spec and code {brief}', 'write the HTML and CSS for {brief}', 'implement {brief}', 'whip up {brief}',
  'I need {brief}', 'set up {brief}', 'make a website: {brief}', 'can you build me {brief}', 'design and build {brief}',
  'program {brief}', 'get {brief} made', 'knock together {brief}', 'write the code for {brief}',
  'spin up {brief}', 'throw together {brief}', 'get {brief} built', 'spec and build {brief}',
  'build a static site: {brief}', 'get the team to build {brief}',
];
export const REVIEW_CLAUSES = [
  'have it code-reviewed', 'get a reviewer to check it', 'add a code review', 'review the code',
  'make sure someone reviews the result', 'run it past a reviewer', 'have the code checked', 'get it reviewed before I see it',
  'double-check the code', 'ask a reviewer to look it over', 'have it checked by a reviewer before you finish', 'have someone go over the code',
  'get a second pair of eyes on it',
  'QA it before handing it over', 'review it against the requirements doc', 'verify the links and the alt text',
  'see that it passes a review', 'test it against the requirements',
];
export const WRITE_CLAUSES = [
  'write the files to disk', 'save the site to {dir}', 'write everything into {dir}', 'save the output files',
  'write the pages out to {dir}', 'store the generated files in {dir}', 'put the files in {dir}',
  'save it all under {dir}', 'the files should go to {dir}',
  'drop everything in {dir}', 'use {dir} as the output folder', 'export the files to {dir}', 'dump the pages in {dir}',
];

export const TABLE_VERBS = [
  'compute summary statistics for {csv}', 'give me the column stats of {csv}', 'describe the data in {csv}',
  'calculate mean, median and totals for {csv}', 'profile the columns in {csv}', 'tabulate the numbers in {csv}',
  'crunch the numbers in {csv}', 'get descriptive stats for {csv}',
  'summarise the columns of {csv} in a table', 'run the numbers on {csv}',
  'get per-column statistics for {csv}', 'show basic stats for {csv}', 'work out the totals and averages in {csv}',
  'give me a stats table of {csv}',
];
/** Questions that ask for column statistics ("what's the mean of each column in {csv}?"). */
export const TABLE_QUESTIONS = [
  'per column of {csv}, what are the lowest, highest and average values', 'what are the averages and totals in {csv}',
  'how are the values in {csv} distributed', 'what do the columns of {csv} look like, statistically',
];
export const TABLE_NOUNS = ['stats', 'column statistics', 'a stats table', 'the summary statistics', 'per-column numbers'];
export const CHART_NOUNS = ['a bar chart', 'a chart', 'a plot', 'a line graph', 'a graph'];

export const CHART_VERBS = [
  'chart {csv}', 'plot the data in {csv}', 'make a bar chart from {csv}', 'draw a graph of {csv}', 'visualise {csv}',
  'visualize the figures in {csv}', 'render a chart of the numbers in {csv}', 'graph the columns of {csv}',
  'make a line chart of {csv}', 'plot {csv}', 'graph {csv} for me', 'draw a bar graph of {csv}', 'show {csv} as a chart',
  'visualize the trend in {csv}', 'turn {csv} into a chart', 'make a pie chart of {csv}', 'chart the numbers from {csv}',
];

/** Words for made-up folder and file names, so the model meets paths it has never seen and learns to ignore them. */
export const PATH_WORDS = [
  'alpha', 'beta', 'misc', 'work', 'project', 'client', 'acme', 'team', 'q1', 'q4', 'old', 'new', 'final', 'v3', 'tmp',
  'shared', 'export', 'input', 'results', 'notes', 'drafts', 'scratch', 'backup', 'nov', 'berlin', 'ops', 'sales', 'hr',
];

/** Where outputs go, for instructions that name a folder (the `outDir` slot). */
export const OUTDIR_CLAUSES = [', and save it to {dir}', '; put the output in {dir}', ' (output folder: {dir})', ', saving the result under {dir}', ' and store it in {dir}'];

/**
 * Questions that ask for one intent ("is {it} positive or negative?"): users ask as often as they
 * command, and a question names the result it wants rather than the action.
 */
export const INTENT_QUESTIONS: Record<Intent, readonly string[]> = {
  S: [
    'what is {it} about', 'can you sum up {it}',
    'what are the main points of {it}', 'in two or three sentences, what does {it} cover', 'what is the upshot of {it}',
    'what does {it} boil down to', 'could you tell me in two lines what {it} says',
  ],
  F: [
    'what charts and tables does {it} have',
    'are there any tables in {it}, and what are they', 'does {it} contain any charts, and which', 'what figures appear in {it}',
    'list the diagrams {it} has and their captions',
  ],
  K: [
    'what are the keywords of {it}', 'what are the main themes in {it}',
    'which terms matter most in {it}', 'what subjects does {it} keep returning to', 'what would be good tags for {it}',
  ],
  M: [
    'is {it} positive or negative', 'how does the author of {it} feel', 'is the tone of {it} cheerful or grim',
    'does {it} sound happy or annoyed', 'how positive is {it}', 'is {it} a complaint', 'what is the sentiment of {it}',
    'how angry is {it}', 'do you think {it} is critical or kind', 'how annoyed is the writer of {it}', 'is {it} friendly or hostile',
  ],
  T: [
    'how readable is {it}', 'what grade level is {it} written at',
    'what is the reading time of {it}', 'how many sentences does {it} have', 'how many minutes does {it} take to get through',
    'is {it} hard going', 'how hard is {it} to read',
  ],
  H: ['can {it} be turned into HTML', 'could you make {it} a web page', 'can I get {it} as HTML'],
};

/**
 * Sentences that give context and ask for nothing ("I'm in a hurry."): real requests carry them,
 * and a planner must not read a step into them.
 */
export const FILLERS = [
  "I'm in a hurry.", 'This is for tomorrow morning.',
  "I'm preparing for a call.", 'It came in this morning.', 'We discussed it last week.', 'No need for anything fancy.',
  "I'm new to this project.", 'It is for a client meeting.', 'Sorry for the short notice.', "It's pretty long.",
  "I'm reviewing it before Friday.", 'A colleague sent it over.', 'Just the basics please.', 'This is my first time using this.',
  'Hi there!', 'Morning!', 'Quick one.', 'Hey,',
  "No time to go through it myself.", "I haven't opened it yet.", 'It was exported from our website.',
  "It's a bit of a mess, sorry.", 'My manager asked for this.', "It's for the weekly update.",
];

/**
 * Things no worker of the built-in catalog does, asked for alongside a doable request ("... Then
 * mail the result to Dana."). The gold DAG is the doable part only: the model must plan what it can and not
 * turn an unknown clause into a step; saying that a clause is left undone is the open-world
 * check's job (planner/open-world.ts), not the model's.
 */
export const UNDOABLE_CLAUSES = [
  'mail the result to {person}', 'send it over to {person} by email', 'forward the result to {person}', 'share it with {person} on Slack',
  'post the result in our Teams channel', 'have it translated to {lang}', 'make paper copies for {person}', 'upload it to Google Drive',
  'tweet it from the company account', 'schedule a call with {person} about it', 'add it to the shared calendar',
  'back it up to the NAS', 'fax it to the head office', 'attach it to the Jira ticket', 'ping {person} on WhatsApp when it is done',
  'archive the original afterwards', 'encrypt the output', 'read it aloud to me', 'open a pull request with it',
  'run a spelling check on it', 'proofread it for typos', 'deploy it to our hosting', 'print it out', 'add it to a Google Slides presentation',
  'register a domain name for it', 'file a bug for every problem', 'shrink the image files', 'resize the pictures', 'remind me about it next week',
];
export const PEOPLE = ['Dana', 'the client', 'the whole team', 'legal', 'my manager', 'Ahmed', 'the board'];
export const LANGUAGES = ['French', 'German', 'Portuguese', 'Korean', 'Italian', 'Dutch'];

