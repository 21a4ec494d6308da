/**
 * A writer's run was taken over: another holder claimed it after this one's lease expired (or it
 * was released), so this writer's buffered events were not stored. The run goes on elsewhere;
 * this process must stop driving it.
 */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(
    readonly runId: string,
    readonly holder: string,
    detail = 'another holder took it over',
  ) {
    super(`run ${runId}: lease lost by ${holder} (${detail}); its unflushed events were not stored`);
  }
}
