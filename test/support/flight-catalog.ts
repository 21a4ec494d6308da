import type { Catalog } from '../../planner/types.ts';

/**
 * A five-tool untyped catalog with a graph, for the general planner's tests: only search_flights
 * feeds book_flight; the booking feeds both the calendar and the e-mail; two tools feed send_email.
 */
export const FLIGHT_CATALOG: Catalog = {
  tools: [
    { name: 'search_flights', description: 'Find flights between two cities on a date' },
    { name: 'book_flight', description: 'Book a seat on a chosen flight' },
    { name: 'send_email', description: 'Send an email message to a recipient' },
    { name: 'get_weather', description: 'Get the weather forecast for a city' },
    { name: 'create_calendar_event', description: "Add an event to the user's calendar" },
  ],
  links: [
    { source: 'search_flights', target: 'book_flight' }, { source: 'book_flight', target: 'send_email' },
    { source: 'book_flight', target: 'create_calendar_event' }, { source: 'get_weather', target: 'send_email' },
  ],
};
