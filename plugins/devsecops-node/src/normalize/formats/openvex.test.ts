import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizerRegistry } from '../registry';
import { readFixture, testNormalizeContext } from '../../testUtils/fixtures';
import { builtInNormalizers } from '.';
import { cyclonedxNormalizer } from './cyclonedx';
import { openvexNormalizer } from './openvex';

const normalizeFile = (file: string) =>
  openvexNormalizer.normalize(parseReportBody(readFixture(file)), testNormalizeContext);
const normalizeJson = (doc: unknown) =>
  openvexNormalizer.normalize(parseReportBody(JSON.stringify(doc)), testNormalizeContext);

const registry = new NormalizerRegistry();
registry.add(...builtInNormalizers);

describe('OpenVEX', () => {
  it.each([
    'openvex/vexctl-openvex-demo.vex.json',
    'openvex/vexctl-sarif-sample-2vulns.openvex.json',
    'openvex/vexctl-sarif-sample-history.openvex.json',
    'openvex/vexctl-v020-1.vex.json',
    'openvex/vexctl-v001-1.vex.json',
    'openvex/vexctl-images.vex.json',
    'openvex/defectdojo-django-1.13.1.openvex.json',
  ])('detects %s as openvex, finds nothing, states VEX', file => {
    const parsed = parseReportBody(readFixture(file));
    expect(registry.resolve(parsed).id).toBe('openvex');
    const report = normalizeFile(file);
    expect(report).toMatchObject({ format: 'openvex', controls: ['vex'], findings: [] });
    expect(report.vex!.statements.length).toBeGreaterThan(0);
  });

  it('reads a v0.2.0 document: one statement per product, the document identity kept', () => {
    const report = normalizeFile('openvex/vexctl-openvex-demo.vex.json');
    expect(report.vex).toEqual({
      documentId:
        'https://openvex.dev/docs/public/vex-d7653e1c3ccc092c02e2cfd2b12549be29264ff28f9f704f599613b007584dbe',
      author: 'Wolfi J Inkinson',
      timestamp: '2023-12-04T21:55:19.945014473-06:00',
      statements: [
        {
          vulnerabilityId: 'CVE-2014-123456',
          product: { purl: 'pkg:apk/distro/git@2.39.0-r1?arch=armv7', name: 'git', version: '2.39.0-r1' },
          status: 'fixed',
          timestamp: '2023-12-04T21:55:19.945015302-06:00',
        },
        {
          vulnerabilityId: 'CVE-2014-123456',
          product: { purl: 'pkg:apk/distro/git@2.39.0-r1?arch=x86_64', name: 'git', version: '2.39.0-r1' },
          status: 'fixed',
          timestamp: '2023-12-04T21:55:19.945015302-06:00',
        },
      ],
    });
    expect(report.toolVersion).toBe('0.2.0');
  });

  it('scopes a statement on an OCI image purl to its digest, with aliases and the justification', () => {
    const [notAffected, fixed] = normalizeFile('openvex/vexctl-sarif-sample-2vulns.openvex.json').vex!.statements;
    expect(notAffected).toEqual({
      vulnerabilityId: 'CVE-2023-27103',
      aliases: ['SNYK-DEBIAN12-LIBDE265-3361563'],
      product: {
        purl: 'pkg:oci/nginx@sha256%3A13d22ec63300e16014d4a42aed735207a8b33c223cff19627dd3042e5a10a3a0',
        name: 'nginx',
      },
      artifactDigest: 'sha256:13d22ec63300e16014d4a42aed735207a8b33c223cff19627dd3042e5a10a3a0',
      status: 'not_affected',
      justification: 'component_not_present',
      timestamp: '2023-08-15T19:55:22.076684217-06:00',
    });
    // The second statement has no timestamp of its own: the document's.
    expect(fixed).toMatchObject({ status: 'fixed', timestamp: '2023-08-16T19:55:22.076684217-06:00' });
  });

  it('reads subcomponents as the packages of the image the product names', () => {
    const statements = normalizeFile('openvex/defectdojo-django-1.13.1.openvex.json').vex!.statements;
    const glibc = statements.filter(s => s.vulnerabilityId === 'CVE-2021-3326');
    expect(glibc.map(s => [s.product.name, s.product.version, s.artifactDigest])).toEqual([
      ['libc6', '2.28-10', 'sha256:91bc0f1478c6d26e04da5c2a59ac20262ec2661942418e2a3e7c77245d872658'],
      ['libc-bin', '2.28-10', 'sha256:91bc0f1478c6d26e04da5c2a59ac20262ec2661942418e2a3e7c77245d872658'],
    ]);
    expect(glibc[0]).toMatchObject({
      aliases: ['DSA-4910-1'],
      justification: 'vulnerable_code_not_in_execute_path',
      impactStatement: expect.stringContaining('ISO-2022-JP-3'),
      timestamp: '2026-12-01T09:00:00Z',
    });
    expect(statements).toHaveLength(7);
  });

  it('reads the v0.0.1 shape (strings) and keeps a non-purl product as a name', () => {
    const [statement] = normalizeFile('openvex/vexctl-v001-1.vex.json').vex!.statements;
    expect(statement).toEqual({
      vulnerabilityId: 'CVE-1234-5678',
      product: { purl: 'pkg:apk/wolfi/bash@1.0.0', name: 'bash', version: '1.0.0' },
      status: 'under_investigation',
      timestamp: '2022-12-22T16:36:43-05:00',
    });
    const images = normalizeFile('openvex/vexctl-images.vex.json').vex!.statements;
    expect(images.map(s => s.product.name)).toEqual([
      'alpine',
      'nginx',
      'registry.k8s.io/kube-apiserver:v1.26.0',
      'kube-apiserver',
    ]);
    expect(images[0].artifactDigest).toBe('sha256:f271e74b17ced29b915d351685fd4644785c6d1559dd1f2d4189a5e851ef753a');
  });

  it('refuses malformed statements with the path', () => {
    const base = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'x',
      statements: [{ vulnerability: { name: 'CVE-2021-44228' }, products: [{ '@id': 'pkg:maven/a/b@1' }], status: 'not_affected' }],
    };
    expect(() => normalizeJson(base)).toThrow(
      new ReportFormatError('OpenVEX', '$.statements[0]', 'is not_affected without a justification or an impact_statement (the OpenVEX spec requires one)'),
    );
    expect(() => normalizeJson({ ...base, statements: [{ ...base.statements[0], status: 'exploitable' }] })).toThrow(
      /OpenVEX: \$\.statements\[0\]\.status must be one of not_affected, affected, fixed, under_investigation \(got "exploitable"\)/,
    );
    expect(() => normalizeJson({ ...base, statements: [{ ...base.statements[0], status: 'fixed', products: [] }] })).toThrow(
      /OpenVEX: \$\.statements\[0\]\.products must name at least one product/,
    );
    expect(() => normalizeJson({ ...base, statements: [{ status: 'fixed', products: ['x'] }] })).toThrow(
      /OpenVEX: \$\.statements\[0\]\.vulnerability must be a vulnerability name/,
    );
    expect(() => normalizeJson({ ...base, statements: {} })).toThrow(/OpenVEX: \$\.statements must be an array/);
    expect(() => openvexNormalizer.normalize(parseReportBody(''), testNormalizeContext)).toThrow(/OpenVEX: \$ is empty/);
  });

  it('is not detected for other JSON-LD documents', () => {
    expect(openvexNormalizer.detect(parseReportBody(JSON.stringify({ '@context': 'https://example.org/ns', statements: [] })))).toBe(false);
    expect(openvexNormalizer.detect(parseReportBody(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0' })))).toBe(false);
  });
});

describe('standalone CycloneDX VEX', () => {
  const statementsOf = (file: string) =>
    cyclonedxNormalizer.normalize(parseReportBody(readFixture(file)), testNormalizeContext).vex?.statements;

  it('maps analysis states onto VEX statuses about the subject', () => {
    expect(statementsOf('cyclonedx/vex-state-not_affected.json')).toEqual([
      {
        vulnerabilityId: 'CVE-2021-44228',
        product: { name: 'ABC', version: '4.2' },
        status: 'not_affected',
        justification: 'code_not_present',
        impactStatement: expect.stringContaining('Class with vulnerable code was removed'),
        actionStatement: 'will_not_fix',
        timestamp: '2022-03-03T00:00:00Z',
      },
    ]);
    expect(statementsOf('cyclonedx/vex-state-affected.json')![0].status).toBe('affected');
    expect(statementsOf('cyclonedx/vex-state-under_investigation.json')![0].status).toBe('under_investigation');
    expect(statementsOf('cyclonedx/vex-state-fixed.json')![0].status).toBe('fixed');
  });

  it('resolves BOM-Link refs to the package purl, with the references as aliases', () => {
    const [statement] = statementsOf('cyclonedx/vex-1.4-with-ratings.json')!;
    expect(statement).toMatchObject({
      vulnerabilityId: 'CVE-2020-25649',
      aliases: ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302'],
      product: {
        purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar',
        name: 'jackson-databind',
        version: '2.10.0',
      },
      status: 'not_affected',
    });
  });

  it('states nothing for an SBOM with vulnerabilities (not a standalone VEX)', () => {
    expect(statementsOf('cyclonedx/dd-vex-nested-component-log4j.json')).toBeUndefined();
    expect(statementsOf('cyclonedx/spec-valid-bom-1.6.json')).toBeUndefined();
  });
});
