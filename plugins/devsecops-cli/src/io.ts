/** Where the CLI writes: injected so tests (and embedders) can capture it. */
export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** @public */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

/** Seams for tests: waiting between retries and the jitter's randomness. @public */
export interface CliDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Exit codes: 0 done (gate: allow), 1 gate deny, 2 usage, validation, transport or server error. */
export const EXIT_OK = 0;
export const EXIT_DENY = 1;
export const EXIT_ERROR = 2;

/** Wrong or missing arguments: printed with a pointer to the command's help, exit 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Anything else that stops a command before or during its request: exit 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Wraps the streams so the token can never be written, whatever ends up in a message (a proxy's
 * error page, an echoed header, …): every occurrence is replaced.
 */
export function redactingIo(
  io: CliIo,
  secret: () => string | undefined | ReadonlyArray<string>,
): CliIo {
  const wrap = (stream: CliStream): CliStream => ({
    isTTY: stream.isTTY,
    write(chunk: string) {
      const value = secret();
      const tokens = typeof value === 'string' ? [value] : value ?? [];
      let text = chunk;
      for (const token of tokens) {
        if (token.length >= 4) text = text.split(token).join('***');
      }
      return stream.write(text);
    },
  });
  return { stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}

/** 12.3 MB, 845 kB, 17 B. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} B`;
}
