import { fieldOfMessage } from './fieldError';

const FIELDS = {
  expires: /\bexpiresAt\b/,
  riskOwner: /\briskOwner\b/,
  scope: /\bscope\b|matches no finding/,
};

describe('fieldOfMessage', () => {
  it('finds the field a refusal names first', () => {
    expect(fieldOfMessage('expiresAt 2027-06-01T23:59:59.000Z is more than 90 days away (devsecops.exceptions.maxDurationDays)', FIELDS)).toBe('expires');
    expect(fieldOfMessage("Malformed riskOwner 'a:b:c': must be a user or a group", FIELDS)).toBe('riskOwner');
    expect(fieldOfMessage('request/body/riskOwner must NOT have fewer than 1 characters', FIELDS)).toBe('riskOwner');
    expect(fieldOfMessage('The scope matches no finding of component:default/payments-api in control sast', FIELDS)).toBe('scope');
  });

  it('names no field for a refusal about none of them', () => {
    expect(fieldOfMessage('The permission policy does not allow devsecops.exception.request', FIELDS)).toBeUndefined();
  });
});
