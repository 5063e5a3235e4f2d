import { ResponseError } from '@backstage/errors';
import { DevsecopsHealth, ReportFormatInfo } from '../model/health';
import { PipelineControl, PipelineStage } from '../model/controlStack';

/**
 * Minimal structural types for Backstage's discovery and fetch APIs, so this client works in the
 * browser (DiscoveryApi/FetchApi) and in node (DiscoveryService plus a token-adding fetch).
 * @public
 */
export interface DevsecopsClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

/** @public */
export interface ControlStackResponse {
  stages: PipelineStage[];
  controls: PipelineControl[];
}

/** @public */
export interface DevsecopsApi {
  getHealth(): Promise<DevsecopsHealth>;
  getControlStack(): Promise<ControlStackResponse>;
  listFormats(): Promise<{ formats: ReportFormatInfo[] }>;
}

/**
 * Typed client of the devsecops backend's HTTP API.
 * @public
 */
export class DevsecopsClient implements DevsecopsApi {
  private readonly discoveryApi: DevsecopsClientOptions['discoveryApi'];
  private readonly fetchImpl: typeof fetch;

  constructor(options: DevsecopsClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchImpl = options.fetchApi?.fetch ?? fetch;
  }

  getHealth(): Promise<DevsecopsHealth> {
    return this.get('/health');
  }

  getControlStack(): Promise<ControlStackResponse> {
    return this.get('/controls');
  }

  listFormats(): Promise<{ formats: ReportFormatInfo[] }> {
    return this.get('/formats');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('devsecops');
    const response = await this.fetchImpl(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
