import { InputError } from '@backstage/errors';

/*
 * The package a portfolio search names: `log4j-core`, a purl without version
 * (`pkg:maven/org.apache.logging.log4j/log4j-core`), either with `@` and a version or a range:
 * `log4j-core@2.14.1`, `log4j-core@<2.17.0`, `pkg:npm/lodash@>=4.0.0,<4.17.21`.
 *
 * Versions compare segment by segment (split on `.`, `-`, `+`, `_`): numbers numerically, text
 * after numbers (`2.17.0-rc1` < `2.17.0` is not modelled: a pre-release sorts after its release's
 * number segments, as in Maven's ordering of qualifiers it is close to); missing segments are 0.
 * Good for the dotted versions of Maven, npm, PyPI, Go, NuGet; distro epochs (`1:2.2.6-50.el8`)
 * compare by their text before the epoch's colon.
 */

export interface PackageQuery {
  /** The package name (a purl's last path segment, unescaped). */
  name: string;
  /** The purl without version and qualifiers, when the query was one. */
  purl?: string;
  /** Comparators every version must satisfy; empty: any version. */
  range: Comparator[];
  /** What the caller wrote, for messages. */
  text: string;
}

type Operator = '<' | '<=' | '>' | '>=' | '=';
export interface Comparator {
  op: Operator;
  version: string;
}

const COMPARATOR = /^(<=|>=|<|>|=)?\s*([0-9A-Za-z][0-9A-Za-z.+_~:-]{0,63})$/;

export function parsePackageQuery(text: string): PackageQuery {
  const trimmed = text.trim();
  // The version part starts at the last '@' that is not a purl namespace's (npm scopes: %40).
  const at = trimmed.lastIndexOf('@');
  const subject = at > 0 ? trimmed.slice(0, at) : trimmed;
  const versionText = at > 0 ? trimmed.slice(at + 1) : '';
  const range = versionText
    ? versionText.split(',').map(part => {
        const match = COMPARATOR.exec(part.trim());
        if (!match) {
          throw new InputError(
            `package: the version part must be a version or comparators such as <2.17.0 or >=2.0.0,<2.17.0`,
          );
        }
        return { op: (match[1] ?? '=') as Operator, version: match[2] };
      })
    : [];
  if (subject.startsWith('pkg:')) {
    const purl = subject.split('?')[0].split('#')[0];
    const name = decodeURIComponent(purl.slice(purl.lastIndexOf('/') + 1));
    if (!/^pkg:[a-z][a-z0-9.+-]*\/.+/i.test(purl) || !name) {
      throw new InputError('package: a purl must look like pkg:<type>/<namespace>/<name>');
    }
    return { name, purl, range, text: trimmed };
  }
  if (!/^[A-Za-z0-9@][A-Za-z0-9._+/:-]{0,254}$/.test(subject)) {
    throw new InputError('package: name a package (log4j-core) or a purl (pkg:maven/org.apache.logging.log4j/log4j-core)');
  }
  return { name: subject, range, text: trimmed };
}

/** The purl without its version, qualifiers and subpath. */
export function purlBase(purl: string): string {
  const bare = purl.split('?')[0].split('#')[0];
  const at = bare.lastIndexOf('@');
  return at > bare.indexOf('/') ? bare.slice(0, at) : bare;
}

function segments(version: string): Array<number | string> {
  const withoutEpoch = version.includes(':') ? version.slice(version.indexOf(':') + 1) : version;
  return withoutEpoch
    .replace(/^v/i, '')
    .split(/[.\-+_~]/)
    .filter(Boolean)
    .map(s => (/^\d+$/.test(s) ? Number(s) : s.toLowerCase()));
}

/** <0, 0, >0 as a sorts before, with or after b. */
export function compareVersions(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    // A number sorts after text at the same place (2.17.0 > 2.17.rc1).
    if (typeof p === 'number') return 1;
    if (typeof q === 'number') return -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** Whether a version satisfies every comparator (an unknown version satisfies none). */
export function inRange(version: string | undefined | null, range: Comparator[]): boolean {
  if (range.length === 0) return true;
  if (!version) return false;
  return range.every(({ op, version: bound }) => {
    const c = compareVersions(version, bound);
    switch (op) {
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      default:
        return c === 0;
    }
  });
}
