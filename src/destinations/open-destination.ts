import { resolve } from 'node:path';
import type { Destination } from '../definitions/project-config.js';
import type { DeliveryTarget } from './delivery-target.js';
import { HttpDestination, type HttpOptions } from './http-destination.js';
import { JsonlDestination, type JsonlOptions } from './jsonl-destination.js';
import { StdoutDestination, type LineSink } from './stdout-destination.js';

/** Test and CLI hooks; production passes none. */
export interface OpenOptions {
  readonly stdout?: LineSink;
  readonly jsonl?: JsonlOptions;
  readonly http?: Omit<HttpOptions, 'url' | 'writeKey' | 'timeoutMs' | 'maxRetries'>;
}

/** The delivery target of one roster.yml destination; a jsonl `path` is relative to `projectDir`. */
export function openDestination(config: Destination, projectDir: string, options: OpenOptions = {}): DeliveryTarget {
  switch (config.type) {
    case 'jsonl':
      return new JsonlDestination(config.name, resolve(projectDir, config.path), options.jsonl);
    case 'stdout':
      return new StdoutDestination(config.name, options.stdout);
    case 'http':
      return new HttpDestination(config.name, {
        ...options.http, url: config.url, writeKey: config.write_key, timeoutMs: config.timeout_ms, maxRetries: config.max_retries,
      });
    default: {
      const never: never = config;
      throw new Error(`unknown destination type ${(never as { type: string }).type}`);
    }
  }
}
