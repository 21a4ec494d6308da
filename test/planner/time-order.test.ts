import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inTimeOrder } from '../../planner/encode/time-order.ts';
import { createGeneralPlanner, loadGeneralModel } from '../../planner/general/index.ts';
import type { Catalog } from '../../planner/types.ts';

test('a "before" clause that opens a sentence goes after its main clause', () => {
  assert.is(inTimeOrder('Before we refund order 20871, confirm the payment was captured. Then refund it.'), 'confirm the payment was captured, Before we refund order 20871. Then refund it.');
  assert.is(inTimeOrder('Before sending the offer, run a background check'), 'run a background check, Before sending the offer');
});

test('a closing "once"/"after" clause goes before its main clause, in its own comma-segment or not', () => {
  assert.is(inTimeOrder("tell #sre once you've rolled back dep-6610"), "once you've rolled back dep-6610, tell #sre");
  assert.is(inTimeOrder('Buy a label for order 48210, after comparing the carriers\' prices.'), "after comparing the carriers' prices, Buy a label for order 48210.");
  assert.is(inTimeOrder('Merge PR 812 after double-checking its checks, then trigger a pipeline'), 'after double-checking its checks, Merge PR 812, then trigger a pipeline');
});

test('times, chained and fronted clauses keep their order', () => {
  for (const kept of [
    'Give him a detention after school on Thursday.',
    'Before Thursday\'s parents\' evening, may I see her marks?',
    'Deploy art-5521 to staging, and once it\'s in, tell me which version it replaced.',
    'Check the device, and after confirming it works, log me in.',
    'Back up the database after that, then email me.',
    'Water the plants once a week and after every morning shift.',
    'Summarise docs/report.md. Then email it.',
  ]) assert.is(inTimeOrder(kept), kept);
});

test('over a tool list without a graph, a step said after its "before" clause is planned first', () => {
  const tool = (name: string, description: string) => ({ name, description });
  const catalog: Catalog = {
    tools: [
      tool('send_offer_letter', 'Generates and sends a job offer letter to a candidate'),
      tool('run_background_check', 'Starts a criminal and employment background check for a candidate'),
      tool('schedule_interview', 'Books an interview slot between a candidate and interviewers'),
      tool('reject_candidate', 'Sends a rejection email to a candidate and closes the application'),
    ],
    links: [],
  };
  const planner = createGeneralPlanner(loadGeneralModel(), catalog);
  const plan = planner.plan('Before you send the offer to candidate 5, run a background check');
  assert.equal(plan.nodes.map((n) => n.worker), ['run_background_check', 'send_offer_letter']);
  assert.is(plan.instruction, 'Before you send the offer to candidate 5, run a background check');
});

test.run();
