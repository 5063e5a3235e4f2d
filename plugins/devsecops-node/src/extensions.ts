import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ReportNormalizer } from './normalize/types';

/**
 * Lets a backend module teach the devsecops plugin a new report format.
 * @public
 */
export interface DevsecopsNormalizersExtensionPoint {
  addNormalizer(...normalizers: ReportNormalizer[]): void;
}

/** @public */
export const devsecopsNormalizersExtensionPoint =
  createExtensionPoint<DevsecopsNormalizersExtensionPoint>({
    id: 'devsecops.normalizers',
  });
