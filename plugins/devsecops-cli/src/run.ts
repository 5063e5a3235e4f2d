import { main } from './main';

/** Entry point of bin/devsecops: the real process streams, environment and exit code. @public */
export function run(): void {
  main(process.argv.slice(2), process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
  }).then(
    code => {
      process.exitCode = code;
    },
    error => {
      process.stderr.write(`error: ${error}\n`);
      process.exitCode = 2;
    },
  );
}
