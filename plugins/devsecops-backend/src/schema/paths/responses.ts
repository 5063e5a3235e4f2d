/**
 * The response shapes the path files share: an error (the Error schema of schema/openapi.ts) and
 * a success whose body the devsecops-common types describe.
 */
export const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
} as const;

export const ok = (description: string) =>
  ({ description, content: { 'application/json': { schema: {} } } } as const);
