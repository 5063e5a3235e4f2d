import { compareVersions } from '../portfolio/packageQuery';
import { OsvAffected, OsvRange } from './osvAdvisories';

/*
 * Whether an OSV `affected` entry describes a stored SBOM component (pure):
 * - the package: the component's purl gives its OSV ecosystem and name (pkg:maven/g/a → Maven
 *   `g:a`, pkg:npm/%40s/n → npm `@s/n`, pkg:pypi/n → PyPI `n` compared normalised, pkg:golang/…,
 *   cargo, nuget, gem, composer, hex, pub, deb, apk); components without a purl are not matched
 *   (the name alone does not say which ecosystem).
 * - the version: listed in `versions`, or inside a SEMVER / ECOSYSTEM range. The range's events are
 *   sorted by version ("introduced": "0" first) and walked: at or after `introduced` the version
 *   is affected, at or after `fixed` it is not, after `last_affected` it is not (OSV schema
 *   "Evaluation"). GIT ranges name commits and are not read. Versions compare by the portfolio's
 *   generic dotted comparison (see portfolio/packageQuery), not each ecosystem's exact ordering.
 */

const PURL_ECOSYSTEMS: Record<string, string> = {
  maven: 'Maven',
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  cargo: 'crates.io',
  nuget: 'NuGet',
  gem: 'RubyGems',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  deb: 'Debian',
  apk: 'Alpine',
};

export interface OsvPackage {
  ecosystem: string;
  name: string;
}

/** The OSV ecosystem and package name of a purl (undefined: a type OSV has no ecosystem for). */
export function osvPackageOfPurl(purl: string): OsvPackage | undefined {
  const match = /^pkg:([a-z][a-z0-9.+-]*)\/([^?#@]+)/i.exec(purl.trim());
  if (!match) return undefined;
  const ecosystem = PURL_ECOSYSTEMS[match[1].toLowerCase()];
  if (!ecosystem) return undefined;
  let parts: string[];
  try {
    parts = match[2].split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1];
  const namespace = parts.slice(0, -1).join('/');
  switch (ecosystem) {
    case 'Maven':
      return namespace ? { ecosystem, name: `${namespace}:${name}` } : undefined;
    case 'Debian':
    case 'Alpine':
      // pkg:deb/debian/openssl: the namespace is the distribution, the OSV name the package.
      return { ecosystem, name };
    default:
      return { ecosystem, name: namespace ? `${namespace}/${name}` : name };
  }
}

function normalisedName(ecosystem: string, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/** Whether an advisory's package (ecosystem `Debian:11` compares as `Debian`) is this one. */
export function samePackage(affected: Pick<OsvAffected, 'ecosystem' | 'name'>, pkg: OsvPackage): boolean {
  const base = affected.ecosystem.split(':')[0].trim().toLowerCase();
  if (base !== pkg.ecosystem.toLowerCase()) return false;
  return normalisedName(pkg.ecosystem, affected.name) === normalisedName(pkg.ecosystem, pkg.name);
}

/**
 * The names an SBOM may give the package (the component table is searched by name): the OSV name
 * and its last segment (Maven `g:a` → `a`, npm `@s/n` → `n`, Go module paths), PyPI spellings.
 */
export function candidateNames(affected: Pick<OsvAffected, 'name'>): string[] {
  const names = new Set([affected.name]);
  const last = affected.name.split(/[:/]/).pop();
  if (last) names.add(last);
  for (const n of [...names]) {
    names.add(n.toLowerCase());
    names.add(n.replace(/_/g, '-'));
    names.add(n.replace(/-/g, '_'));
  }
  return [...names].filter(n => n.length <= 512);
}

/** Whether the version is affected under one range. */
export function inOsvRange(version: string, range: OsvRange): boolean {
  if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') return false;
  const events = range.events
    .map(e => {
      // "introduced": "0" is before every version (null).
      if (e.introduced !== undefined) return { kind: 'introduced' as const, at: e.introduced === '0' ? null : e.introduced };
      if (e.fixed !== undefined) return { kind: 'fixed' as const, at: e.fixed };
      if (e.last_affected !== undefined) return { kind: 'last_affected' as const, at: e.last_affected };
      return undefined;
    })
    .filter((e): e is NonNullable<typeof e> => e !== undefined)
    .sort((a, b) => {
      if (a.at === null) return -1;
      if (b.at === null) return 1;
      return compareVersions(a.at, b.at);
    });
  let affected = false;
  for (const event of events) {
    const c = event.at === null ? 1 : compareVersions(version, event.at);
    if (event.kind === 'introduced' && c >= 0) affected = true;
    else if (event.kind === 'fixed' && c >= 0) affected = false;
    else if (event.kind === 'last_affected' && c > 0) affected = false;
  }
  return affected;
}

/** Whether a component version is affected by an `affected` entry (listed, or in one of its ranges). */
export function affectsVersion(affected: Pick<OsvAffected, 'ranges' | 'versions'>, version: string | undefined | null): boolean {
  if (!version) return false;
  if (affected.versions.some(v => compareVersions(v, version) === 0 && v.replace(/^v/i, '') === version.replace(/^v/i, ''))) {
    return true;
  }
  return affected.ranges.some(range => inOsvRange(version, range));
}
