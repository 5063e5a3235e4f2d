import { VexStatement } from '../types';

/*
 * The package a VEX statement names, shared by the OpenVEX and CycloneDX VEX readers.
 */

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A product identifier as a package: a purl gives its name (the last path segment, as scanners
 * name packages), its version and the purl itself; anything else (`nginx`, an image reference)
 * is kept whole as the name.
 */
export function vexProductOf(id: string): VexStatement['product'] {
  const trimmed = id.trim();
  const match = /^pkg:([a-zA-Z][a-zA-Z0-9.+-]*)\/+([^?#]+?)(?:@([^?#@]+))?(?:\?[^#]*)?(?:#.*)?$/.exec(trimmed);
  if (!match) return { name: trimmed.slice(0, 255) };
  const segments = match[2].split('/').filter(s => s !== '');
  const name = safeDecode(segments[segments.length - 1] ?? trimmed);
  const version = match[3] ? safeDecode(match[3]) : undefined;
  return {
    purl: trimmed,
    name,
    ...(version ? { version } : {}),
  };
}
