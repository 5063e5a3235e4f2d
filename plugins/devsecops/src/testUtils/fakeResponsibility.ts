import { CAPABILITIES, ResponsibilityMatrix } from '@devsecops-scorecard/plugin-devsecops-common';

/** The matrix a backend configured with the demo's groups answers (two items shown). */
export const sampleResponsibilityMatrix: ResponsibilityMatrix = {
  groups: { platformTeam: 'group:default/platform-team', securityOwner: 'group:default/security-compliance' },
  capabilities: CAPABILITIES.map(c => ({
    ...c,
    items:
      c.id === 'ci-cd-controls'
        ? [
            { kind: 'control', id: 'secret-scanning', title: 'Secret scanning', stage: 'commit' },
            { kind: 'criterion', id: 'reusable-workflows', title: 'Move onto reusable CI/CD workflows', stage: 2 },
          ]
        : [],
  })),
};
