/**
 * The responsibility model (issue 15 item 8): spread into `paths` of schema/openapi.ts.
 */

const ok = (description: string) =>
  ({ description, content: { 'application/json': { schema: {} } } } as const);

export const responsibilityPaths = {
  '/v1/responsibility': {
    get: {
      operationId: 'getResponsibilityMatrix',
      description:
        "The operating model's responsibility table as configured (devsecops.read): each capability with what the product team (each entity's owner) acts on, what the platform team provides and what the security/compliance owner decides, the configured groups (devsecops.responsibility) and the controls and maturity criteria that name the capability",
      responses: { '200': ok('The responsibility matrix') },
    },
  },
} as const;
