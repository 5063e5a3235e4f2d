import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ComponentSearchPage, toCsv } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { devsecopsApiRef } from '../../api';
import { saveBlob } from '../shared/download';

const PAGE = 500;

/**
 * "Which services contain log4j-core < 2.17": a package (name or purl, optionally @ a version or a
 * range) searched over the stored SBOMs, with each match's owner, artifact and where it runs now;
 * the whole answer as CSV. The query lives in the URL (`?package=`), so a link shares it.
 */
export function PortfolioSearchPage() {
  const api = useApi(devsecopsApiRef);
  const [params, setParams] = useSearchParams();
  const query = params.get('package') ?? '';
  const [text, setText] = useState(query);
  const [result, setResult] = useState<ComponentSearchPage>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setText(query);
    if (!query) {
      setResult(undefined);
      return;
    }
    let current = true;
    setLoading(true);
    setError(undefined);
    api
      .searchComponents({ package: query, limit: PAGE })
      .then(page => current && setResult(page))
      .catch(e => current && setError(e))
      .finally(() => current && setLoading(false));
    // eslint-disable-next-line consistent-return
    return () => {
      current = false;
    };
  }, [api, query]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(text.trim() ? { package: text.trim() } : {});
  };

  const exportCsv = () => {
    if (!result) return;
    const csv = toCsv(
      ['entity', 'owner', 'package', 'version', 'purl', 'artifact', 'deployed to'],
      result.items.map(m => [
        m.entityRef,
        m.ownerRef,
        m.name,
        m.version,
        m.purl,
        m.artifactDigest,
        m.deployedTo.map(d => d.environment).join(' '),
      ]),
    );
    saveBlob(new Blob([csv], { type: 'text/csv' }), `components-${query.replace(/[^A-Za-z0-9.-]+/g, '_')}.csv`);
  };

  return (
    <Stack spacing={2}>
      <form onSubmit={submit} role="search" aria-label="search stored SBOMs">
        <Stack direction="row" gap={1} alignItems="center">
          <TextField
            size="small"
            label="Package"
            placeholder="log4j-core@<2.17 or pkg:maven/org.apache.logging.log4j/log4j-core"
            value={text}
            onChange={e => setText(e.target.value)}
            sx={{ minWidth: 420 }}
          />
          <Button type="submit" variant="contained">
            Search
          </Button>
          {result && result.items.length > 0 && (
            <Button onClick={exportCsv} variant="outlined">
              Download CSV
            </Button>
          )}
        </Stack>
      </form>
      {loading && <LinearProgress aria-label="searching" />}
      {error && <ResponseErrorPanel error={error} />}
      {result && (
        <>
          <Typography role="status">
            {result.totalCount === 0
              ? `No stored SBOM contains ${query}.`
              : `${result.entityCount} ${result.entityCount === 1 ? 'entity' : 'entities'} contain ${query} (${result.totalCount} ${
                  result.totalCount === 1 ? 'artifact' : 'artifacts'
                })${result.totalCount > result.items.length ? `; the first ${result.items.length} are shown` : ''}.`}
          </Typography>
          {result.items.length > 0 && (
            <Table size="small" aria-label="components found">
              <TableHead>
                <TableRow>
                  <TableCell>Entity</TableCell>
                  <TableCell>Owner</TableCell>
                  <TableCell>Version</TableCell>
                  <TableCell>Artifact</TableCell>
                  <TableCell>Deployed now</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {result.items.map(m => (
                  <TableRow key={`${m.entityRef} ${m.artifactDigest ?? ''} ${m.version ?? ''} ${m.purl ?? ''}`}>
                    <TableCell>{m.entityRef}</TableCell>
                    <TableCell>{m.ownerRef ?? '—'}</TableCell>
                    <TableCell>{m.version ?? '—'}</TableCell>
                    <TableCell sx={{ wordBreak: 'break-all' }}>{m.artifactDigest ? m.artifactDigest.slice(0, 19) : 'source'}</TableCell>
                    <TableCell>{m.deployedTo.length ? m.deployedTo.map(d => d.environment).join(', ') : 'not deployed'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
