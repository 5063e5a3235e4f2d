import { InputError } from '@backstage/errors';
import { ControlDefinition } from '@devsecops-scorecard/plugin-devsecops-common';
import { ScorecardSettings } from './readScorecardConfig';

/**
 * The backend's one answer to "which controls exist": the configured controls (the shipped
 * defaults with `devsecops.controls` over them, disabled ones left out). Upload validation, the
 * findings and reports filters, `GET /controls`, exception scopes and roll-ups all ask it, so a
 * control added only in configuration (e.g. `dast`) receives reports and shows everywhere.
 */
export class ControlCatalog {
  private readonly byId: Map<string, ControlDefinition>;

  constructor(private readonly controls: readonly ControlDefinition[]) {
    this.byId = new Map(controls.map(c => [c.id, c]));
  }

  /** The catalogue of the scorecard configuration (`readScorecardConfig(config)`). */
  static fromSettings(settings: ScorecardSettings): ControlCatalog {
    return new ControlCatalog(settings.evaluation.controls);
  }

  /** Every configured control, in configuration order. */
  list(): ControlDefinition[] {
    return [...this.controls];
  }

  ids(): string[] {
    return this.controls.map(c => c.id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): ControlDefinition | undefined {
    return this.byId.get(id);
  }

  /**
   * Throws a 400 naming the first id that is not a configured control
   * (`Unknown control 'x'. Controls: a, b, …`); `what` names the input in the message when given.
   */
  assertKnown(ids: Iterable<string>, what?: string): void {
    for (const id of ids) {
      if (!this.byId.has(id)) {
        throw new InputError(
          `Unknown control '${id}'${what ? ` in ${what}` : ''}. Controls: ${this.ids().join(', ')}`,
        );
      }
    }
  }
}
