import { useState } from 'react';

/**
 * Which form field a server refusal is about: the first of `fields` its message names as a word
 * ("expiresAt 2027-… is more than 90 days away", "request/body/riskStatement must …",
 * "followUps[0].due '…' is more than 5 years away"); undefined when it names none.
 */
export function fieldOfMessage<F extends string>(message: string, fields: Record<F, RegExp>): F | undefined {
  let best: { field: F; at: number } | undefined;
  for (const [field, pattern] of Object.entries(fields) as Array<[F, RegExp]>) {
    const at = message.search(pattern);
    if (at >= 0 && (!best || at < best.at)) best = { field, at };
  }
  return best?.field;
}

/**
 * A form's server refusal, kept with the field it names: `feedback(field, help)` gives a
 * TextField its error state and helper text (the server's sentence, announced as an alert, or
 * the help); `general` is a refusal that names no field, for below the form.
 */
export function useFieldErrors<F extends string>(fields: Record<F, RegExp>) {
  const [error, setError] = useState<{ message: string; field?: F }>();
  const messageFor = (field: F) => (error?.field === field ? error.message : undefined);
  return {
    messageFor,
    general: error && !error.field ? error.message : undefined,
    clear: () => setError(undefined),
    refused: (e: unknown) => {
      const message = (e as Error).message;
      setError({ message, field: fieldOfMessage(message, fields) });
    },
    feedback: (field: F, help?: string) => {
      const message = messageFor(field);
      return {
        error: !!message,
        helperText: message ?? help,
        FormHelperTextProps: message ? { role: 'alert' } : undefined,
      };
    },
  };
}
