/**
 * The proof's check of each webhook's signature (scripts/proof/checks.ts), as a receiver makes
 * it when the POST arrives: the workers' secret over the id, timestamp and body as received,
 * and a timestamp of that attempt.
 */
import { randomBytes } from 'node:crypto';
import { webhookSigner } from '../../activities/webhook-signature';
import { signedAtArrival } from '../../scripts/proof/checks';
import type { ReceivedRequest } from '../support/webhook-sink';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const SECRET = secret();
const SENT = new Date('2030-01-02T09:30:00.000Z');
const RAW = '{"key":"n-1","text":"Sign off"}';

function arrival(
  headers: Record<string, string>,
  options: { raw?: string; at?: number } = {},
): ReceivedRequest {
  const raw = options.raw ?? RAW;
  return {
    method: 'POST',
    path: '/hook',
    headers,
    body: JSON.parse(raw) as unknown,
    raw,
    at: options.at ?? SENT.getTime() + 300,
  };
}

describe("the proof's webhook signature check", () => {
  const signed = webhookSigner(SECRET)('n-1', RAW, SENT);

  it('passes a webhook signed with the secret over what arrived, just sent', () => {
    expect(signedAtArrival(arrival(signed), SECRET)).toBe(true);
  });

  it('fails an altered body, another secret, no signature or a stale timestamp', () => {
    expect(signedAtArrival(arrival(signed, { raw: RAW.replace('Sign', 'sign') }), SECRET)).toBe(
      false,
    );
    expect(signedAtArrival(arrival(signed), secret())).toBe(false);
    expect(signedAtArrival(arrival({ 'idempotency-key': 'n-1' }), SECRET)).toBe(false);
    // Signed at one attempt, arriving two minutes later: a replay, not this attempt's.
    expect(signedAtArrival(arrival(signed, { at: SENT.getTime() + 120_000 }), SECRET)).toBe(false);
  });
});
