import { SetMetadata } from '@nestjs/common';

export const NO_IDEMPOTENCY = 'tgp:no-idempotency';

/**
 * Takes a POST route out of `Idempotency-Key` handling (the key is then ignored), with the reason,
 * e.g. a sign-in: its answer carries a fresh credential that must never be handed out twice.
 * The idempotency spec lists every route so marked; a new one has to be added there on purpose.
 */
export function NoIdempotency(reason: string) {
  return SetMetadata(NO_IDEMPOTENCY, reason);
}
