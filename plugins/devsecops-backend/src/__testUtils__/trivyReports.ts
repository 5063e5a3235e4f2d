/** A Trivy filesystem (dependency) report with the given vulnerabilities, as the tests upload it. */
export function trivyFilesystemReport(
  vulnerabilities: Array<{ id: string; severity: string; pkg?: string }>,
  target = 'package-lock.json',
): string {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: '.',
    ArtifactType: 'filesystem',
    Results: [
      {
        Target: target,
        Class: 'lang-pkgs',
        Type: 'npm',
        Vulnerabilities: vulnerabilities.map(v => ({
          VulnerabilityID: v.id,
          PkgName: v.pkg ?? `pkg-${v.id}`,
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: v.severity,
        })),
      },
    ],
  });
}
