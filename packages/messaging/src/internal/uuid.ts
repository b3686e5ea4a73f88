import { randomFillSync } from 'node:crypto';

/** UUIDs made per refill of the random bytes. */
const BATCH = 256;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const random = Buffer.allocUnsafe(16 * BATCH);
/** The batch's UUIDs as text, 36 bytes each, written at refill. */
const text = Buffer.allocUnsafe(36 * BATCH);
let next = BATCH;

const refill = (): void => {
  randomFillSync(random);
  for (let u = 0; u < BATCH; u++) {
    const r = u * 16;
    random[r + 6] = (random[r + 6] & 0x0f) | 0x40; // version 4
    random[r + 8] = (random[r + 8] & 0x3f) | 0x80; // variant 10xx (RFC 9562)
    let at = u * 36;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = 0x2d; // '-'
      const byte = random[r + i];
      text[at++] = HEX[byte >> 4];
      text[at++] = HEX[byte & 0x0f];
    }
  }
  next = 0;
};

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` makes one, from the same source
 * (`randomFillSync`), for the ids of every message on the hot path. It is cut from text
 * written a batch at a time, so each id is one flat string: `randomUUID()` joins 20 pieces
 * per id (about 560 bytes of short-lived strings per message, then flattened again when the
 * id is hashed as a map key).
 */
export const uuid = (): string => {
  if (next === BATCH) refill();
  const at = next++ * 36;
  return text.toString('latin1', at, at + 36);
};
