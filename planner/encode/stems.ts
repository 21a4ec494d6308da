import { words } from './features.ts';

/**
 * Word handling shared by the general planner and typed completion: a request and a tool are compared on
 * stemmed content words, so "cancelling my booking" meets `flight_ticket_cancel` and "Booking
 * service". Hand-written because no stemmer ships in our dependencies and a full Porter stemmer
 * buys little over these suffix rules on short tool texts.
 */

/** Function words that name no task ("please help me ..."). */
const STOP = new Set(
  ('a an the to of for and or in on at by with from my me i is are be it this that please help want need ' +
    'would like can could you your we our us will as do does so some any all then also after first next').split(' '),
);

/** True for words that carry no task meaning. */
export function isStopWord(word: string): boolean {
  return STOP.has(word);
}

/**
 * A crude English stem: plural, -ing, -ed, -ion, -ment endings cut, a final "e" and a doubled
 * final consonant dropped, so "change"/"changing", "cancel"/"cancelling", "delete"/"deletion" meet.
 *
 * @example
 * stem('cancelling') === stem('cancel') // true
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let s = word.replace(/ies$/, 'y').replace(/(ications?|ations?|ments?|ings?|ions?|ers?|ed|es|s)$/, '');
  if (s.length < 3) s = word;
  s = s.replace(/e$/, '');
  if (/([b-df-hj-np-tv-z])\1$/.test(s)) s = s.slice(0, -1);
  return s;
}

/**
 * The stemmed content words of a text, in order.
 *
 * @example
 * contentStems('Please cancel my flight bookings') // ['cancel', 'flight', 'book']
 */
export function contentStems(text: string): string[] {
  return words(text).filter((w) => !STOP.has(w)).map(stem);
}
